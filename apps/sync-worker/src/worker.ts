// Assembles the sync worker: queues, the discovery scheduler, the record worker, the batcher,
// the health port, and a close path that drains in-flight jobs before closing anything.
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { pino, type Logger } from 'pino';
import { GunClient } from '@oip/gun-client';
import { createRecordStore, type BulkItemResult, type RecordStore } from '@oip/record-store';
import { MemoryGuard, createPauseController, registerMemoryMetrics } from '@oip/memory-guard';
import {
  DISCOVERY_SCHEDULER_ID,
  DISCOVER_JOB_OPTIONS,
  DiscoverPayloadSchema,
  JobNames,
  SYNC_DISCOVERY_QUEUE,
  SYNC_RECORDS_QUEUE,
  cappedExponentialBackoff,
  validatePayload,
  type SyncJobOptionsInput,
} from '@oip/queue-contracts';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { DeadLetterService, DeletionLedger, duplicateRedis, openRedis, type RedisConnection } from '@oip/sync-state';
import type { RecordKeySource } from '@oip/records';
import { buildHealthApp } from './health/health-app.js';
import { createSyncMetrics, timeStage, type SyncMetrics } from './health/metrics.js';
import { createErrorLogLimiter } from './health/rate-limited-log.js';
import { StateWatch, type StateLoss } from './health/state-watch.js';
import { createSyncRecordProcessor } from './processors/sync-record.js';
import { StampingBatcher, withStoreRepair } from './state/store-repair.js';
import { runDiscovery, type DiscoveryReport } from './services/discovery.js';
import { PeerRelays, type PeerStatus } from './services/peer-relays.js';
import { createUnprocessedJobs } from './services/unprocessed-jobs.js';
import { openUserKeys } from './services/user-keys.js';
import { SyncState, type SyncCounters } from '@oip/sync-state';

export interface SyncWorkerDeps {
  /** Borrowed; otherwise one is opened from config (REDIS_URL or REDIS_CLUSTER_NODES) and closed on close(). */
  redis?: RedisConnection;
  /** Borrowed; otherwise created from config.store and closed on close(). */
  store?: RecordStore;
  logger?: Logger;
  /** Memory guard to pause the worker while memory is critical; one is created when absent. Pass false to disable. */
  memoryGuard?: MemoryGuard | false;
  /**
   * Also expose prom-client's default process metrics on /metrics. They keep a histogram and a
   * GC observer for the life of the process, so only the process entry (main.ts) turns this on.
   * @defaultValue false
   */
  processMetrics?: boolean;
  /** This node's users' keys (tests); by default from the accounts store and config.custodySecret. */
  keys?: RecordKeySource | null;
}

export interface SyncWorker {
  readonly state: SyncState;
  readonly deadLetters: DeadLetterService;
  readonly store: RecordStore;
  readonly metrics: SyncMetrics;
  /** Health server address once listening (null when the port is off). */
  healthUrl(): string | null;
  /** Runs one discovery pass now, in this process. */
  discoverNow(recordTypes?: string[]): Promise<DiscoveryReport>;
  counters(): Promise<SyncCounters>;
  /** GUN_PEERS relays and the base each resolved to (`base: null` = neither answered), for /health. */
  peerStatus(): PeerStatus[];
  /** The last Redis state loss this process noticed (null when none). */
  stateLost(): StateLoss | null;
  /** Whether Redis answers (the health paths' connection-status flag). */
  redisUp(): boolean;
  /** True after a state loss until a pass that started after it has finished with nothing in flight. */
  repairing(): boolean;
  /** Runs one Redis state check now (lost state, missing scheduler, counters). */
  checkState(): Promise<void>;
  /** Resolves when nothing is in flight (or rejects after timeoutMs). */
  waitIdle(timeoutMs?: number): Promise<SyncCounters>;
  /** Drains in-flight jobs, then closes the batcher, queues, store, relay clients and Redis. */
  close(): Promise<void>;
}

export function jobOptionsFromConfig(config: Config): SyncJobOptionsInput {
  return {
    attempts: config.attempts,
    backoffMs: config.backoffMs,
    keepCompleted: config.keepCompleted,
    keepFailed: config.keepFailed,
  };
}

