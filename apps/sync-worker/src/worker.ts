// Wires the sync worker's parts and closes them in order: the connections and clients, the record
// pipeline (processors/sync-record.ts) on its BullMQ worker, the discovery scheduler (its passes in
// processors/discover.ts), the state watch, the memory pause and the health port. The close path
// drains in-flight jobs before closing anything.
import { Queue, type ConnectionOptions } from 'bullmq';
import { pino, type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { GunClient } from '@oip/gun-client';
import { createRecordStore, type BulkItemResult, type OipRecord, type RecordStore } from '@oip/record-store';
import type { MemoryGuard } from '@oip/memory-guard';
import { SYNC_RECORDS_QUEUE, type SyncJobOptionsInput } from '@oip/queue-contracts';
import type { RecordKeySource } from '@oip/records';
import {
  DeadLetterService,
  DeletionLedger,
  SyncState,
  duplicateRedis,
  openRedis,
  type RedisConnection,
  type SyncCounters,
} from '@oip/sync-state';
import type { Config } from './config.js';
import { NotIdleError } from './errors.js';
import { buildHealthApp } from './health/health-app.js';
import { createSyncMetrics, lastKnownCount, timeStage, type SyncMetrics } from './health/metrics.js';
import { createErrorLogLimiter, type ErrorLogLimiter } from './health/rate-limited-log.js';
import { StateWatch, type StateLoss } from './health/state-watch.js';
import { createDiscoverProcessor } from './processors/discover.js';
import { createSyncRecordProcessor } from './processors/sync-record.js';
import { closeLegacySources, openLegacySources } from './migrate/legacy-sources.js';
import { createFollowScheduler } from './migrate/follow-scheduler.js';
import { MicroBatcher } from './services/batcher.js';
import { DiscoveryScheduler } from './services/discovery-scheduler.js';
import { runDiscovery, type DiscoveryDeps, type DiscoveryReport } from './services/discovery.js';
import { MemoryPause } from './services/memory-pause.js';
import { PeerRelays, type PeerStatus } from './services/peer-relays.js';
import { RecordWorker } from './services/record-worker.js';
import { createUnprocessedJobs } from './services/unprocessed-jobs.js';
import { openUserKeys } from './services/user-keys.js';

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
  /**
   * Aborts a start still waiting for Redis: what was opened is closed and the start rejects with
   * the signal's reason (runMain's stop while starting).
   */
  signal?: AbortSignal;
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
  /** Resolves when nothing is in flight (or rejects with SYNC_ERR_NOT_IDLE after timeoutMs). */
  waitIdle(timeoutMs?: number): Promise<SyncCounters>;
  /** Drains in-flight jobs, then closes the batcher, queues, store, relay clients and Redis. */
  close(): Promise<void>;
}

/** Socket errors of a connection that cannot reach Redis (each of the worker's connections reports them). */
const CONNECTION_ERRORS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function jobOptionsFromConfig(config: Config): SyncJobOptionsInput {
  const { attempts, backoffMs, keepCompleted, keepFailed } = config;
  return { attempts, backoffMs, keepCompleted, keepFailed };
}

