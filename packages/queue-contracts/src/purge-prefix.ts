// Removes every key under a queue prefix: test and benchmark teardown, and the operator's
// "forget this node's queues" path. Scans in pages so a large keyspace never blocks Redis.

/** The part of an ioredis client this needs. */
export interface KeyScanner {
  scan(cursor: string, matchToken: 'MATCH', pattern: string, countToken: 'COUNT', count: number): Promise<[cursor: string, elements: string[]]>;
  del(...keys: string[]): Promise<number>;
}

/** Deletes all `<prefix>:*` keys; resolves with how many were deleted. */
export async function purgePrefix(redis: KeyScanner, prefix: string): Promise<number> {
  if (!prefix) throw new TypeError('purgePrefix needs a non-empty prefix');
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
