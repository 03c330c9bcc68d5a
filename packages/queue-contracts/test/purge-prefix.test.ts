import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { purgePrefix } from '../src/index.js';

const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
afterAll(async () => {
  await redis.quit();
});

describe('purgePrefix', () => {
  it('deletes every key under the prefix, across scan pages, and nothing else', async () => {
    const prefix = `t-purge-${randomUUID().slice(0, 8)}`;
    const other = `${prefix}x`; // shares the text, not the `prefix:` namespace
    const pipe = redis.pipeline();
    for (let i = 0; i < 2500; i++) pipe.set(`${prefix}:k${i}`, '1');
    pipe.set(`${other}:keep`, '1');
    await pipe.exec();
    expect(await purgePrefix(redis, prefix)).toBe(2500);
    expect(await redis.exists(`${prefix}:k0`, `${prefix}:k2499`)).toBe(0);
    expect(await redis.get(`${other}:keep`)).toBe('1');
    await redis.del(`${other}:keep`);
    await expect(purgePrefix(redis, '')).rejects.toThrow(TypeError);
  });

  it('takes a hash-tagged prefix, and on a cluster client scans each master and deletes key by key', async () => {
    const prefix = `{t-purge-${randomUUID().slice(0, 8)}}`;
    const pipe = redis.pipeline();
    for (let i = 0; i < 1200; i++) pipe.set(`${prefix}:k${i}`, '1');
    pipe.set(`${prefix}x:keep`, '1');
    await pipe.exec();
    // A cluster client's shape over this one server (as one master): the per-node path.
    const cluster = { isCluster: true as const, nodes: (role: 'master') => (role === 'master' ? [redis] : []) };
    expect(await purgePrefix(cluster, prefix)).toBe(1200);
    expect(await redis.exists(`${prefix}:k0`, `${prefix}:k1199`)).toBe(0);
    expect(await redis.get(`${prefix}x:keep`)).toBe('1');
    await redis.del(`${prefix}x:keep`);
  });
});
