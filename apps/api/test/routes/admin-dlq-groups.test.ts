// /api/admin/dlq/groups (the REST form of `oip dlq list --group path`) and the path filter of
// the list and the replay, on the real Redis with dead letters written as the worker writes them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeadLetterCodes } from '@oip/queue-contracts';
import { DeadLetterFixture } from '@oip/sync-state/testing';
import type { FastifyInstance } from 'fastify';
import { useApi } from '../helpers.js';
import { signToken } from '../jwt.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'test-secret-of-32-characters-xxxx';
const admin = `Bearer ${signToken({ userId: 'u-admin', email: 'admin@example.org', publicKey: 'pk-admin', isAdmin: true }, SECRET)}`;
const user = `Bearer ${signToken({ userId: 'u-1', email: 'user@example.org', publicKey: 'pk-user' }, SECRET)}`;
const PRICES = 'data.shoppingList.item_prices';
const MESSAGES = 'data.conversationSession.messages';
const start = useApi({ accountsFor: [admin, user] });

let fx: DeadLetterFixture;
let app: FastifyInstance;
beforeEach(async () => {
  fx = DeadLetterFixture.open(REDIS_URL, { tag: 'grp', recordType: 'shoppingList' });
  ({ app } = await start([], { redisUrl: REDIS_URL, queuePrefix: fx.prefix, jwtSecret: SECRET }));
});
afterEach(() => fx.close());

const get = (url: string, authorization = admin) => app.inject({ url, headers: { authorization } });

describe('/api/admin/dlq by path', () => {
  it('groups by path: count, degraded, record types, fixed vs incoming types, samples, first/last seen', async () => {
    for (let i = 0; i < 3; i++) await fx.addConflict(i, PRICES, { at: 1000 + i });
    await fx.addConflict(5, MESSAGES, {
      recordType: 'conversationSession',
      fixedType: 'text',
      incomingType: 'object',
      degraded: true,
      at: 9000,
    });
    await fx.add(7, DeadLetterCodes.EXHAUSTED, 'down', 'workout');
    const res = await get('/api/admin/dlq/groups?by=path');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 5, by: 'path', scanned: 5, truncated: false });
    expect(body.groups).toEqual([
      {
        path: PRICES,
        kind: 'mapping_conflict',
        count: 3,
        degraded: 0,
        recordTypes: { shoppingList: 3 },
        codes: { SYNC_ERR_MAPPING_CONFLICT: 3 },
        fixedTypes: ['long'],
        incomingTypes: ['float'],
        rules: [],
        samples: ['[2.5]', '[1.5]', '[0.5]'],
        firstSeen: 1000,
        lastSeen: 1002,
      },
      expect.objectContaining({
        path: MESSAGES,
        count: 1,
        degraded: 1,
        fixedTypes: ['text'],
        incomingTypes: ['object'],
      }),
      expect.objectContaining({ path: null, kind: null, codes: { SYNC_ERR_EXHAUSTED: 1 } }),
    ]);
    expect((await get('/api/admin/dlq/groups')).json().groups).toHaveLength(3);
    expect([(await get('/api/admin/dlq/groups?by=code')).statusCode]).toEqual([400]);
    expect((await get('/api/admin/dlq/groups', user)).statusCode).toBe(403);
  });

  it('lists and replays by path: exactly that path is re-queued', async () => {
    const a = [await fx.addConflict(1, PRICES), await fx.addConflict(2, PRICES)];
    const m = await fx.addConflict(3, MESSAGES, { fixedType: 'text', incomingType: 'object' });
    const listed = (await get(`/api/admin/dlq?path=${encodeURIComponent(PRICES)}`)).json();
    expect(listed.entries.map((e: { did: string }) => e.did).sort()).toEqual([...a].sort());
    expect(listed.entries[0].reasons).toEqual([expect.objectContaining({ kind: 'mapping_conflict', path: PRICES })]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/admin/dlq/replay',
      headers: { authorization: admin },
      payload: { path: PRICES },
    });
    expect(res.json()).toMatchObject({ replayed: 2, stale: 0 });
    expect(await fx.records.getWaitingCount()).toBe(2);
    expect((await get('/api/admin/dlq')).json().entries.map((e: { did: string }) => e.did)).toEqual([m]);
    expect((await get('/api/admin/dlq?path=has%20space')).statusCode).toBe(400);
  });
});
