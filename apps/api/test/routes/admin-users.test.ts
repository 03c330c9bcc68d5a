// GET /api/user/admin/users and POST /api/user/admin/update-status over the api's real HTTP port
// (SQLite store, real Redis), as legacy routes/user.js (~948, ~982) answers them, but for admins
// only (by the stored flag the operator grants): paged, no secret in the answer.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, listen, register } from '../account-http.js';
import { useApi, usePurgedPrefixes } from '../helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'admin-users-secret-0123456789';
const start = useApi();
const prefixes = usePurgedPrefixes(REDIS_URL);

async function api() {
  const queuePrefix = `t-adm-${randomUUID().slice(0, 8)}`;
  prefixes.push(queuePrefix);
  const started = await start([], { redisUrl: REDIS_URL, queuePrefix, jwtSecret: SECRET });
  return { ...started, base: await listen(started.app) };
}

/** An admin (granted on the store, as `oip admin grant` does) and two users. */
async function people(t: Awaited<ReturnType<typeof api>>) {
  const admin = await register(t.base, 'admin@example.org', 'admin user passphrase');
  await t.accounts.setAdmin(admin.userId, true);
  const ana = await register(t.base, 'ana@example.org', 'ana user passphrase 1');
  const bo = await register(t.base, 'bo@example.org', 'bo user passphrase 22');
  return { admin, ana, bo };
}

describe('GET /api/user/admin/users', () => {
  it("lists accounts in pages with legacy's fields and no secret", async () => {
    const t = await api();
    const p = await people(t);
    const all = await call(t.base, '/api/user/admin/users', { token: p.admin.token });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ success: true, total: 3, page: 1, limit: 100, totalPages: 1 });
    const users = all.body['users'] as Array<Record<string, unknown>>;
    expect(users.map((u) => u['email']).sort()).toEqual(['admin@example.org', 'ana@example.org', 'bo@example.org']);
    for (const u of users) {
      expect(Object.keys(u).sort()).toEqual(['createdAt', 'email', 'paymentStatus', 'subscriptionStatus', 'userId']);
      expect(u).toMatchObject({ subscriptionStatus: 'inactive', paymentStatus: 'Inactive' });
    }
    const text = JSON.stringify(all.body);
    for (const secret of ['argon2', 'passwordHash', 'secrets', 'custody', 'tokenStamp', 'mnemonic', '"ct"'])
      expect(text).not.toContain(secret);
    const page2 = await call(t.base, '/api/user/admin/users?page=2&limit=2', { token: p.admin.token });
    expect(page2.body).toMatchObject({ total: 3, page: 2, limit: 2, totalPages: 2 });
    const page1 = await call(t.base, '/api/user/admin/users?page=1&limit=2', { token: p.admin.token });
    const ids = [...(page1.body['users'] as unknown[]), ...(page2.body['users'] as unknown[])].map(
      (u) => (u as { userId: string }).userId,
    );
    expect(new Set(ids)).toEqual(new Set(users.map((u) => u['userId'])));
    const tooDeep = await call(t.base, '/api/user/admin/users?page=20&limit=1000', { token: p.admin.token });
    expect([tooDeep.status, tooDeep.headers.get('x-error-code')]).toEqual([400, 'API_ERR_INVALID_QUERY']);
  });

  it('refuses anonymous callers (401), users (403) and a revoked admin (403)', async () => {
    const t = await api();
    const p = await people(t);
    expect((await call(t.base, '/api/user/admin/users')).status).toBe(401);
    const user = await call(t.base, '/api/user/admin/users', { token: p.ana.token });
    expect([user.status, user.headers.get('x-error-code')]).toEqual([403, 'API_ERR_ADMIN_REQUIRED']);
    await t.accounts.setAdmin(p.admin.userId, false);
    t.app.accountStates.forget(p.admin.userId);
    expect((await call(t.base, '/api/user/admin/users', { token: p.admin.token })).status).toBe(403);
  });
});

describe('POST /api/user/admin/update-status', () => {
  it("flips a user's status as legacy does, for admins only", async () => {
    const t = await api();
    const p = await people(t);
    const flip = (token: string, body: unknown) => call(t.base, '/api/user/admin/update-status', { token, body });
    const first = await flip(p.admin.token, { userId: p.ana.userId, field: 'subscriptionStatus' });
    expect([first.status, first.body]).toEqual([
      200,
      {
        success: true,
        message: 'User status updated successfully',
        user: expect.objectContaining({
          userId: p.ana.userId,
          subscriptionStatus: 'active',
          paymentStatus: 'Inactive',
        }),
      },
    ]);
    expect((await t.accounts.findById(p.ana.userId))?.subscriptionStatus).toBe('active');
    await flip(p.admin.token, { userId: p.ana.userId, field: 'subscriptionStatus' });
    expect((await t.accounts.findById(p.ana.userId))?.subscriptionStatus).toBe('inactive');
    await flip(p.admin.token, { userId: p.bo.userId, field: 'paymentStatus' });
    expect((await t.accounts.findById(p.bo.userId))?.paymentStatus).toBe('Active');

    const bad = await flip(p.admin.token, { userId: p.bo.userId, field: 'isAdmin' });
    expect([bad.status, bad.body]).toEqual([
      400,
      { success: false, error: 'Invalid field', code: 'API_ERR_INVALID_FIELD' },
    ]);
    const unknown = await flip(p.admin.token, { userId: randomUUID(), field: 'paymentStatus' });
    expect([unknown.status, unknown.body]).toEqual([
      404,
      { success: false, error: 'User not found', code: 'ACCOUNTS_ERR_NOT_FOUND' },
    ]);
    // A user cannot flip their own (or anyone's) status, nor make themselves an admin.
    const self = await flip(p.bo.token, { userId: p.bo.userId, field: 'paymentStatus' });
    expect([self.status, self.headers.get('x-error-code')]).toEqual([403, 'API_ERR_ADMIN_REQUIRED']);
    expect((await flip('', { userId: p.bo.userId, field: 'paymentStatus' })).status).toBe(403);
    expect(await t.accounts.findById(p.bo.userId)).toMatchObject({ paymentStatus: 'Active', isAdmin: false });
  });
});
