// Two api processes (src/server.ts from source, configured by environment only) sharing one
// SQLite data dir and one Redis prefix, as two instances behind a balancer would: a calendar token
// revoked or replaced through one is refused by the other on its next request (the hash is read
// uncached), and a password changed through one retires the older standard tokens in the other
// within API_ACCOUNT_CACHE_TTL_MS. Each child runs in its own process group, killed after the test.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, until } from '@oip/test-kit';
import { purgePrefix } from '@oip/queue-contracts';
import { Redis } from 'ioredis';
import { startFakeRelay } from '@oip/fake-relay';
import { call, register } from './account-http.js';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'two-processes-secret-0123456789';
const TTL_MS = 400;
const QUEUE_PREFIX = `t-two-${randomUUID().slice(0, 8)}`;
// Both tests use the same two processes (starting them is most of the cost): cleaned up once, after both.
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  const redis = new Redis(REDIS_URL);
  await purgePrefix(redis, QUEUE_PREFIX);
  await redis.quit();
});

/** `node src/server.ts` from source in its own process group; its base URL once it listens. */
async function startApi(env: Record<string, string>): Promise<string> {
  const api = await startProcess({
    what: 'api process',
    args: ['--conditions=source', '--import', '@oip/vitest-config/register-ts', 'src/server.ts'],
    cwd: appDir,
    env: { PATH: process.env['PATH'] ?? '', API_PORT: '0', API_HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    ready: /Server listening at (http:\/\/127\.0\.0\.1:\d+)/,
  });
  cleanup.push(() => api.stop());
  return api.ready;
}

async function twoApis(): Promise<[string, string]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'api-two-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const relay = await startFakeRelay();
  cleanup.push(() => relay.close());
  const env = {
    STORE_DATA_DIR: dir,
    API_RELAY_URL: relay.url,
    REDIS_URL,
    API_QUEUE_PREFIX: QUEUE_PREFIX,
    JWT_SECRET: SECRET,
    API_ACCOUNT_CACHE_TTL_MS: String(TTL_MS),
  };
  return Promise.all([startApi(env), startApi(env)]) as Promise<[string, string]>;
}

const readMeals = (base: string, token: string) => call(base, '/api/records?recordType=mealPlan', { token });
const calendarOf = async (base: string, token: string) =>
  String((await call(base, '/api/user/generate-calendar-token', { method: 'POST', token })).body['calendarJWT']);

describe('two api processes on one store and one Redis', () => {
  let a: string;
  let b: string;
  beforeAll(async () => {
    [a, b] = await twoApis();
  }, 120_000);

  it('refuse a calendar token revoked or replaced through the other on the very next request', async () => {
    const ana = await register(a, 'ana@example.org', 'two process passphrase');
    const first = await calendarOf(a, ana.token);
    expect([(await readMeals(a, first)).status, (await readMeals(b, first)).status]).toEqual([200, 200]);
    expect((await call(a, '/api/user/revoke-calendar-token', { method: 'POST', token: ana.token })).status).toBe(200);
    expect((await readMeals(b, first)).status).toBe(403);

    const second = await calendarOf(b, ana.token);
    expect((await readMeals(a, second)).status).toBe(200);
    const third = await calendarOf(a, ana.token);
    expect([(await readMeals(b, second)).status, (await readMeals(b, third)).status]).toEqual([403, 200]);
  }, 60_000);

  it('refuse the older standard tokens within the account cache TTL after a password change through the other', async () => {
    const bo = await register(a, 'bo@example.org', 'first two process pass');
    const readPosts = (base: string, token: string) => call(base, '/api/records?recordType=post', { token });
    expect((await readPosts(b, bo.token)).status).toBe(200);
    const changed = await call(a, '/api/user/change-password', {
      token: bo.token,
      body: { oldPassword: 'first two process pass', newPassword: 'second two process pass' },
    });
    expect(changed.status).toBe(200);
    const started = Date.now();
    await until(async () => (await readPosts(b, bo.token)).status === 403, {
      what: 'old token refused by the other process',
      timeoutMs: 5_000,
    });
    expect(Date.now() - started).toBeLessThan(TTL_MS + 2_000);
    expect((await readPosts(b, String(changed.body['token']))).status).toBe(200);
    expect((await readPosts(a, bo.token)).status).toBe(403);
  }, 60_000);
});
