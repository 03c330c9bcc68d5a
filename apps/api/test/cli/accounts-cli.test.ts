// `oip admin …` / `oip account …` as an operator runs them: the built CLI (and scripts/oip.mjs)
// as child processes against the api's own temp SQLite accounts store, while a real api (inject,
// real Redis) serves tokens from the same file. Grant → a fresh login's token opens an admin route;
// revoke → the same token is refused within the account cache TTL; delete → it no longer publishes.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { runNode, until } from '@oip/test-kit';
import { useApi, usePurgedPrefixes } from '../helpers.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repo = path.join(root, '../..');
const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'accounts-cli-secret-0123456789';
const TTL_MS = 300;

beforeAll(() => {
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}, 180_000);

const start = useApi();
const prefixes = usePurgedPrefixes(REDIS_URL);

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `args` with node and only the environment given (no JWT secret: the CLI needs none). */
async function run(args: string[], env: Record<string, string>): Promise<Run> {
  const r = await runNode(args, { cwd: root, env: { PATH: process.env['PATH'] ?? '', ...env }, timeoutMs: 20_000 });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

async function api(): Promise<{ app: FastifyInstance; dataDir: string }> {
  const queuePrefix = `t-cli-${randomUUID().slice(0, 8)}`;
  prefixes.push(queuePrefix);
  // The api keeps its accounts in <dataDir>/accounts.sqlite: the file the CLI opens from STORE_DATA_DIR.
  const { app, dataDir } = await start([], {
    redisUrl: REDIS_URL,
    queuePrefix,
    jwtSecret: SECRET,
    accountCacheTtlMs: TTL_MS,
  });
  return { app, dataDir };
}

describe('oip admin / oip account (the api CLI as a process)', () => {
  it('grant → a fresh login opens admin routes; revoke → refused within the TTL; delete → the token no longer publishes', async () => {
    const { app, dataDir } = await api();
    const env = { STORE_DATA_DIR: dataDir, API_ACCOUNT_CACHE_TTL_MS: String(TTL_MS) };
    const cli = (...args: string[]) => run([path.join(root, 'dist/cli.js'), ...args], env);
    const login = async () =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/user/login',
          payload: { email: 'ops@example.org', password: 'operator password' },
        })
      ).json().token as string;
    const dlq = async (token: string) =>
      (await app.inject({ url: '/api/admin/dlq', headers: { authorization: `Bearer ${token}` } })).statusCode;
    const publish = async (token: string, localId: string) =>
      (
        await app.inject({
          method: 'POST',
          url: `/api/records/newRecord?recordType=post&storage=gun&localId=${localId}`,
          headers: { authorization: `Bearer ${token}` },
          payload: { basic: { name: `Post ${localId}` }, post: { articleText: 'text' } },
        })
      ).statusCode;

    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/user/register',
          payload: { email: 'ops@example.org', password: 'operator password' },
        })
      ).statusCode,
    ).toBe(201);
    const before = await login();
    expect(await dlq(before)).toBe(403);
    expect((await cli('admin', 'list')).out).toBe('0 admins\n');

    const grant = await cli('admin', 'grant', 'OPS@example.org');
    expect([grant.code, grant.err]).toEqual([0, '']);
    expect(grant.out).toMatch(
      /^granted admin to ops@example\.org \(account [0-9a-f-]{36}\); its tokens follow within 0\.3 s/u,
    );
    const admin = await login();
    expect(await dlq(admin)).toBe(200);
    const list = await cli('admin', 'list', '--json');
    expect([list.code, (JSON.parse(list.out) as Array<{ email: string }>).map((a) => a.email)]).toEqual([
      0,
      ['ops@example.org'],
    ]);
    expect((await cli('admin', 'grant', 'ops@example.org')).out).toBe(
      'ops@example.org is already an admin: nothing to do\n',
    );

    const revoke = await cli('admin', 'revoke', 'ops@example.org');
    expect([revoke.code, revoke.out]).toEqual([0, expect.stringMatching(/^revoked admin from ops@example\.org/u)]);
    await until(() => dlq(admin), {
      what: "the revoked admin's token on /api/admin/dlq",
      ok: (status) => status === 403,
      timeoutMs: TTL_MS + 5_000,
    });

    expect(await publish(admin, 'before-delete')).toBe(200);
    const del = await cli('account', 'delete', 'ops@example.org');
    expect([del.code, del.out]).toEqual([
      0,
      expect.stringMatching(
        /^deleted account ops@example\.org \([0-9a-f-]{36}, publisher [0-9a-f]{12}\); its tokens are refused within 0\.3 s/u,
      ),
    ]);
    await until(() => publish(admin, 'after-delete'), {
      what: "the deleted account's token on newRecord",
      ok: (status) => status === 403,
      timeoutMs: TTL_MS + 5_000,
    });
    expect(await publish(before, 'older-token')).toBe(403);
    expect((await cli('account', 'delete', 'ops@example.org')).code).toBe(1);
  });

  it('account reset-password: a new password printed once opens the account, the key stays usable, older tokens and the mnemonic go', async () => {
    const { app, dataDir } = await api();
    const cli = (env: Record<string, string>, ...args: string[]) => run([path.join(root, 'dist/cli.js'), ...args], env);
    const env = { STORE_DATA_DIR: dataDir, API_ACCOUNT_CACHE_TTL_MS: String(TTL_MS), JWT_SECRET: SECRET };
    const login = (password: string) =>
      app.inject({ method: 'POST', url: '/api/user/login', payload: { email: 'lost@example.org', password } });
    const reads = async (token: string) =>
      (await app.inject({ url: '/api/records?recordType=post', headers: { authorization: `Bearer ${token}` } }))
        .statusCode;
    const reg = await app.inject({
      method: 'POST',
      url: '/api/user/register',
      payload: { email: 'lost@example.org', password: 'forgotten passphrase' },
    });
    expect(reg.statusCode).toBe(201);
    const old = reg.json().token as string;

    // Without the custody secret the CLI cannot open the key: it says so and changes nothing.
    const blind = await cli({ STORE_DATA_DIR: dataDir }, 'account', 'reset-password', 'lost@example.org');
    expect([blind.code, blind.out]).toEqual([1, '']);
    expect(blind.err).toMatch(/^oip: ACCOUNTS_ERR_NO_CUSTODY: /u);
    expect((await login('forgotten passphrase')).statusCode).toBe(200);

    const reset = await cli(env, 'account', 'reset-password', 'LOST@example.org');
    expect([reset.code, reset.err]).toEqual([0, '']);
    const password = /^new password: (\S+)$/mu.exec(reset.out)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/u);
    expect(reset.out).toMatch(
      /^reset the password of lost@example\.org \([0-9a-f-]{36}\); its tokens are refused within 0\.3 s/u,
    );
    await until(() => reads(old), {
      what: 'the token issued before the reset',
      ok: (status) => status === 403,
      timeoutMs: TTL_MS + 5_000,
    });
    expect((await login('forgotten passphrase')).statusCode).toBe(400);
    const fresh = await login(password!);
    expect(fresh.statusCode).toBe(200);
    const token = fresh.json().token as string;
    const mnemonic = await app.inject({
      method: 'POST',
      url: '/api/user/mnemonic',
      headers: { authorization: `Bearer ${token}` },
      payload: { password },
    });
    expect([mnemonic.statusCode, mnemonic.json()]).toEqual([
      404,
      { success: false, error: 'No mnemonic found for user', code: 'API_ERR_NO_MNEMONIC' },
    ]);
    const published = await app.inject({
      method: 'POST',
      url: '/api/records/newRecord?recordType=post&storage=gun&localId=after-reset',
      headers: { authorization: `Bearer ${token}` },
      payload: { basic: { name: 'After the reset' }, post: { articleText: 'same key' } },
    });
    expect(published.statusCode).toBe(200);
    const unknown = await cli(env, 'account', 'reset-password', 'nobody@example.org');
    expect([unknown.code, unknown.err]).toEqual([
      1,
      'oip: ACCOUNTS_ERR_NOT_FOUND: no account with email nobody@example.org\n',
    ]);
  });

  it('refuses usage mistakes and bad emails with exit 2 (usage mistakes with the usage), unknown accounts with exit 1', async () => {
    const { dataDir } = await api();
    const env = { STORE_DATA_DIR: dataDir };
    const cli = (...args: string[]) => run([path.join(root, 'dist/cli.js'), ...args], env);
    for (const args of [
      [],
      ['admin'],
      ['admin', 'grant'],
      ['admin', 'grant', 'a@example.org', 'b@example.org'],
      ['admin', 'grant', 'a@example.org', '--force'],
      ['admin', 'list', 'extra'],
      ['account', 'remove', 'a@example.org'],
      ['account', 'reset-password'],
      ['account', 'reset-password', 'a@example.org', '--password', 'x'],
      ['users', 'list'],
    ]) {
      const r = await cli(...args);
      expect([r.code, r.out], args.join(' ')).toEqual([2, '']);
      // A group without its command prints the group's help; any other mistake is one line and the usage.
      expect(r.err, args.join(' ')).toMatch(
        args.length < 2 ? /^Usage: oip (admin |account )?\[options\] \[command\]/u : /^oip: .+\nusage: oip /u,
      );
    }
    const help = await cli('admin', 'grant', '--help');
    expect([help.code, help.err]).toEqual([0, '']);
    expect(help.out).toMatch(/^Usage: oip admin grant \[options\] <email>\n\nmake the account an admin/u);
    expect(help.out).toMatch(/Example:\n {2}oip admin grant ops@example\.org/u);
    // migrate accounts parses before it reads the config or opens anything (no legacy node needed here).
    const migrateHelp = await cli('migrate', 'accounts', '--help');
    expect([migrateHelp.code, migrateHelp.err]).toEqual([0, '']);
    expect(migrateHelp.out).toMatch(
      /^Usage: oip migrate accounts \[options\][\s\S]*--from-elasticsearch <url>[\s\S]*Example:/u,
    );
    const noUrl = await cli('migrate', 'accounts', '--dry-run');
    expect([noUrl.code, noUrl.out]).toEqual([2, '']);
    expect(noUrl.err).toMatch(/^oip: --from-elasticsearch URL is required\nusage: oip migrate accounts /u);
    const bad = await cli('admin', 'grant', 'not-an-email');
    expect([bad.code, bad.err]).toEqual([2, 'oip: ACCOUNTS_ERR_INVALID_EMAIL: email is not a valid address\n']);
    const unknown = await cli('admin', 'revoke', 'nobody@example.org');
    expect([unknown.code, unknown.err]).toEqual([
      1,
      'oip: ACCOUNTS_ERR_NOT_FOUND: no account with email nobody@example.org\n',
    ]);
  });

  it('is what `node scripts/oip.mjs admin|account …` runs', async () => {
    const { app, dataDir } = await api();
    await app.inject({
      method: 'POST',
      url: '/api/user/register',
      payload: { email: 'ops@example.org', password: 'operator password' },
    });
    const r = await run([path.join(repo, 'scripts/oip.mjs'), 'admin', 'grant', 'ops@example.org'], {
      STORE_DATA_DIR: dataDir,
    });
    expect([r.code, r.out]).toEqual([0, expect.stringMatching(/^granted admin to ops@example\.org/u)]);
    expect((await app.accounts.getByEmail('ops@example.org'))?.isAdmin).toBe(true);
    const bad = await run([path.join(repo, 'scripts/oip.mjs'), 'account'], { STORE_DATA_DIR: dataDir });
    expect(bad.code).toBe(2);
  });
});
