// /api/admin/dlq and the bull-board at /admin/queues on the real Redis: dead letters written the
// way the worker writes them (DeadLetterFixture), read and acted on through the api with an admin
// token; the sync state and the records queue show what a replay did.
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
const start = useApi({ accountsFor: [admin, user] });

let fx: DeadLetterFixture;
let app: FastifyInstance;
beforeEach(async () => {
  fx = DeadLetterFixture.open(REDIS_URL, { tag: 'adm', recordType: 'workout' });
  ({ app } = await start([], { redisUrl: REDIS_URL, queuePrefix: fx.prefix, jwtSecret: SECRET }));
});
afterEach(() => fx.close());

const get = (url: string, authorization = admin) => app.inject({ url, headers: { authorization } });

describe('/api/admin/dlq', () => {
  it('needs an admin token: 401 without one, 403 for a bad or non-admin one', async () => {
    const none = await app.inject('/api/admin/dlq');
    expect([none.statusCode, none.json()]).toEqual([
      401,
      {
        error: { code: 'API_ERR_TOKEN_REQUIRED', message: 'Authentication token required' },
        requestId: expect.any(String),
      },
    ]);
    expect((await get('/api/admin/dlq', 'Bearer not.a.token')).statusCode).toBe(403);
    const plain = await get('/api/admin/dlq', user);
    expect([plain.statusCode, plain.json().error.code]).toEqual([403, 'API_ERR_ADMIN_REQUIRED']);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/admin/dlq/replay',
          headers: { authorization: user },
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
  });

  it('lists newest first with paging and filters by code and record type', async () => {
    const d1 = await fx.add(1, DeadLetterCodes.INVALID_RECORD);
    const d2 = await fx.add(2, DeadLetterCodes.MAPPING_CONFLICT, 'mapper conflict', 'recipe');
    const d3 = await fx.add(3, DeadLetterCodes.MAPPING_CONFLICT);
    const all = (await get('/api/admin/dlq')).json();
    expect(all).toMatchObject({ total: 3, offset: 0, limit: 50, hasMore: false });
    expect(all.entries.map((e: { did: string }) => e.did)).toEqual([d3, d2, d1]);
    expect(all.entries[1]).toMatchObject({
      did: d2,
      code: DeadLetterCodes.MAPPING_CONFLICT,
      message: 'mapper conflict',
      recordType: 'recipe',
      attempts: 1,
    });
    const page = (await get('/api/admin/dlq?limit=1&offset=1')).json();
    expect([page.hasMore, page.entries.map((e: { did: string }) => e.did)]).toEqual([true, [d2]]);
    const conflicts = (await get(`/api/admin/dlq?code=${DeadLetterCodes.MAPPING_CONFLICT}&recordType=workout`)).json();
    expect(conflicts.entries.map((e: { did: string }) => e.did)).toEqual([d3]);
    const bad = await get('/api/admin/dlq?code=NOT_A_CODE');
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'API_VALIDATION']);
  });

  it('shows one entry, replays it into the records queue (state queued), then 404s', async () => {
    const did = await fx.add(1, DeadLetterCodes.MAPPING_CONFLICT);
    const shown = await get(`/api/admin/dlq/${encodeURIComponent(did)}`);
    expect([shown.statusCode, shown.json().did]).toEqual([200, did]);
    const replay = await app.inject({
      method: 'POST',
      url: `/api/admin/dlq/${encodeURIComponent(did)}/replay`,
      headers: { authorization: admin },
    });
    expect([replay.statusCode, replay.json()]).toEqual([
      200,
      expect.objectContaining({ did, replayed: true, replay: 1 }),
    ]);
    expect(await fx.records.getWaitingCount()).toBe(1);
    expect((await fx.state.get(did))?.state).toBe('queued');
    const again = await app.inject({
      method: 'POST',
      url: `/api/admin/dlq/${encodeURIComponent(did)}/replay`,
      headers: { authorization: admin },
    });
    expect([again.statusCode, again.json().error.code]).toEqual([404, 'API_ERR_DEAD_LETTER_NOT_FOUND']);
    expect((await get(`/api/admin/dlq/${encodeURIComponent(did)}`)).statusCode).toBe(404);
  });

  it('replays by filter and discards one entry', async () => {
    const keep = await fx.add(1, DeadLetterCodes.INVALID_RECORD);
    await fx.add(2, DeadLetterCodes.MAPPING_CONFLICT);
    await fx.add(3, DeadLetterCodes.MAPPING_CONFLICT);
    const res = await app.inject({
      method: 'POST',
      url: '/api/admin/dlq/replay',
      headers: { authorization: admin },
      payload: { code: DeadLetterCodes.MAPPING_CONFLICT },
    });
    expect(res.json()).toMatchObject({ replayed: 2, stale: 0 });
    expect(await fx.records.getWaitingCount()).toBe(2);
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/admin/dlq/${encodeURIComponent(keep)}`,
      headers: { authorization: admin },
    });
    expect(del.statusCode).toBe(204);
    expect((await get('/api/admin/dlq')).json().total).toBe(0);
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/admin/dlq/${encodeURIComponent(keep)}`,
          headers: { authorization: admin },
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('/admin/queues (bull-board)', () => {
  it('serves the board and its API to an admin only, listing the three sync queues', async () => {
    await fx.add(1, DeadLetterCodes.INVALID_RECORD);
    expect((await app.inject('/admin/queues')).statusCode).toBe(401);
    expect((await get('/admin/queues', user)).statusCode).toBe(403);
    const page = await get('/admin/queues');
    expect([page.statusCode, page.headers['content-type']]).toEqual([200, expect.stringContaining('text/html')]);
    const api = await get('/admin/queues/api/queues');
    expect(api.statusCode).toBe(200);
    const queues = api.json().queues as Array<{ name: string; readOnlyMode: boolean; counts: Record<string, number> }>;
    expect(queues.map((q) => q.name).sort()).toEqual(['sync-dead-letter', 'sync-discovery', 'sync-records'].sort());
    expect(queues.every((q) => q.readOnlyMode)).toBe(true);
    expect(queues.find((q) => q.name === 'sync-dead-letter')?.counts.waiting).toBe(1);
    expect((await app.inject('/admin/queues/api/queues')).statusCode).toBe(401);
  });
});
