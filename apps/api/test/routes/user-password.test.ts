// POST /api/user/change-password over the api's real HTTP port (SQLite store, real Redis): the
// current password is required, the new one follows the registration rules, the secrets open with
// the new one only, and the tokens issued before (standard and calendar) stop working at once in
// this api. Legacy's unauthenticated POST /api/user/reset-password is not served.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, listen, login, register } from '../account-http.js';
import { useApi, usePurgedPrefixes } from '../helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'user-password-secret-0123456789';
const start = useApi();
const prefixes = usePurgedPrefixes(REDIS_URL);

async function api() {
  const queuePrefix = `t-pw-${randomUUID().slice(0, 8)}`;
  prefixes.push(queuePrefix);
  const started = await start([], { redisUrl: REDIS_URL, queuePrefix, jwtSecret: SECRET });
  return { ...started, base: await listen(started.app) };
}

const OLD = 'first wallet passphrase';
const NEW = 'second wallet passphrase';
const change = (base: string, token: string, body: unknown) => call(base, '/api/user/change-password', { token, body });
const readPosts = (base: string, token: string) => call(base, '/api/records?recordType=post', { token });

describe('POST /api/user/change-password', () => {
  it('changes the password: a fresh token answered, old tokens (standard and calendar) refused at once, the mnemonic under the new one', async () => {
    const t = await api();
    const ana = await register(t.base, 'ana@example.org', OLD);
    const calendar = String(
      (await call(t.base, '/api/user/generate-calendar-token', { method: 'POST', token: ana.token })).body[
        'calendarJWT'
      ],
    );
    const res = await change(t.base, ana.token, { oldPassword: OLD, newPassword: NEW });
    expect([res.status, res.body]).toEqual([
      200,
      { success: true, message: 'Password changed successfully', token: expect.any(String), publicKey: ana.publicKey },
    ]);
    const fresh = String(res.body['token']);
    const refused = await readPosts(t.base, ana.token);
    expect([refused.status, refused.headers.get('x-error-code')]).toEqual([403, 'API_ERR_TOKEN_INVALID']);
    expect((await call(t.base, '/api/records?recordType=mealPlan', { token: calendar })).status).toBe(403);
    expect((await readPosts(t.base, fresh)).status).toBe(200);
    expect((await login(t.base, 'ana@example.org', OLD)).status).toBe(400);
    const relogged = await login(t.base, 'ana@example.org', NEW);
    expect(relogged.status).toBe(200);
    expect((await readPosts(t.base, String(relogged.body['token']))).status).toBe(200);
    const mnemonic = await call(t.base, '/api/user/mnemonic', { token: fresh, body: { password: NEW } });
    expect(mnemonic.body['mnemonic']).toBe(ana.mnemonic);
    expect((await call(t.base, '/api/user/mnemonic', { token: fresh, body: { password: OLD } })).status).toBe(401);
    // Publishing still signs with the same key (custody is not tied to the password).
    const published = await call(t.base, '/api/records/newRecord?recordType=post&storage=gun&localId=after-change', {
      token: fresh,
      body: { basic: { name: 'After the change' }, post: { articleText: 'still me' } },
    });
    expect(published.status).toBe(200);
  });

  it('refuses a wrong current password (401), a weak or missing new one (400), and no token (401); nothing changes', async () => {
    const t = await api();
    const bo = await register(t.base, 'bo@example.org', OLD);
    const wrong = await change(t.base, bo.token, { oldPassword: 'not the password', newPassword: NEW });
    expect([wrong.status, wrong.body]).toEqual([
      401,
      { success: false, error: 'Invalid password', code: 'ACCOUNTS_ERR_BAD_CREDENTIALS' },
    ]);
    const weak = await change(t.base, bo.token, { oldPassword: OLD, newPassword: 'password1' });
    expect([weak.status, weak.headers.get('x-error-code')]).toEqual([400, 'ACCOUNTS_ERR_INVALID_PASSWORD']);
    const short = await change(t.base, bo.token, { oldPassword: OLD, newPassword: 'x1' });
    expect([short.status, short.headers.get('x-error-code')]).toEqual([400, 'ACCOUNTS_ERR_INVALID_PASSWORD']);
    const missing = await change(t.base, bo.token, { oldPassword: OLD });
    expect([missing.status, missing.headers.get('x-error-code')]).toEqual([400, 'API_ERR_FIELDS_REQUIRED']);
    const anonymous = await call(t.base, '/api/user/change-password', { body: { oldPassword: OLD, newPassword: NEW } });
    expect(anonymous.status).toBe(401);
    expect((await login(t.base, 'bo@example.org', OLD)).status).toBe(200);
    expect((await readPosts(t.base, bo.token)).status).toBe(200);
  });

  it("does not serve legacy's unauthenticated /api/user/reset-password: 404, and the password stays", async () => {
    const t = await api();
    await register(t.base, 'victim@example.org', OLD);
    const res = await call(t.base, '/api/user/reset-password', {
      body: { email: 'victim@example.org', newPassword: 'attacker chosen passphrase' },
    });
    expect(res.status).toBe(404);
    expect((await login(t.base, 'victim@example.org', 'attacker chosen passphrase')).status).toBe(400);
    expect((await login(t.base, 'victim@example.org', OLD)).status).toBe(200);
  });
});
