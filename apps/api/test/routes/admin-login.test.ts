// The dashboard's browser login on the real Redis (bull-board's queues, the login rate limit):
// /admin/login sets the board session cookie for an admin's email and password, /admin/queues
// takes it in place of a bearer token and sends a browser without a live one to the login page,
// and no other route takes it.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import { useApi, usePurgedPrefixes } from '../helpers.js';
import { signToken } from '../jwt.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'test-secret-of-32-characters-xxxx';
const PASSWORD = 'quiet-lantern-orbit-7294-Maple';
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const start = useApi();
const prefixes = usePurgedPrefixes(REDIS_URL);

let app: FastifyInstance;
let adminId: string;

beforeEach(async () => {
  const prefix = `test-board-login-${randomUUID().slice(0, 8)}`;
  prefixes.push(prefix);
  ({ app } = await start([], {
    redisUrl: REDIS_URL,
    queuePrefix: prefix,
    jwtSecret: SECRET,
    accountCacheTtlMs: 0,
    loginRateLimit: 5,
    // As behind a reverse proxy: X-Forwarded-Proto says whether the browser came over https.
    trustProxy: true,
  }));
  adminId = (await app.accounts.register({ email: 'admin@example.org', password: PASSWORD })).account.id;
  await app.accounts.setAdmin(adminId, true);
  await app.accounts.register({ email: 'user@example.org', password: PASSWORD });
});

/** POST /admin/login as the form sends it. */
function login(
  email: string,
  password: string,
  next?: string,
  accept = HTML,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const form = new URLSearchParams({ email, password, ...(next === undefined ? {} : { next }) });
  return app.inject({
    method: 'POST',
    url: '/admin/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept, ...headers },
    payload: form.toString(),
  });
}

/** The session cookie a login set (`name=value`), after checking its attributes. */
function sessionCookie(res: LightMyRequestResponse): string {
  const set = res.headers['set-cookie'];
  const line = Array.isArray(set) ? set.join('\n') : String(set);
  expect(line).toMatch(/^oip_board_session=[\w.-]+; Max-Age=1800; Path=\/admin; HttpOnly; SameSite=Strict$/);
  return line.split(';')[0]!;
}

const board = (url: string, cookie?: string, accept = HTML) =>
  app.inject({ url, headers: { accept, ...(cookie === undefined ? {} : { cookie }) } });

/** A board session token signed with the node's secret, as the login signs one (claims overridable). */
function session(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  return `oip_board_session=${signToken({ email: 'admin@example.org', scope: 'admin-board', exp: now + 600, ...claims }, SECRET)}`;
}

