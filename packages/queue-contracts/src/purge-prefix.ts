// Removes every key under a queue prefix: test and benchmark teardown, and the operator's
// "forget this node's queues" path. Scans in pages so a large keyspace never blocks Redis.
// On a Redis Cluster, SCAN sees one node's keys only: every master is scanned, and each key is
// deleted on its own (keys of one page may sit in different slots; DEL of several is CROSSSLOT).

/** The part of an ioredis client (one server, or one node of a cluster) this needs. */
export interface KeyScanner {
  scan(
    cursor: string,
    matchToken: 'MATCH',
    pattern: string,
    countToken: 'COUNT',
    count: number,
  ): Promise<[cursor: string, elements: string[]]>;
  del(...keys: string[]): Promise<number>;
}

/** The part of an ioredis Cluster this needs: its master nodes. */
export interface ClusterKeyScanner {
  /** True on a cluster client (ioredis sets it on both kinds). */
  readonly isCluster: boolean;
  nodes(role: 'master'): KeyScanner[];
}

const isClusterScanner = (r: KeyScanner | ClusterKeyScanner): r is ClusterKeyScanner =>
  (r as { isCluster?: unknown }).isCluster === true;

/** Deletes all `<prefix>:*` keys (on every master of a cluster); resolves with how many were deleted. */
export async function purgePrefix(redis: KeyScanner | ClusterKeyScanner, prefix: string): Promise<number> {
  if (!prefix) throw new TypeError('purgePrefix needs a non-empty prefix');
  if (!isClusterScanner(redis)) return purgeNode(redis, prefix, false);
  let deleted = 0;
  for (const node of redis.nodes('master')) deleted += await purgeNode(node, prefix, true);
  return deleted;
}

async function purgeNode(redis: KeyScanner, prefix: string, oneKeyPerDel: boolean): Promise<number> {
  // MATCH is a glob: a prefix with a hash tag (`{oip}`) or other glob characters is escaped.
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length === 0) continue;
    if (!oneKeyPerDel) deleted += await redis.del(...keys);
    else for (const n of await Promise.all(keys.map((k) => redis.del(k)))) deleted += n;
  } while (cursor !== '0');
  return deleted;
}
