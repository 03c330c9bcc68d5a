// Sync on a real Redis Cluster with a master failover mid-run. Six redis-server processes in
// cluster mode (3 masters, 3 replicas) on loopback; a relay with 20,000 records in one registry
// index, 1 in 25 poisoned (a mapping conflict: dead-lettered); three sync-worker processes
// (apps/sync-worker/dist/main.js, configured through the environment: REDIS_CLUSTER_NODES and a
// hash-tagged prefix) sharing one SQLite store. Mid-run the master owning the prefix's slot is
// SIGKILLed; its replica takes over. Redis replicates asynchronously, so the writes the dead
// master acknowledged but had not sent on are lost: the test measures that loss, lets the
// workers finish what the cluster still knows, measures what is still missing, then lets one
// more discovery pass run (a worker restarted on the prefix runs one) and shows it repaired
// exactly that. At the end every record is indexed or dead-lettered exactly once.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, parseConfig as parseApiConfig } from '@oip/api';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { startRedisCluster, type StartedRedisCluster } from '@oip/fake-relay/redis-cluster';
import { DeadLetterCodes, purgePrefix } from '@oip/queue-contracts';
import { createSqliteRecordStore } from '@oip/record-store';
import {
  DeadLetterService,
  SyncState,
  invariantHolds,
  isCluster,
  openRedis,
  type RedisConnection,
} from '@oip/sync-state';
import { until } from '@oip/test-kit';
import { idle, replicationLag, snapshot, type Snapshot } from '../src/redis-cluster-probe.js';
import {
  buildSyncWorker,
  runOipCli,
  seedRecords,
  startWorkerProcess,
  type WorkerProcess,
} from '../src/redis-cluster-workers.js';

const TOTAL = 20_000;
const POISON_EVERY = 25;
const WORKERS = 3;
/** How long the replica is stopped before its master is killed (well under the 20 s after which it would refuse to take over). */
const STALL_MS = 4000;
const prefix = `{e2e-${randomUUID().slice(0, 8)}}`;

let cluster: StartedRedisCluster | undefined;
let relay: FakeRelay | undefined;
let redis: RedisConnection | undefined;
let dlq: DeadLetterService | undefined;
let api: FastifyInstance | undefined;
let dir: string | undefined;
const workers: WorkerProcess[] = [];
let expected: { good: Set<string>; poisoned: Set<string> };

const log = (line: string) => console.log(`[redis-cluster] ${line}`);

function workerEnv(): Record<string, string> {
  return {
    REDIS_CLUSTER_NODES: cluster!.seeds.join(','),
    SYNC_QUEUE_PREFIX: prefix,
    SYNC_RELAYS: relay!.url,
    // The fake relay's fixtures are legacy-style unsigned records.
    SYNC_UNSIGNED_RECORDS: 'accept',
    SYNC_RECORD_TYPES: 'workout',
    STORE_DATA_DIR: join(dir!, 'records'),
    // One pass at start; the next only when a worker starts again on the prefix.
    SYNC_INTERVAL_MS: '3600000',
    SYNC_CONCURRENCY: '20',
    SYNC_BATCH_SIZE: '50',
    SYNC_BATCH_MS: '20',
    // Transient failures while the slot has no master are retried for well over a failover.
    SYNC_ATTEMPTS: '10',
    SYNC_BACKOFF_MS: '500',
    SYNC_BACKOFF_CAP_MS: '4000',
    // A job whose completion the failover lost is active again without a worker: picked up after this.
    SYNC_LOCK_DURATION_MS: '10000',
    SYNC_STALLED_INTERVAL_MS: '5000',
    SYNC_STATE_CHECK_MS: '1000',
    SYNC_SHUTDOWN_TIMEOUT_MS: '10000',
    SYNC_HEALTH_PORT: '-1',
    LOG_LEVEL: 'error',
  };
}

const tails = () =>
  workers.map((w) => `--- ${w.name} (pid ${w.pid}, ${w.alive() ? 'running' : 'exited'}) ---\n${w.tail()}`).join('\n');

beforeAll(async () => {
  buildSyncWorker();
  dir = mkdtempSync(join(tmpdir(), 'oip-e2e-cluster-'));
  cluster = await startRedisCluster({ nodes: 6, replicas: 1, nodeTimeoutMs: 2000 });
  log(`cluster up: ${cluster.seeds.join(' ')}`);
  relay = await startFakeRelay();
  expected = seedRecords(relay, TOTAL, (i) => i % POISON_EVERY === 0);
  redis = openRedis(
    { redisUrl: 'redis://127.0.0.1:6379', redisClusterNodes: cluster.seeds },
    { maxRetriesPerRequest: 3, commandTimeout: 5000 },
  );
  redis.on('error', () => {});
  dlq = new DeadLetterService({ connection: redis, prefix });
  // The api on the same cluster: /api/health/gun-sync reads what the workers wrote.
  api = buildApp(
    parseApiConfig({
      store: { kind: 'sqlite', dataDir: join(dir, 'api') },
      redisClusterNodes: cluster.seeds,
      queuePrefix: prefix,
      syncStatusTimeoutMs: 5000,
      logLevel: 'silent',
    }),
  );
  await api.ready();
}, 300_000);

afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.stop(10_000)));
  await api?.close().catch(() => {});
  await dlq?.close().catch(() => {});
  redis?.disconnect();
  await relay?.close();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('sync on a Redis Cluster with a master failover mid-run', () => {
  it('indexes or dead-letters every record exactly once; what the failover lost is measured and repaired by the next pass', async () => {
    const c = cluster!;
    const r = redis!;
    const state = new SyncState(r, prefix);
    const owner = await c.slotOwner(`${prefix}:sync:state`);
    // Every key of the prefix is in that one slot (the hash tag).
    for (const key of [`${prefix}:sync:counters`, `${prefix}:sync-records:wait`, `${prefix}:sync-dead-letter:meta`]) {
      expect((await c.slotOwner(key)).slot).toBe(owner.slot);
    }
    log(
      `prefix ${prefix}: slot ${owner.slot} on master ${owner.master.port}, replica ${owner.replicas.map((x) => x.port).join(',')}`,
    );

    const t0 = Date.now();
    for (let i = 0; i < WORKERS; i++) workers.push(startWorkerProcess(`worker-${i + 1}`, workerEnv()));
    const lastPassKey = `${prefix}:sync:last-pass`;

    // Mid-run: discovery under way (claims and jobs being written) and records being finished.
    await until(() => snapshot(r, state), {
      what: 'discovery and processing under way',
      ok: (v) => {
        if (workers.some((w) => !w.alive())) throw new Error(`a worker exited:\n${tails()}`);
        return v.stateEntries >= 1000;
      },
      timeoutMs: 180_000,
      intervalMs: 250,
    });
    // The replica falls behind (stopped, as behind a slow link or a partition) while the workers
    // keep writing to the master, which acknowledges every write; then the master dies.
    const replica = owner.replicas[0]!.port;
    c.pause(replica);
    await new Promise((res) => setTimeout(res, STALL_MS));
    const lag = await replicationLag(c, owner.master.port, replica);
    // The last read of the master (acknowledged state), then at once the SIGKILL.
    let before: Snapshot | undefined;
    await c.kill(owner.master.port, 'SIGKILL', async () => {
      before = await snapshot(r, state);
    });
    c.resume(replica);
    if (!before) throw new Error('no snapshot before the kill');
    const killedAt = Date.now();
    log(
      `replica ${replica} stalled ${STALL_MS} ms, then SIGKILL master ${owner.master.port} at ${((killedAt - t0) / 1000).toFixed(1)} s: ${before.finished} finished, ${before.stateEntries} state entries read just before; replication stream not acknowledged by the replica: ${lag} bytes`,
    );
    expect(before.finished).toBeLessThan(TOTAL - 2000);

    const promoted = await c.waitForFailover(owner.master.port, 60_000);
    const after = await until(() => snapshot(r, state), {
      what: 'state readable on the new master',
      ok: () => true,
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const lostFinished = Math.max(0, before.finished - after.finished);
    const lostEntries = Math.max(0, before.stateEntries - after.stateEntries);
    log(
      `replica ${promoted.port} took over in ${((Date.now() - killedAt) / 1000).toFixed(1)} s: ${after.finished} finished, ${after.stateEntries} state entries → ` +
        `acknowledged and lost: at least ${lostFinished} finished transitions and ${lostEntries} state entries (counters rolled back with them: invariant ${invariantHolds(after.counters) ? 'holds' : 'BROKEN'})`,
    );
    // Scripts replicate whole: what the replica has is a consistent earlier state.
    expect(invariantHolds(after.counters)).toBe(true);

    // The workers finish what the cluster still knows (lost completions come back as stalled jobs;
    // a pass the failover interrupted has failed, one whose completion was lost runs again).
    await until(async () => ({ idle: await idle(r, prefix), s: await snapshot(r, state) }), {
      what: 'queues drained after the failover',
      ok: (v) => {
        if (workers.some((w) => !w.alive())) throw new Error(`a worker exited:\n${tails()}`);
        return v.idle;
      },
      timeoutMs: 180_000,
      intervalMs: 250,
    });
    const drained = await snapshot(r, state);
    const unclaimed = TOTAL - drained.stateEntries;
    const jobless = drained.counters.inflight;
    log(
      `drained: ${drained.finished} finished; missing ${TOTAL - drained.finished}: ${unclaimed} without a state entry (claim lost or never made), ${jobless} in flight without a job`,
    );
    expect(drained.finished + jobless + unclaimed).toBe(TOTAL);

    // One more discovery pass: a worker started again on the prefix runs one at start.
    await workers[WORKERS - 1]!.stop(20_000);
    const passFrom = Date.now();
    workers[WORKERS - 1] = startWorkerProcess(`worker-${WORKERS}b`, workerEnv());
    const final = await until(
      async () => ({
        pass: Number((await r.get(lastPassKey)) ?? 0),
        idle: await idle(r, prefix),
        s: await snapshot(r, state),
      }),
      {
        what: 'repair pass finished and nothing in flight',
        ok: (v) => {
          if (workers.some((w) => !w.alive())) throw new Error(`a worker exited:\n${tails()}`);
          return v.pass >= passFrom && v.idle && v.s.counters.inflight === 0;
        },
        timeoutMs: 180_000,
        intervalMs: 250,
      },
    );
    const body = (await api!.inject('/api/health/gun-sync')).json() as {
      workers: number;
      deadLetters: number;
      invariantOk: boolean;
      counters: Snapshot['counters'];
      lastDiscovery: { report: { queued: number; requeued: number; entries: number } };
    };
    const report = body.lastDiscovery.report;
    log(
      `repair pass: ${report.entries} entries, ${report.queued} queued as new, ${report.requeued} jobs added again; done ${((Date.now() - t0) / 1000).toFixed(1)} s after the start`,
    );
    // The pass repaired exactly what was missing: claims lost (or never made) and jobs lost.
    expect(report.entries).toBe(TOTAL);
    expect(report.queued).toBe(unclaimed);
    expect(report.requeued).toBe(jobless);
    expect(final.s.counters.queued - drained.counters.queued).toBe(unclaimed);

    // Exactly once: counters, the store and the dead-letter queue agree record by record.
    const counters = final.s.counters;
    expect(counters).toMatchObject({
      indexed: expected.good.size,
      dead: expected.poisoned.size,
      gone: 0,
      degraded: 0,
      inflight: 0,
    });
    expect(counters.deadByCode).toEqual({ [DeadLetterCodes.MAPPING_CONFLICT]: expected.poisoned.size });
    expect(invariantHolds(counters)).toBe(true);
    expect(final.s.stateEntries).toBe(TOTAL);

    const store = createSqliteRecordStore({ dataDir: join(dir!, 'records') });
    try {
      expect(await store.count()).toBe(expected.good.size);
      const good = [...expected.good];
      let found = 0;
      for (let i = 0; i < good.length; i += 1000) found += (await store.getMany(good.slice(i, i + 1000))).size;
      expect(found).toBe(expected.good.size);
      expect((await store.getMany([...expected.poisoned])).size).toBe(0);
    } finally {
      await store.close();
    }
    const dead: string[] = [];
    for (let offset = 0; offset < TOTAL; offset += 1000) {
      const page = await dlq!.list({ offset, limit: 1000 });
      dead.push(...page.map((e) => e.did));
      if (page.length < 1000) break;
    }
    expect(await dlq!.count()).toBe(expected.poisoned.size);
    expect(dead).toHaveLength(expected.poisoned.size);
    expect(new Set(dead)).toEqual(expected.poisoned);

    // The api on the cluster sees the same. Its worker count is BullMQ's: on a cluster it counts
    // the named worker connections of the one node holding most of them, so it can show fewer.
    expect(body).toMatchObject({ deadLetters: expected.poisoned.size, invariantOk: true });
    expect(body.workers).toBeGreaterThanOrEqual(1);
    log(
      `api /api/health/gun-sync on the cluster: workers ${body.workers} (of ${WORKERS} processes), ${body.deadLetters} dead letters, invariant ok`,
    );
    expect(body.counters.indexed).toBe(expected.good.size);
    log(
      `exact: ${counters.indexed} indexed + ${counters.dead} dead-lettered = ${TOTAL}; discovered ${counters.discovered} = indexed + dead + ${counters.deduplicated} deduplicated`,
    );

    // The operator's CLI on the cluster, configured as the workers are.
    const cli = await runOipCli(['dlq', 'list', '--group', 'path'], {
      REDIS_CLUSTER_NODES: c.seeds.join(','),
      SYNC_QUEUE_PREFIX: prefix,
    });
    expect(cli.code).toBe(0);
    expect(cli.out).toContain(`${expected.poisoned.size} dead letters in 1 group`);
    expect(cli.out).toContain('data.basic.date');
  });

  it('purgePrefix removes every key of the prefix from every master', async () => {
    const r = redis!;
    await Promise.all(workers.map((w) => w.stop(20_000)));
    if (!isCluster(r)) throw new Error('the test client is not a cluster client');
    expect(await purgePrefix(r, prefix)).toBeGreaterThan(0);
    for (const node of r.nodes('master')) {
      const [, keys] = await node.scan('0', 'MATCH', `${prefix}:*`, 'COUNT', 10_000);
      expect(keys).toEqual([]);
    }
  });
});
