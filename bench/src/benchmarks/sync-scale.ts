// Sync scale-out: records/s with 1, 2 and 3 sync-worker processes (separate OS processes, one
// shared SQLite store) against one Redis (127.0.0.1:6379, a fresh prefix) and against a 6-node
// Redis Cluster this benchmark starts (3 masters, 3 replicas; the prefix hash-tagged, so all its
// keys live on one master). The fake legacy relay runs in its own process. It prints where the
// time goes (the workers' oip_sync_stage_seconds, CPU of workers, relay and Redis), the scaling
// factor as measured and the bottleneck.
import { availableParallelism } from 'node:os';
import { Redis } from 'ioredis';
import { processCpuMs as cpuOf, startRedisCluster, type StartedRedisCluster } from '@oip/fake-relay/redis-cluster';
import { type Benchmark, numberFlag, printResult, printTable } from '../benchmark.js';
import { redisCpuMs } from '../sync/queue-ceiling.js';
import { startRelayProcess } from '../sync/relay-process.js';
import { runScale, type ScaleRun, type ScaleTarget } from '../sync/scale-run.js';
import { REDIS_URL } from '../sync/sync-fixture.js';
import { bottleneck, storeShare } from '../sync/scale-verdict.js';

/**
 * Goal: scaling out costs at most this much more CPU per record (workers, Redis and relay) than
 * one worker does. Duplicate work, lock thrash or retry storms show here; throughput itself is
 * bounded by the box's cores (and whatever else runs on them) and is printed as measured.
 */
const MAX_CPU_PER_RECORD_VS_ONE_WORKER = 1.5;

function standaloneTarget(redis: Redis): ScaleTarget {
  return {
    name: 'one Redis',
    redis: { redisUrl: REDIS_URL },
    env: { REDIS_URL },
    async cpu() {
      const ms = (await redisCpuMs(redis)) ?? 0;
      return { slotOwnerMs: ms, allMs: ms };
    },
  };
}

function clusterTarget(cluster: StartedRedisCluster): ScaleTarget {
  return {
    name: 'Redis Cluster',
    redis: { redisUrl: REDIS_URL, redisClusterNodes: cluster.seeds },
    env: { REDIS_CLUSTER_NODES: cluster.seeds.join(',') },
    async cpu(prefix) {
      const owner = await cluster.slotOwner(`${prefix}:sync:state`);
      const node = cluster.nodes.find((n) => n.port === owner.master.port);
      const all = cluster.cpuMs();
      return { slotOwnerMs: node ? cpuOf(node.pid) : 0, allMs: all };
    },
  };
}

const STAGES = ['relay_fetch', 'validate_convert', 'store_write', 'state_finish', 'queue_wait'] as const;
const meanMs = (r: ScaleRun, stage: string) => {
  const s = r.stages.get(stage);
  return s && s.count > 0 ? (s.seconds * 1000) / s.count : 0;
};

