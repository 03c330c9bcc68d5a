// What a user publishes or deletes is in their very next list, on both stores, the api opening its
// store from its config as a node does (on Elasticsearch its writes wait for the refresh, as the
// legacy node's did; a list right after a write would otherwise miss it for up to a second).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../records-both-stores.js';
import { publisherKey, useApi, usePurgedPrefixes } from '../helpers.js';
import { signToken } from '../jwt.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'publish-visible-secret-0123456789';
const alice = `Bearer ${signToken({ userId: 'u-alice', email: 'alice@example.org', publicKey: publisherKey() }, SECRET)}`;
const prefixes = usePurgedPrefixes(REDIS_URL);

const listedDids = async (inject: (url: string) => Promise<{ statusCode: number; json(): unknown }>) => {
  const res = await inject('/api/records?recordType=workout&limit=50&sortBy=date:desc');
  expect(res.statusCode).toBe(200);
  return (res.json() as { records: Array<{ oip: { did: string } }> }).records.map((r) => r.oip.did);
};

describe.each(STORE_KINDS)('publish then list, on $kind', ({ kind, skip }) => {
  const start = useApi({
    accountsFor: [alice],
    ...(kind === 'elasticsearch' ? { elasticsearchUrl: process.env['ELASTICSEARCH_URL']! } : {}),
  });

  it.skipIf(skip !== undefined)(
    'each of 5 workouts is listed right after its publish, and gone right after its delete',
    async () => {
      const prefix = `t-vis-${randomUUID().slice(0, 8)}`;
      prefixes.push(prefix);
      const { app } = await start([], {
        redisUrl: REDIS_URL,
        queuePrefix: prefix,
        jwtSecret: SECRET,
        writeRateLimit: 1000,
      });
      const inject = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: alice } });
      const published: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await app.inject({
          method: 'POST',
          url: `/api/records/newRecord?recordType=workout&storage=gun&localId=w-${i}`,
          headers: { authorization: alice },
          payload: {
            basic: { name: `workout ${i}`, date: 1730505600 + i },
            workout: { total_duration_minutes: 10 + i },
          },
        });
        expect(res.statusCode, res.body).toBe(200);
        published.push((res.json() as { did: string }).did);
        expect(await listedDids(inject)).toEqual([...published].reverse());
      }
      while (published.length > 0) {
        const did = published.shift()!;
        const res = await app.inject({
          method: 'POST',
          url: '/api/records/deleteRecord',
          headers: { authorization: alice },
          payload: { did },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(await listedDids(inject)).toEqual([...published].reverse());
      }
    },
  );
});