export async function startSyncWorker(config: Config, deps: SyncWorkerDeps = {}): Promise<SyncWorker> {
  const logger = deps.logger ?? pino({ level: config.logLevel, redact: ['*.authorization', '*.password'] });
  // While Redis is down every connection reports each reconnect attempt: one line per source per
  // window, and one source for all of them when it is the connection that fails (it is one problem).
  const limiter = createErrorLogLimiter(logger, config.errorLogWindowMs);
  const errors: ErrorLogLimiter = {
    error: (source, err, msg) =>
      CONNECTION_ERRORS.has((err as { code?: string } | null)?.code ?? '')
        ? limiter.error('redis-connection', err, 'Redis does not answer at REDIS_URL')
        : limiter.error(source, err, msg),
    get suppressed() {
      return limiter.suppressed;
    },
  };

  // Connections and clients.
  const redis = deps.redis ?? openRedis(config, { maxRetriesPerRequest: null });
  if (!deps.redis) redis.on('error', (err) => errors.error('redis', err, 'redis error'));
  const connection = redis as unknown as ConnectionOptions;
  const prefix = config.queuePrefix;

  // The health port opens first, before anything waits on Redis: while Redis does not answer it
  // says so (503, status 'starting', redis 'down'), and a port in use fails the start with nothing
  // else opened. Its parts are filled in as they start (`started` below).
  const registry = new Registry();
  let started = false;
  let closing = false;
  let health: FastifyInstance | null = null;
  let healthUrl: string | null = null;
  if (config.healthPort >= 0) {
    health = buildHealthApp({
      registry,
      counters: () => (started ? watch.counters() : Promise.resolve(null)),
      redisUp: () => (started ? watch.redisUp() : false),
      status: () =>
        started
          ? {
              status: closing ? 'closing' : memory.paused ? 'paused' : 'running',
              concurrency: config.concurrency,
              batcherPending: batcher.pending,
              memory: memory.status(),
              stateLost: watch.stateLost(),
              repairing: watch.repairing(),
              countersAt: watch.countersAt(),
              // GUN_PEERS relays and the API base each resolved to; `base: null` = neither answered.
              peers: peers?.status() ?? [],
            }
          : { status: closing ? 'closing' : 'starting', waitingFor: 'redis' },
    });
    try {
      healthUrl = await health.listen({ port: config.healthPort, host: config.healthHost });
    } catch (err) {
      if (!deps.redis) redis.disconnect();
      throw err;
    }
  }
  const store = deps.store ?? createRecordStore(config.store, { logger });
  const relayClient = (url: string) =>
    // Retries belong to BullMQ (durable, counted, capped); discovery must see new souls at once.
    new GunClient({
      baseUrl: url,
      connections: config.relayConnections,
      requestTimeoutMs: config.relayTimeoutMs,
      retry: { attempts: 1 },
      negativeCache: false,
    });
  const relays = new Map(config.relays.map((url) => [url, relayClient(url)]));
  // GUN_PEERS relays: their API base (/gun-relay proxy or bare relay) is resolved at the first pass.
  const peers =
    Object.keys(config.relayPeers).length > 0
      ? new PeerRelays({ relays, peers: config.relayPeers, createClient: relayClient })
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
  recordsQueue.on('error', (err) => errors.error('records-queue', err, 'records queue error'));

  // Set once the workers exist; stages timed before then are not observed.
  let metrics: SyncMetrics | null = null;
  const batcher = new MicroBatcher<OipRecord, BulkItemResult>({
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

  // Discovery: passes on a schedule, run one at a time.
  const discovery: DiscoveryDeps = {
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
  const scheduler: DiscoveryScheduler = new DiscoveryScheduler({
    connection,
    prefix,
    // The watch exists before the first pass runs (passes start with scheduler.start below).
    process: createDiscoverProcessor({ discovery, passFinished: (t) => watch.passFinished(t) }),
    intervalMs: config.syncIntervalMs,
    lockDurationMs: config.lockDurationMs,
    logger,
    errors,
  });
  // Set once the legacy clients are open (below); null while off.
  let follow: DiscoveryScheduler | null = null;
  const watch = new StateWatch({
    connections: [stateRedis, redis],
    state,
    prefix,
    logger,
    intervalMs: config.stateCheckMs,
    readTimeoutMs: config.healthReadTimeoutMs,
    storeCount: () => store.count(),
    // Recreated after a loss: the first run is due at once, so discovery resumes within one check.
    // The legacy follow passes' scheduler (when on) is checked and recreated with it.
    scheduler: {
      exists: async () => (await scheduler.exists()) && ((await follow?.exists()) ?? true),
      create: async () => {
        await scheduler.create(true);
        await follow?.create(true);
      },
    },
    onLoss: () => metrics?.stateLost(),
  });
  // Before the workers exist: Redis answers here (the start waits for it, saying so once).
  const waiting = setTimeout(
    () => logger.warn({ healthUrl }, 'Redis does not answer at REDIS_URL; waiting for it before starting'),
    2000,
  );
  try {
    await untilAborted(watch.start(), deps.signal);
  } catch (err) {
    if (deps.signal?.aborted) {
      // Nothing runs yet: close what is open (the store first, so SQLite leaves no -wal file).
      await health?.close();
      if (!deps.store) await store.close();
      await userKeys.close();
      await Promise.all([...relays.values()].map((c) => c.close()));
      stateRedis.disconnect();
      if (!deps.redis) redis.disconnect();
      logger.info('sync worker stopped while waiting for Redis');
    }
    throw err;
  } finally {
    clearTimeout(waiting);
  }
  // Records: the pipeline on its worker, paused under memory pressure.
  // Replays of migrated records read their legacy index (MIGRATE_ELASTICSEARCH_URL).
  const legacySources = openLegacySources(config);
  const records = new RecordWorker({
    connection,
    prefix,
    process: createSyncRecordProcessor({
      relays,
      batcher,
      store,
      state,
      deadLetters,
      logger,
      onMappingConflict: config.onMappingConflict,
      trust: { unsigned: config.unsignedRecords, keys: userKeys.keys, ledger },
      timing: (stage, seconds) => metrics?.observeStage(stage, seconds),
      repairing: () => watch.repairing(),
      onRepaired: () => metrics?.repaired(),
      legacySources,
    }),
    unprocessed: createUnprocessedJobs({ state, deadLetters, maxStalledCount: config.maxStalledCount, logger }),
    concurrency: config.concurrency,
    lockDurationMs: config.lockDurationMs,
    stalledIntervalMs: config.stalledIntervalMs,
    maxStalledCount: config.maxStalledCount,
    backoffCapMs: config.backoffCapMs,
    logger,
    errors,
  });
  // Keep mirroring a legacy index (MIGRATE_FOLLOW_ELASTICSEARCH_URL): passes on a schedule of their own.
  follow = createFollowScheduler(config, {
    connection,
    redis: stateRedis,
    sources: legacySources,
    store,
    state,
    recordsQueue,
    jobOptions,
    logger,
    errors,
  });
  const memory = new MemoryPause({ guard: deps.memoryGuard, sampleMs: config.memorySampleMs, target: records, logger });

  metrics = createSyncMetrics(watch, registry, {
    redisUp: () => watch.redisUp(),
    deadLetters: lastKnownCount(
      () => deadLetters.count(),
      () => watch.redisUp(),
      config.healthReadTimeoutMs,
    ),
  });
  if (watch.stateLost()) metrics.stateLost();
  memory.registerMetrics(metrics.registry, deps.processMetrics ?? false);
  started = true;

  records.run();
  await scheduler.start(config.discoverOnStart);
  await follow?.start(true);
  logger.info(
    { relays: config.relays, recordTypes: config.recordTypes.length, intervalMs: config.syncIntervalMs, healthUrl },
    'sync worker started',
  );

  async function waitIdle(timeoutMs = 60_000): Promise<SyncCounters> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await state.counters();
      if (c.inflight <= 0) return c;
      if (Date.now() > deadline) throw new NotIdleError(c.inflight, timeoutMs);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function close(): Promise<void> {
    closing = true;
    memory.stop();
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), config.shutdownTimeoutMs).unref());
    // Stop taking jobs and let the active ones finish (their batch flushes on its own timer).
    const drained = Promise.all([records.close(), scheduler.closeWorker(), follow?.closeWorker()]);
    if ((await Promise.race([drained, timeout])) === 'timeout') {
      logger.warn('in-flight jobs did not finish in time; closing anyway (they will be retried)');
      await Promise.all([records.close(true), scheduler.closeWorker(true), follow?.closeWorker(true)]);
    }
    watch.close();
    await batcher.close();
    memory.close();
    await health?.close();
    await Promise.all([recordsQueue.close(), scheduler.closeQueue(), follow?.closeQueue(), deadLetters.close()]);
    await Promise.all([...relays.values()].map((c) => c.close()));
    await closeLegacySources(legacySources);
    if (!deps.store) await store.close();
    await userKeys.close();
    await stateRedis.quit().catch(() => stateRedis.disconnect());
    if (!deps.redis) await redis.quit().catch(() => redis.disconnect());
    logger.info('sync worker closed');
  }

  let closed: Promise<void> | null = null;
  return {
    state,
    deadLetters,
    store,
    metrics,
    healthUrl: () => healthUrl,
    discoverNow: (types) => runDiscovery(discovery, types),
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

/** `p`, or a rejection with the signal's reason as soon as `signal` aborts. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