export const benchmark: Benchmark = {
  name: 'sync-scale',
  description:
    'records/s with 1, 2, 3 sync-worker processes (shared SQLite store) on one Redis and on a 6-node Redis Cluster; stage timings, CPU, scaling factor, bottleneck',
  async run(flags) {
    const records = numberFlag(flags, 'records', 20_000, 100, 1_000_000);
    const concurrency = numberFlag(flags, 'concurrency', 50, 1, 1000);
    const maxWorkers = numberFlag(flags, 'max-workers', 3, 1, 8);
    const cores = availableParallelism();
    const relay = await startRelayProcess(records, 'none');
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    let cluster: StartedRedisCluster | null = null;
    const runs: ScaleRun[] = [];
    try {
      const opts = { records, concurrency, relay };
      const targets: ScaleTarget[] = [standaloneTarget(redis)];
      if (flags['skip-cluster'] !== 'true') {
        cluster = await startRedisCluster({ nodes: 6, replicas: 1 });
        targets.push(clusterTarget(cluster));
      }
      for (const target of targets) {
        for (let n = 1; n <= maxWorkers; n++) {
          const r = await runScale(target, n, opts);
          runs.push(r);
          console.log(`  ${target.name}, ${n} worker(s): ${Math.round(r.rate)} records/s (${r.seconds.toFixed(1)} s)`);
        }
      }
    } finally {
      await cluster?.stop();
      await redis.quit().catch(() => redis.disconnect());
      await relay.close();
    }

    const one = (t: string) => runs.find((r) => r.target === t && r.workers === 1)!;
    const perRecord = (ms: number) => (ms / records).toFixed(3);
    console.log(
      `\nsync-scale: ${records} records, concurrency ${concurrency} per worker, fake legacy relay (child process), SQLite store shared by the workers, ${cores} cores\n`,
    );
    const cores2 = (ms: number, r: ScaleRun) => (ms / (r.seconds * 1000)).toFixed(2);
    printTable(
      [
        'Redis',
        'workers',
        'seconds',
        'records/s',
        '× 1 worker',
        'box cores busy',
        'ours',
        'CPU ms/record: workers',
        'Redis (prefix master)',
        'Redis (all)',
        'relay',
        'relay GETs/record',
      ],
      runs.map((r) => [
        r.target,
        r.workers,
        r.seconds.toFixed(1),
        Math.round(r.rate),
        (r.rate / one(r.target).rate).toFixed(2),
        `${cores2(r.cpu.box, r)} of ${cores}`,
        cores2(r.cpu.workers + r.cpu.relay + r.cpu.redisAll, r),
        perRecord(r.cpu.workers),
        perRecord(r.cpu.redisOwner),
        perRecord(r.cpu.redisAll),
        perRecord(r.cpu.relay),
        (r.relayGets / records).toFixed(3),
      ]),
    );
    console.log(
      '\nwhere a record\'s time goes (mean ms per record and stage over all workers; queue_wait is the backlog one discovery pass builds, not work;\n"in store flush" is the share of each worker\'s time inside the synchronous SQLite write of a batch):\n',
    );
    printTable(
      ['Redis', 'workers', ...STAGES, 'in store flush'],
      runs.map((r) => [
        r.target,
        r.workers,
        ...STAGES.map((s) => meanMs(r, s).toFixed(2)),
        `${Math.round(100 * storeShare(r))} %`,
      ]),
    );

    const verdicts = [...new Set(runs.map((r) => r.target))].map((t) => {
      const top = runs.filter((r) => r.target === t).at(-1)!;
      return { target: t, top, factor: top.rate / one(t).rate, why: bottleneck(top, cores) };
    });
    console.log('');
    for (const v of verdicts)
      console.log(
        `scaling on ${v.target}: ${v.top.workers} workers = ${v.factor.toFixed(2)}× one worker; bottleneck: ${v.why.text}`,
      );
    console.log(
      'baseline: one worker process on the same Redis in the same run (the legacy node ran one sync loop per node and could not add workers).',
    );
    const cpuPerRecord = (r: ScaleRun) => (r.cpu.workers + r.cpu.redisAll + r.cpu.relay) / records;
    const cpuRatio = (r: ScaleRun) => cpuPerRecord(r) / cpuPerRecord(one(r.target));
    for (const v of verdicts)
      console.log(
        `CPU per record on ${v.target}: ${v.top.workers} workers = ${cpuRatio(v.top).toFixed(2)}× one worker's (goal ≤ ${MAX_CPU_PER_RECORD_VS_ONE_WORKER}×)`,
      );
    const ok = runs.every((r) => cpuRatio(r) <= MAX_CPU_PER_RECORD_VS_ONE_WORKER);
    const key = (t: string) => (t === 'one Redis' ? 'redis' : 'cluster');
    printResult(
      'sync-scale',
      {
        records,
        ...Object.fromEntries(runs.map((r) => [`${key(r.target)}_${r.workers}w`, Math.round(r.rate)])),
        ...Object.fromEntries(verdicts.map((v) => [`scaling_${key(v.target)}_${v.top.workers}w`, v.factor.toFixed(2)])),
        ...Object.fromEntries(
          verdicts.map((v) => [`cpu_per_record_${key(v.target)}_${v.top.workers}w_vs_1w`, cpuRatio(v.top).toFixed(2)]),
        ),
        ...Object.fromEntries(verdicts.map((v) => [`bottleneck_${key(v.target)}`, v.why.key])),
      },
      ok,
    );
  },
};
