// What the Redis Cluster e2e test reads from the cluster while the workers run: the sync
// counters and state size (through @oip/sync-state, on a cluster client), the queues' unfinished
// jobs, and how far a replica trails its master.
import type { RedisConnection, SyncCounters, SyncState } from '@oip/sync-state';
import { SYNC_DISCOVERY_QUEUE, SYNC_RECORDS_QUEUE } from '@oip/queue-contracts';
import type { StartedRedisCluster } from '@oip/fake-relay/redis-cluster';

export interface Snapshot {
  counters: SyncCounters;
  /** Entries in the state hash: records claimed at least once. */
  stateEntries: number;
  /** indexed + dead: records finished. */
  finished: number;
}

export async function snapshot(redis: RedisConnection, state: SyncState): Promise<Snapshot> {
  const [counters, stateEntries] = await Promise.all([state.counters(), redis.hlen(state.keys.state)]);
  return { counters, stateEntries, finished: counters.indexed + counters.dead };
}

/**
 * Jobs of a queue not finished yet (waiting, active, prioritized, paused, and delayed unless
 * `delayed: false`), read from BullMQ's own keys (`<prefix>:<queue>:wait` …, bullmq 5/6 layout):
 * this workspace reads the queue the way an operator's redis-cli would, without a BullMQ client.
 */
export async function pendingJobs(
  redis: RedisConnection,
  prefix: string,
  queue: string,
  opts: { delayed?: boolean } = {},
): Promise<number> {
  const k = (s: string) => `${prefix}:${queue}:${s}`;
  const [wait, active, paused, prioritized, delayed] = await Promise.all([
    redis.llen(k('wait')),
    redis.llen(k('active')),
    redis.llen(k('paused')),
    redis.zcard(k('prioritized')),
    opts.delayed === false ? 0 : redis.zcard(k('delayed')),
  ]);
  return wait + active + paused + prioritized + delayed;
}

/** Nothing left to do: no record job unfinished, no discovery pass waiting or running (its scheduler's next run aside). */
export async function idle(redis: RedisConnection, prefix: string): Promise<boolean> {
  const [records, discovery] = await Promise.all([
    pendingJobs(redis, prefix, SYNC_RECORDS_QUEUE),
    pendingJobs(redis, prefix, SYNC_DISCOVERY_QUEUE, { delayed: false }),
  ]);
  return records === 0 && discovery === 0;
}

/**
 * Bytes of the replication stream `master` has written that its replica at `replicaPort` has
 * not acknowledged yet (the master's own view: replicas acknowledge about once a second).
 */
export async function replicationLag(
  cluster: StartedRedisCluster,
  master: number,
  replicaPort: number,
): Promise<number> {
  const info = await cluster.cli(master, 'INFO', 'replication');
  const offset = Number(/master_repl_offset:(\d+)/.exec(info)?.[1] ?? NaN);
  const acked = Number(
    new RegExp(`slave\\d+:ip=[^,]+,port=${replicaPort},state=\\w+,offset=(\\d+)`).exec(info)?.[1] ?? NaN,
  );
  return offset - acked;
}