describe('the dashboard login', () => {
  it('sends a browser without a session to the login page, and a client without one gets 401', async () => {
    const page = await board('/admin/queues/queue/sync-dead-letter?status=waiting');
    expect([page.statusCode, page.headers.location]).toEqual([
      303,
      '/admin/login?next=%2Fadmin%2Fqueues%2Fqueue%2Fsync-dead-letter%3Fstatus%3Dwaiting',
    ]);
    // A page address too long to carry through the login comes back to the board itself.
    const long = await board(`/admin/queues/queue/sync-dead-letter?x=${'a'.repeat(2100)}`);
    expect([long.statusCode, long.headers.location]).toEqual([303, '/admin/login?next=%2Fadmin%2Fqueues']);
    const api = await board('/admin/queues/api/queues', undefined, 'application/json');
    expect([api.statusCode, api.json().error.code]).toEqual([401, 'API_ERR_TOKEN_REQUIRED']);
    const form = await app.inject('/admin/login?next=%2Fadmin%2Fqueues%2Fqueue%2Fsync-dead-letter');
    expect([form.statusCode, form.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(form.body).toContain('<form method="post" action="/admin/login">');
    expect(form.body).toContain('name="next" value="/admin/queues/queue/sync-dead-letter"');
    expect(form.headers['content-security-policy']).toContain("script-src 'self'");
    // A next outside the board is replaced by the board (no redirect elsewhere through the login).
    expect((await app.inject('/admin/login?next=https%3A%2F%2Fevil.example')).body).toContain(
      'name="next" value="/admin/queues"',
    );
  });

  it('logs an admin in: the cookie opens the board page and its API, then the board shows the queues', async () => {
    const res = await login('admin@example.org', PASSWORD, '/admin/queues/queue/sync-dead-letter');
    expect([res.statusCode, res.headers.location]).toEqual([303, '/admin/queues/queue/sync-dead-letter']);
    const cookie = sessionCookie(res);
    const page = await board('/admin/queues', cookie);
    expect([page.statusCode, page.headers['content-type']]).toEqual([200, expect.stringContaining('text/html')]);
    const api = await board('/admin/queues/api/queues', cookie, 'application/json');
    expect(api.statusCode).toBe(200);
    const queues = api.json().queues as Array<{ name: string; hasWorkers: boolean | null }>;
    // No worker runs in this test: the two consumed queues say so; the dead-letter queue reports none.
    expect(Object.fromEntries(queues.map((q) => [q.name, q.hasWorkers]))).toEqual({
      'sync-records': false,
      'sync-discovery': false,
      'sync-dead-letter': null,
    });
    // JSON clients log in too: the same redirect and cookie.
    const json = await app.inject({
      method: 'POST',
      url: '/admin/login',
      payload: { email: 'admin@example.org', password: PASSWORD, next: '//evil.example/admin/queues' },
    });
    expect([json.statusCode, json.headers.location]).toEqual([303, '/admin/queues']);
    sessionCookie(json);
  });

  it('marks the cookie Secure when the browser came over https (the trusted proxy says so)', async () => {
    const res = await login('admin@example.org', PASSWORD, undefined, HTML, { 'x-forwarded-proto': 'https' });
    expect(res.statusCode).toBe(303);
    expect(res.headers['set-cookie']).toMatch(
      /^oip_board_session=[\w.-]+; Max-Age=1800; Path=\/admin; HttpOnly; Secure; SameSite=Strict$/,
    );
  });

  it('refuses a wrong password (401) and a non-admin (403): the form again for a browser, the error body for a client', async () => {
    for (const [email, password] of [
      ['admin@example.org', 'not the password'],
      ['nobody@example.org', PASSWORD],
    ] as const) {
      const page = await login(email, password);
      expect([page.statusCode, page.headers['x-error-code'], page.headers['set-cookie']]).toEqual([
        401,
        'API_ERR_LOGIN_FAILED',
        undefined,
      ]);
      expect(page.body).toContain('<p class="error" role="alert">Wrong email or password</p>');
      expect(page.body).toContain(`value="${email}"`);
    }
    const wrong = await login('admin@example.org', 'not the password', undefined, 'application/json');
    expect([wrong.statusCode, wrong.json().error]).toEqual([
      401,
      { code: 'API_ERR_LOGIN_FAILED', message: 'Wrong email or password' },
    ]);
    const user = await login('user@example.org', PASSWORD, undefined, 'application/json');
    expect([user.statusCode, user.json().error.code, user.headers['set-cookie']]).toEqual([
      403,
      'API_ERR_ADMIN_REQUIRED',
      undefined,
    ]);
    expect((await login('user@example.org', PASSWORD)).body).toContain('Admin access required');
  });

  it('refuses an expired, tampered or foreign cookie: the login page for a browser, 403 for a client', async () => {
    const good = sessionCookie(await login('admin@example.org', PASSWORD));
    const now = Math.floor(Date.now() / 1000);
    const expired = session({ userId: adminId, iat: now - 3600, exp: now - 1 });
    const tampered = good.slice(0, -2) + (good.endsWith('A') ? 'B' : 'A') + good.slice(-1);
    const standard = `oip_board_session=${signToken({ userId: adminId, email: 'admin@example.org', scope: 'full', isAdmin: true }, SECRET)}`;
    const otherSecret = `oip_board_session=${signToken({ userId: adminId, email: 'a@example.org', scope: 'admin-board' }, 'another-secret-of-32-characters-x')}`;
    expect((await board('/admin/queues', session({ userId: adminId }))).statusCode).toBe(200);
    for (const cookie of [expired, tampered, standard, otherSecret]) {
      const page = await board('/admin/queues', cookie);
      expect([page.statusCode, page.headers.location]).toEqual([303, '/admin/login?next=%2Fadmin%2Fqueues']);
      const api = await board('/admin/queues/api/queues', cookie, 'application/json');
      expect([api.statusCode, api.json().error.code]).toEqual([403, 'API_ERR_TOKEN_INVALID']);
    }
  });

  it('ends the session when the admin flag is revoked (403) or the password changes (stamp renewed)', async () => {
    const cookie = sessionCookie(await login('admin@example.org', PASSWORD));
    await app.accounts.setAdmin(adminId, false);
    const revoked = await board('/admin/queues/api/queues', cookie, 'application/json');
    expect([revoked.statusCode, revoked.json().error.code]).toEqual([403, 'API_ERR_ADMIN_REQUIRED']);
    await app.accounts.setAdmin(adminId, true);
    expect((await board('/admin/queues/api/queues', cookie, 'application/json')).statusCode).toBe(200);
    await app.accounts.changePassword({ id: adminId, oldPassword: PASSWORD, newPassword: `${PASSWORD}-renewed` });
    const changed = await board('/admin/queues/api/queues', cookie, 'application/json');
    expect([changed.statusCode, changed.json().error.code]).toEqual([403, 'API_ERR_TOKEN_INVALID']);
  });

  it('takes the cookie on the board only: other admin routes ignore it, and as a bearer token it is refused', async () => {
    const cookie = sessionCookie(await login('admin@example.org', PASSWORD));
    const dlq = await app.inject({ url: '/api/admin/dlq', headers: { cookie } });
    expect([dlq.statusCode, dlq.json().error.code]).toEqual([401, 'API_ERR_TOKEN_REQUIRED']);
    const bearer = `Bearer ${cookie.slice('oip_board_session='.length)}`;
    for (const url of ['/api/admin/dlq', '/admin/queues/api/queues', '/api/records']) {
      const res = await app.inject({ url, headers: { authorization: bearer } });
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 403, 'API_ERR_TOKEN_SCOPE']);
    }
  });

  it('logs out: the cookie is cleared and the browser sent to the login page', async () => {
    const page = await app.inject('/admin/logout');
    expect(page.body).toContain('<form method="post" action="/admin/logout">');
    const res = await app.inject({ method: 'POST', url: '/admin/logout' });
    expect([res.statusCode, res.headers.location]).toEqual([303, '/admin/login']);
    expect(res.headers['set-cookie']).toMatch(
      /^oip_board_session=; Max-Age=0; Path=\/admin; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/,
    );
  });

  it('rate limits the login per client address like the user login', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await login('admin@example.org', 'not the password')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await login('admin@example.org', PASSWORD);
    expect([limited.statusCode, limited.headers['x-error-code']]).toEqual([429, 'API_ERR_RATE_LIMITED']);
  });
});

describe('GET /', () => {
  it('answers a browser a page of links and a client the same links as JSON', async () => {
    const page = await app.inject({ url: '/', headers: { accept: HTML } });
    expect([page.statusCode, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    for (const href of ['/docs', '/admin/queues', '/health']) expect(page.body).toContain(`<a href="${href}">`);
    const json = await app.inject({ url: '/', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(200);
    const links = (json.json() as { links: Array<{ rel: string; href: string }> }).links;
    expect(Object.fromEntries(links.map((l) => [l.rel, l.href]))).toMatchObject({
      docs: '/docs',
      dashboard: '/admin/queues',
      health: '/health',
    });
  });
});
