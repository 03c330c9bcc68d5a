// Accounts over HTTP on the real SQLite store and Redis: legacy register/login bodies and answers,
// the token they issue works for publishing and admin routes, admins only by the operator's grant
// (never by configuration or a claim), guessable passwords refused with the reason, tokens that
// follow their account's current state, and login brute force answered 429 by the Redis-backed limit.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { publisherHash } from '@oip/accounts';
import { useApi, usePurgedPrefixes } from '../helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'user-routes-secret-0123456789';
const start = useApi();
const prefixes = usePurgedPrefixes(REDIS_URL);

async function api(overrides: Record<string, unknown> = {}) {
  const queuePrefix = `t-user-${randomUUID().slice(0, 8)}`;
  prefixes.push(queuePrefix);
  return (await start([], { redisUrl: REDIS_URL, queuePrefix, jwtSecret: SECRET, ...overrides })).app;
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
const publish = (app: FastifyInstance, token: string, localId: string) =>
  app.inject({
    method: 'POST',
    url: `/api/records/newRecord?recordType=post&storage=gun&localId=${localId}`,
    headers: { authorization: `Bearer ${token}` },
    payload: { basic: { name: `Post ${localId}` }, post: { articleText: 'text' } },
  });
const INVALID_TOKEN = {
  error: { code: 'API_ERR_TOKEN_INVALID', message: 'Invalid or expired token' },
  requestId: expect.any(String),
};

describe('POST /api/user/register and /login', () => {
  it('registers with the legacy answer, then logs in; the token carries the legacy claims for 45 days', async () => {
    const app = await api();
    const reg = await app.inject({
      method: 'POST',
      url: '/api/user/register',
      payload: { email: 'Ana@Example.org', password: 'correct horse battery' },
    });
    expect(reg.statusCode).toBe(201);
    const body = reg.json();
    expect(body).toMatchObject({
      success: true,
      message: 'User registered successfully',
      publicKey: expect.stringMatching(/^0[23][0-9a-f]{64}$/),
    });
    expect(body.mnemonic.split(' ')).toHaveLength(12);
    const claims = claimsOf(body.token);
    expect(claims).toMatchObject({
      email: 'ana@example.org',
      publicKey: body.publicKey,
      isAdmin: false,
      scope: 'full',
      tokenType: 'standard',
      userId: expect.any(String),
    });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(45 * 24 * 3600);

    const login = await app.inject({
      method: 'POST',
      url: '/api/user/login',
      payload: { email: 'ana@example.org', password: 'correct horse battery' },
    });
    expect([login.statusCode, login.json()]).toEqual([
      200,
      expect.objectContaining({ success: true, message: 'Login successful', publicKey: body.publicKey }),
    ]);
    expect(claimsOf(login.json().token)['userId']).toBe(claims['userId']);
  });

  it('answers the legacy refusals with stable codes', async () => {
    const app = await api();
    await app.inject({
      method: 'POST',
      url: '/api/user/register',
      payload: { email: 'bo@example.org', password: 'long enough pw' },
    });
    const dup = await app.inject({
      method: 'POST',
      url: '/api/user/register',
      payload: { email: 'BO@example.org', password: 'another one here' },
    });
    expect([dup.statusCode, dup.json()]).toEqual([
      400,
      { success: false, error: 'User is already registered.', code: 'ACCOUNTS_ERR_DUPLICATE_EMAIL' },
    ]);
    const badEmail = await app.inject({
      method: 'POST',
      url: '/api/user/register',
      payload: { email: 'not-an-email', password: 'long enough pw' },
    });
    expect([badEmail.statusCode, badEmail.json().code]).toEqual([400, 'ACCOUNTS_ERR_INVALID_EMAIL']);
    const short = await app.inject({
      method: 'POST',
      url: '/api/user/register',
      payload: { email: 'cy@example.org', password: 'short' },
    });
    expect([short.statusCode, short.json().code]).toEqual([400, 'ACCOUNTS_ERR_INVALID_PASSWORD']);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/user/login',
      payload: { email: 'bo@example.org', password: 'wrong password' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/user/login',
      payload: { email: 'nobody@example.org', password: 'whatever it is' },
    });
    for (const r of [wrong, unknown])
      expect([r.statusCode, r.json()]).toEqual([
        400,
        { success: false, error: 'Invalid password', code: 'ACCOUNTS_ERR_BAD_CREDENTIALS' },
      ]);
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/user/login',
      payload: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect([notJson.statusCode, notJson.json().error.code]).toEqual([400, 'API_VALIDATION']);
  });

  it("issues tokens that publish under the account's publisher hash; admin routes open only after the operator's grant", async () => {
    // API_ADMIN_EMAILS is still read but grants nothing.
    const app = await api({ adminEmails: ['root@example.org'] });
    const user = (
      await app.inject({
        method: 'POST',
        url: '/api/user/register',
        payload: { email: 'pub@example.org', password: 'publisher pw 1' },
      })
    ).json();
    const res = await publish(app, user.token, 'hello');
    expect([res.statusCode, res.json().soul]).toEqual([200, `${publisherHash(user.publicKey)}:hello`]);
    expect(
      (await app.inject({ url: '/api/admin/dlq', headers: { authorization: `Bearer ${user.token}` } })).statusCode,
    ).toBe(403);

    const registered = (
      await app.inject({
        method: 'POST',
        url: '/api/user/register',
        payload: { email: 'root@example.org', password: 'root password 9' },
      })
    ).json();
    expect(claimsOf(registered.token)['isAdmin']).toBe(false);
    expect(
      (await app.inject({ url: '/api/admin/dlq', headers: { authorization: `Bearer ${registered.token}` } }))
        .statusCode,
    ).toBe(403);
    // What `oip admin grant root@example.org` does, in process (the CLI test runs the real command).
    await app.accounts.setAdminByEmail('root@example.org', true);
    const root = (
      await app.inject({
        method: 'POST',
        url: '/api/user/login',
        payload: { email: 'root@example.org', password: 'root password 9' },
      })
    ).json();
    expect(claimsOf(root.token)['isAdmin']).toBe(true);
    expect(
      (await app.inject({ url: '/api/admin/dlq', headers: { authorization: `Bearer ${root.token}` } })).statusCode,
    ).toBe(200);
  });

  it('refuses guessable passwords with 400 ACCOUNTS_ERR_INVALID_PASSWORD and the reason, whether or not the email is taken', async () => {
    const app = await api();
    await app.inject({
      method: 'POST',
      url: '/api/user/register',
      payload: { email: 'taken@example.org', password: 'long enough pw' },
    });
    for (const [email, password] of [
      ['new@example.org', 'password'],
      ['new@example.org', '12345678'],
      ['new@example.org', 'new@example.org'],
      ['taken@example.org', 'password'],
    ]) {
      const res = await app.inject({ method: 'POST', url: '/api/user/register', payload: { email, password } });
      expect([res.statusCode, res.headers['x-error-code']]).toEqual([400, 'ACCOUNTS_ERR_INVALID_PASSWORD']);
      expect(res.json()).toEqual({
        success: false,
        error: expect.stringMatching(/^password is too easy to guess: \S/u),
        code: 'ACCOUNTS_ERR_INVALID_PASSWORD',
      });
    }
    expect(await app.accounts.getByEmail('new@example.org')).toBeNull();
  });

  it("refuses a deleted account's token and a revoked admin's admin calls at once with no account cache", async () => {
    const app = await api({ accountCacheTtlMs: 0 });
    const ana = (
      await app.inject({
        method: 'POST',
        url: '/api/user/register',
        payload: { email: 'ana@example.org', password: 'correct horse battery' },
      })
    ).json();
    const ops = (
      await app.inject({
        method: 'POST',
        url: '/api/user/register',
        payload: { email: 'ops@example.org', password: 'operator password' },
      })
    ).json();
    const asOps = { authorization: `Bearer ${ops.token}` };
    expect((await app.inject({ url: '/api/admin/dlq', headers: asOps })).statusCode).toBe(403);
    // A grant reaches tokens already issued (their isAdmin claim says false): the stored flag decides.
    await app.accounts.setAdminByEmail('ops@example.org', true);
    expect((await app.inject({ url: '/api/admin/dlq', headers: asOps })).statusCode).toBe(200);
    const opsAdminToken = (
      await app.inject({
        method: 'POST',
        url: '/api/user/login',
        payload: { email: 'ops@example.org', password: 'operator password' },
      })
    ).json().token as string;
    expect(claimsOf(opsAdminToken)['isAdmin']).toBe(true);
    await app.accounts.setAdminByEmail('ops@example.org', false);
    const revoked = await app.inject({ url: '/api/admin/dlq', headers: { authorization: `Bearer ${opsAdminToken}` } });
    expect([revoked.statusCode, revoked.json().error.code]).toEqual([403, 'API_ERR_ADMIN_REQUIRED']);

    expect((await publish(app, ana.token, 'before')).statusCode).toBe(200);
    await app.accounts.deleteByEmail('ana@example.org');
    const after = await publish(app, ana.token, 'after');
    expect([after.statusCode, after.json()]).toEqual([403, INVALID_TOKEN]);
    const read = await app.inject({ url: '/api/records', headers: { authorization: `Bearer ${ana.token}` } });
    expect([read.statusCode, read.json()]).toEqual([403, INVALID_TOKEN]);
    // The email is free again; the old token does not come back to life with a new account.
    const again = (
      await app.inject({
        method: 'POST',
        url: '/api/user/register',
        payload: { email: 'ana@example.org', password: 'correct horse battery' },
      })
    ).json();
    expect((await publish(app, again.token, 'again')).statusCode).toBe(200);
    expect((await publish(app, ana.token, 'old')).statusCode).toBe(403);
  });

  it('remembers an account for the cache TTL: a deletion is seen once the entry goes (forget stands in for the TTL)', async () => {
    const app = await api({ accountCacheTtlMs: 300_000 });
    const bea = (
      await app.inject({
        method: 'POST',
        url: '/api/user/register',
        payload: { email: 'bea@example.org', password: 'correct horse battery' },
      })
    ).json();
    const read = () => app.inject({ url: '/api/records', headers: { authorization: `Bearer ${bea.token}` } });
    expect((await read()).statusCode).toBe(200);
    const { id } = await app.accounts.deleteByEmail('bea@example.org');
    // Within the TTL the remembered state still answers...
    expect((await read()).statusCode).toBe(200);
    // ...and once it is gone the store's answer (no account) refuses the token.
    app.accountStates.forget(id);
    expect([(await read()).statusCode, (await read()).json()]).toEqual([403, INVALID_TOKEN]);
  });

  it('answers login brute force with 429 and Retry-After', async () => {
    const app = await api({ loginRateLimit: 5 });
    const answers = [];
    for (let i = 0; i < 7; i++)
      answers.push(
        await app.inject({
          method: 'POST',
          url: '/api/user/login',
          payload: { email: 'victim@example.org', password: `guess-${i}-xxxx` },
        }),
      );
    expect(answers.map((a) => a.statusCode)).toEqual([400, 400, 400, 400, 400, 429, 429]);
    expect(answers[5]!.json().error.code).toBe('API_ERR_RATE_LIMITED');
    expect(Number(answers[5]!.headers['retry-after'])).toBeGreaterThan(0);
  });
});
