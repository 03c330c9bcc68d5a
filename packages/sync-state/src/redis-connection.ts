// The one place a sync-worker or api connection to Redis is opened: a single Redis at REDIS_URL,
// or a Redis Cluster from REDIS_CLUSTER_NODES seeds. Callers pass the options they use today
// (one connection's RedisOptions); on a cluster the options that belong to the cluster client
// (offline queue, reconnect strategy, auto-pipelining, lazy connect) move there and the rest
// apply to every node connection.
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** A connection to the sync state's Redis: one server or a cluster. */
export type RedisConnection = Redis | Cluster;

/** Where the sync state lives (both apps' config carry these two fields). */
export interface RedisTarget {
  /** redis:// or rediss:// URL of one server; on a cluster only its credentials are used. */
  redisUrl: string;
  /** `host:port` cluster seeds; empty or absent = one server at `redisUrl`. @defaultValue [] */
  redisClusterNodes?: readonly string[];
}

export function isCluster(conn: RedisConnection): conn is Cluster {
  return (conn as { isCluster?: boolean }).isCluster === true;
}

function seed(hostPort: string): { host: string; port: number } {
  const at = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(hostPort.slice(at + 1)) };
}

/** Splits one connection's options into the cluster client's and its node connections'. */
export function clusterOptionsFrom(options: RedisOptions): ClusterOptions {
  const {
    enableOfflineQueue,
    retryStrategy,
    enableAutoPipelining,
    lazyConnect,
    host: _h,
    port: _p,
    path: _pa,
    ...redisOptions
  } = options;
  return {
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(retryStrategy === undefined ? {} : { clusterRetryStrategy: (times: number) => retryStrategy(times) }),
    ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    redisOptions,
  };
}

/** Credentials of a redis:// URL, applied to every cluster node. */
function credentials(url: string): Pick<RedisOptions, 'username' | 'password'> {
  try {
    const u = new URL(url);
    return {
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    };
  } catch {
    return {};
  }
}

/** Opens the connection `target` names with `options` (ioredis RedisOptions, as for one server). */
export function openRedis(target: RedisTarget, options: RedisOptions = {}): RedisConnection {
  const seeds = target.redisClusterNodes ?? [];
  if (seeds.length === 0) return new Redis(target.redisUrl, options);
  return new Cluster(seeds.map(seed), clusterOptionsFrom({ ...credentials(target.redisUrl), ...options }));
}

/** A new connection to the same server or cluster as `conn`, with `overrides` on top of its options. */
export function duplicateRedis(conn: RedisConnection, overrides: RedisOptions = {}): RedisConnection {
  if (!isCluster(conn)) return conn.duplicate(overrides);
  const split = clusterOptionsFrom(overrides);
  return conn.duplicate([], { ...split, redisOptions: { ...conn.options.redisOptions, ...split.redisOptions } });
}