export async function startSyncWorker(config: Config, deps: SyncWorkerDeps = {}): Promise<SyncWorker> {
  const logger = deps.logger ?? pino({ level: config.logLevel, redact: ['*.authorization', '*.password'] });
  // While Redis is down every connection reports each reconnect attempt: one line per source per window.
  const errors = createErrorLogLimiter(logger, config.errorLogWindowMs);
  const ownsRedis = !deps.redis;
  const redis = deps.redis ?? openRedis(config, { maxRetriesPerRequest: null });
  if (ownsRedis) redis.on('error', (err) => errors.error('redis', err, 'redis error'));
  const connection = redis as unknown as ConnectionOptions;
  const prefix = config.queuePrefix;
  const ownsStore = !deps.store;
  const store = deps.store ?? createRecordStore(config.store);
  const createRelayClient = (url: string) =>
    new GunClient({
      baseUrl: url,
      connections: config.relayConnections,
      requestTimeoutMs: config.relayTimeoutMs,
      // Retries belong to BullMQ (durable, counted, capped); discovery must see new souls at once.
      retry: { attempts: 1 },
      negativeCache: false,
    });
  const relays = new Map(config.relays.map((url) => [url, createRelayClient(url)]));
  // GUN_PEERS relays: their API base (/gun-relay proxy or bare relay) is resolved at the first pass.
  const peers =
    Object.keys(config.relayPeers).length > 0
      ? new PeerRelays({ relays, peers: config.relayPeers, createClient: createRelayClient })
      : undefined;
  const jobOptions = jobOptionsFromConfig(config);
  // Our own state scripts run on a separate connection with auto-pipelining: every job finishes
  // with one script call, and the calls of one tick go out in one write. BullMQ's connections
  // keep plain mode (auto-pipelining is reported to break Bull's job handling).
  const stateRedis = duplicateRedis(redis, { enableAutoPipelining: true, maxRetriesPerRequest: null });
  stateRedis.on('error', (err) => errors.error('state-redis', err, 'state redis error'));
  const state = new SyncState(stateRedis, prefix, {
    relook: { maxRelooks: config.notFoundRelooks, backoffMs: config.notFoundBackoffMs },
  });
  const deadLetters = new DeadLetterService({ connection: redis, prefix, jobOptions });
  const ledger = new DeletionLedger(stateRedis, prefix);
  const userKeys = deps.keys !== undefined ? { keys: deps.keys, close: async () => undefined } : openUserKeys(config);
  const recordsQueue = new Queue(SYNC_RECORDS_QUEUE, { connection, prefix });
  const discoveryQueue = new Queue(SYNC_DISCOVERY_QUEUE, { connection, prefix });
  recordsQueue.on('error', (err) => errors.error('records-queue', err, 'records queue error'));
  discoveryQueue.on('error', (err) => errors.error('discovery-queue', err, 'discovery queue error'));

  let metrics: SyncMetrics | null = null;
  // Stamps each stored record with its registry version, for the repair after a state loss.
  const batcher = new StampingBatcher<BulkItemResult>({
    // Timed per batch: on SQLite the write is synchronous (the event loop waits, also for another process's write lock).
    flush: (records) =>
      timeStage(
        (stage, s) => metrics?.observeStage(stage, s),
        'store_flush',
        () => store.bulkUpsert(records),
      ),
    maxItems: config.batchSize,
    maxWaitMs: config.batchMs,
    maxPending: Math.max(config.batchSize, config.concurrency) * 2,
  });

  const discoveryDeps = {
    relays,
    state,
    recordsQueue,
    store,
    deadLetters,
    ledger,
    deletionRecheckMs: config.deletionRecheckMs,
    logger,
    registryRoot: config.registryRoot,
    nodeId: config.nodeId,
    recordTypes: config.recordTypes,
    jobOptions,
    peers,
    pageSize: config.registryPageSize,
    linkConcurrency: config.registryLinkConcurrency,
  };

  const scheduler = {
    exists: async () => (await discoveryQueue.getJobScheduler(DISCOVERY_SCHEDULER_ID)) != null,
    // Recreated after a loss: the first run is due at once, so discovery resumes within one check.
    create: async (startNow = true) => {
      await discoveryQueue.upsertJobScheduler(
        DISCOVERY_SCHEDULER_ID,
        startNow
          ? { every: config.syncIntervalMs }
          : { every: config.syncIntervalMs, startDate: Date.now() + config.syncIntervalMs },
        { name: JobNames.DISCOVER, data: {}, opts: DISCOVER_JOB_OPTIONS },
      );
    },
  };
  const watch = new StateWatch({
    connections: [stateRedis, redis],
    state,
    prefix,
    logger,
    intervalMs: config.stateCheckMs,
    readTimeoutMs: config.healthReadTimeoutMs,
    storeCount: () => store.count(),
    scheduler,
    onLoss: () => metrics?.stateLost(),
  });
  // Before the workers exist: Redis answers here or start fails, as before.
  await watch.start();

  const processRecord = withStoreRepair(
    createSyncRecordProcessor({
      relays,
      batcher,
      store,
      state,
      deadLetters,
      logger,
      onMappingConflict: config.onMappingConflict,
      trust: { unsigned: config.unsignedRecords, keys: userKeys.keys, ledger },
      // metrics exist before the first job runs (the workers start below them).
      timing: (stage, seconds) => metrics?.observeStage(stage, seconds),
    }),
    { store, state, repairing: () => watch.repairing(), onRepaired: () => metrics?.repaired() },
  );
  // pause() does not stop a fetch already waiting on Redis: a job it brings in after the pause
  // waits here (its lock kept alive by BullMQ) until memory recovers or the worker closes.
  let pauseGate: { promise: Promise<void>; release(): void } | null = null;
  const unprocessed = createUnprocessedJobs({
    state,
    deadLetters,
    relays,
    maxStalledCount: config.maxStalledCount,
    logger,
  });
  const gatedProcess = async (job: Job) => {
    while (pauseGate) await pauseGate.promise;
    // A relay without a client is a configuration error (dead-lettered), never read from another relay.
    await unprocessed.checkRelay(job);
    return processRecord(job);
  };
  const recordWorker = new Worker(SYNC_RECORDS_QUEUE, gatedProcess, {
    connection,
    prefix,
    concurrency: config.concurrency,
    lockDuration: config.lockDurationMs,
    stalledInterval: config.stalledIntervalMs,
    maxStalledCount: config.maxStalledCount,
    settings: { backoffStrategy: cappedExponentialBackoff(config.backoffCapMs) },
    autorun: false,
  });
  recordWorker.on('error', (err) => errors.error('record-worker', err, 'record worker error'));
  // A job that stalled more than maxStalledCount times fails without running our processor:
  // dead-letter it here so it does not stay "in flight" for ever.
  recordWorker.on('failed', (job: Job | undefined, err: Error) => {
    void unprocessed
      .onFailed(job, err)
      .catch((e: unknown) => logger.error({ err: e, jobId: job?.id }, 'could not dead-letter stalled job'));
  });

  const discoveryWorker = new Worker(
    SYNC_DISCOVERY_QUEUE,
    async (job: Job) => {
      const payload = validatePayload(DiscoverPayloadSchema, job.data ?? {}, 'discover payload');
      const started = Date.now();
      const report = await runDiscovery(discoveryDeps, payload.recordTypes);
      // Marks the pass for every worker's repair mode; a failure here only delays its end.
      await watch.passFinished(started).catch(() => {});
      return report;
    },
    { connection, prefix, concurrency: 1, lockDuration: Math.max(config.lockDurationMs, 60_000), autorun: false },
  );
  discoveryWorker.on('error', (err) => errors.error('discovery-worker', err, 'discovery worker error'));

  // Memory pressure pauses record processing (jobs wait in Redis, not in this heap).
  const ownsGuard = deps.memoryGuard === undefined;
  const guard =
    deps.memoryGuard === false ? null : (deps.memoryGuard ?? new MemoryGuard({ intervalMs: config.memorySampleMs }));
  // memory-guard's controller: pause at critical, resume only back at ok (hysteresis: a worker
  // hovering at the critical threshold does not flap at warn).
  const pauser = guard
    ? createPauseController({
        guard,
        pause: async () => {
          let release = () => {};
          pauseGate = { promise: new Promise<void>((r) => (release = r)), release: () => release() };
          await recordWorker.pause(true);
        },
        resume: async () => {
          pauseGate?.release();
          pauseGate = null;
          await recordWorker.resume();
        },
        onChange: (nowPaused, change) => {
          if (nowPaused) logger.warn({ reasons: change?.reasons ?? [] }, 'memory critical: pausing sync worker');
          else logger.info('memory back to ok: resuming sync worker');
        },
        onError: (err) => logger.error({ err }, 'memory pause/resume failed'),
      })
    : null;
  const paused = () => pauser?.paused ?? false;
  if (ownsGuard) guard?.start();

  const syncMetrics = createSyncMetrics(watch, undefined, { redisUp: () => watch.redisUp() });
  metrics = syncMetrics;
  if (watch.stateLost()) syncMetrics.stateLost();
  const memoryMetrics = guard
    ? registerMemoryMetrics(guard, syncMetrics.registry, { defaultMetrics: deps.processMetrics ?? false })
    : null;
  let closing = false;
  let health: FastifyInstance | null = null;
  let healthUrl: string | null = null;
  if (config.healthPort >= 0) {
    health = buildHealthApp({
      registry: syncMetrics.registry,
      counters: () => watch.counters(),
      redisUp: () => watch.redisUp(),
      status: () => ({
        status: closing ? 'closing' : paused() ? 'paused' : 'running',
        concurrency: config.concurrency,
        batcherPending: batcher.pending,
        memory: guard ? guard.status() : 'off',
        stateLost: watch.stateLost(),
        repairing: watch.repairing(),
        countersAt: watch.countersAt(),
        // GUN_PEERS relays and the API base each resolved to; `base: null` = neither answered.
        peers: peers?.status() ?? [],
      }),
    });
    healthUrl = await health.listen({ port: config.healthPort, host: config.healthHost });
  }

  // Asked before the workers run: an existing scheduler means a restart on this prefix.
  const schedulerExisted = await scheduler.exists();
  void recordWorker.run().catch((err: unknown) => logger.error({ err }, 'record worker stopped'));
  void discoveryWorker.run().catch((err: unknown) => logger.error({ err }, 'discovery worker stopped'));
  // Upserting an existing scheduler keeps its next run (up to a whole interval away), so on an
  // existing prefix the first pass at start is a one-off job. Its id is per start second, so
  // workers started together add one pass, not one each.
  await scheduler.create(config.discoverOnStart);
  if (schedulerExisted && config.discoverOnStart) {
    await discoveryQueue.add(
      JobNames.DISCOVER,
      {},
      { ...DISCOVER_JOB_OPTIONS, jobId: `discover-start-${Math.floor(Date.now() / 1000)}` },
    );
  }
  logger.info(
    { relays: config.relays, recordTypes: config.recordTypes.length, intervalMs: config.syncIntervalMs, healthUrl },
    'sync worker started',
  );

  async function waitIdle(timeoutMs = 60_000): Promise<SyncCounters> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await state.counters();
      if (c.inflight <= 0) return c;
      if (Date.now() > deadline) throw new Error(`still ${c.inflight} records in flight after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  let closed: Promise<void> | null = null;
  async function close(): Promise<void> {
    closing = true;
    pauser?.close();
    pauseGate?.release();
    pauseGate = null;
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), config.shutdownTimeoutMs).unref());
    // Stop taking jobs and let the active ones finish (their batch flushes on its own timer).
    const drained = Promise.all([recordWorker.close(), discoveryWorker.close()]);
    if ((await Promise.race([drained, timeout])) === 'timeout') {
      logger.warn('in-flight jobs did not finish in time; closing anyway (they will be retried)');
      await Promise.all([recordWorker.close(true), discoveryWorker.close(true)]);
    }
    watch.close();
    await batcher.close();
    memoryMetrics?.unregister();
    if (ownsGuard) guard?.close();
    await health?.close();
    await Promise.all([recordsQueue.close(), discoveryQueue.close(), deadLetters.close()]);
    await Promise.all([...relays.values()].map((c) => c.close()));
    if (ownsStore) await store.close();
    await userKeys.close();
    await stateRedis.quit().catch(() => stateRedis.disconnect());
    if (ownsRedis) await redis.quit().catch(() => redis.disconnect());
    logger.info('sync worker closed');
  }

  return {
    state,
    deadLetters,
    store,
    metrics: syncMetrics,
    healthUrl: () => healthUrl,
    discoverNow: (types) => runDiscovery(discoveryDeps, types),
    counters: () => state.counters(),
    peerStatus: () => peers?.status() ?? [],
    stateLost: () => watch.stateLost(),
    redisUp: () => watch.redisUp(),
    repairing: () => watch.repairing(),
    checkState: () => watch.tick(),
    waitIdle,
    close: () => (closed ??= close()),
  };
}
