// One run of the scaling benchmark: N sync-worker processes on a fresh (hash-tagged) prefix of
// one Redis or a Redis Cluster and a fresh SQLite store, one discovery pass over the relay's
// registry index, timed until every record is indexed and nothing is in flight. CPU of every
// party is read before and after (workers and relay from /proc, Redis from its server process),
// and the workers' stage timings from their /metrics.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, type ConnectionOptions } from 'bullmq';
import { DISCOVER_JOB_OPTIONS, JobNames, SYNC_DISCOVERY_QUEUE, purgePrefix } from '@oip/queue-contracts';
import { SyncState, openRedis, type RedisTarget } from '@oip/sync-worker';
import { processCpuMs } from '@oip/fake-relay/redis-cluster';
import type { RelayProcess } from './relay-process.js';
import { stageTotals, startWorkerProcess, type WorkerProcess } from './worker-processes.js';

/** Busy CPU time of the whole box so far (every process, ours or not), ms, from /proc/stat; 0 elsewhere. */
export function boxCpuMs(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal … (USER_HZ ticks, 100 a second on Linux)
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return (user + nice + system + irq + softirq + steal) * 10;
  } catch {
    return 0;
  }
}

export interface ScaleTarget {
  name: string;
  redis: RedisTarget;
  /** Worker environment naming this Redis (REDIS_URL or REDIS_CLUSTER_NODES). */
  env: Record<string, string>;
  /** CPU used so far by the Redis server(s) serving `prefix`, and by all of them, ms. */
  cpu(prefix: string): Promise<{ slotOwnerMs: number; allMs: number }>;
}

export interface ScaleRun {
  target: string;
  workers: number;
  seconds: number;
  rate: number;
  /** CPU over the run, ms: the worker processes, the relay, Redis (the prefix's server and all), the whole box. */
  cpu: { workers: number; relay: number; redisOwner: number; redisAll: number; box: number };
  /** Seconds and observations per stage over all workers (store_flush per batch, the others per record). */
  stages: Map<string, { seconds: number; count: number }>;
  /** Relay /get requests during the run (records and registry pages): a record fetched twice shows here. */
  relayGets: number;
}

export interface ScaleRunOptions {
  records: number;
  concurrency: number;
  relay: RelayProcess;
}

export async function runScale(target: ScaleTarget, workers: number, o: ScaleRunOptions): Promise<ScaleRun> {
  const prefix = `{bench-scale-${randomUUID().slice(0, 8)}}`;
  const dir = mkdtempSync(join(tmpdir(), 'oip-bench-scale-'));
  const redis = openRedis(target.redis, { maxRetriesPerRequest: null });
  redis.on('error', () => {});
  const procs: WorkerProcess[] = [];
  const discovery = new Queue(SYNC_DISCOVERY_QUEUE, { connection: redis as unknown as ConnectionOptions, prefix });
  discovery.on('error', () => {});
  try {
    const env = {
      ...target.env,
      SYNC_QUEUE_PREFIX: prefix,
      SYNC_RELAYS: o.relay.url,
      // Legacy-style unsigned fixture records.
      SYNC_UNSIGNED_RECORDS: 'accept',
      SYNC_RECORD_TYPES: 'workout',
      STORE_DATA_DIR: join(dir, 'records'),
      // The pass is started by the benchmark once every worker is ready.
      SYNC_DISCOVER_ON_START: 'false',
      SYNC_INTERVAL_MS: '3600000',
      SYNC_CONCURRENCY: String(o.concurrency),
      SYNC_BATCH_SIZE: '50',
      SYNC_BATCH_MS: '10',
      LOG_LEVEL: 'error',
    };
    for (let i = 0; i < workers; i++) procs.push(await startWorkerProcess(env));
    const state = new SyncState(redis, prefix);
    const workerCpu = () => procs.reduce((s, p) => s + p.cpuMs(), 0);
    await o.relay.resetCounts();
    const before = {
      workers: workerCpu(),
      relay: processCpuMs(o.relay.pid),
      redis: await target.cpu(prefix),
      box: boxCpuMs(),
    };
    const t0 = performance.now();
    await discovery.add(JobNames.DISCOVER, {}, DISCOVER_JOB_OPTIONS);
    const timeoutMs = Math.max(120_000, o.records * 20);
    for (;;) {
      const c = await state.counters();
      if (c.indexed === o.records && c.inflight === 0) break;
      if (c.dead > 0 || c.gone > 0)
        throw new Error(`${target.name}, ${workers} workers: ${c.dead} dead, ${c.gone} gone (expected none)`);
      if (performance.now() - t0 > timeoutMs)
        throw new Error(
          `${target.name}, ${workers} workers: ${c.indexed} of ${o.records} indexed after ${timeoutMs} ms`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t0) / 1000;
    const after = {
      workers: workerCpu(),
      relay: processCpuMs(o.relay.pid),
      redis: await target.cpu(prefix),
      box: boxCpuMs(),
    };
    const relayGets = (await o.relay.counts()).get;
    const stages = stageTotals(await Promise.all(procs.map((p) => p.metrics())));
    return {
      target: target.name,
      workers,
      seconds,
      rate: o.records / seconds,
      cpu: {
        workers: after.workers - before.workers,
        relay: after.relay - before.relay,
        redisOwner: after.redis.slotOwnerMs - before.redis.slotOwnerMs,
        redisAll: after.redis.allMs - before.redis.allMs,
        box: after.box - before.box,
      },
      stages,
      relayGets,
    };
  } finally {
    await Promise.allSettled(procs.map((p) => p.stop()));
    await discovery.close().catch(() => {});
    await purgePrefix(redis, prefix).catch(() => 0);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}
