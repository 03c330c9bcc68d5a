// `migrate accounts` as an operator runs it: the built api CLI as a child process, from a legacy
// `users` index on the legacy node's own Elasticsearch 7.17.8 (LEGACY_ELASTICSEARCH_URL, which the
// test command starts beside ours; users made as legacy routes/user.js makes them, @oip/test-kit's
// legacyUserDocument) into the api's SQLite accounts file and into an Elasticsearch accounts index
// on ours (ELASTICSEARCH_URL); then, over the api's real HTTP port, the migrated user logs in with
// the old password and keeps the legacy publisher key, reads the legacy mnemonic, publishes
// (signed with the legacy key), sees a private record the key owns, and the node opens a record
// legacy encrypted for it with the legacy GUN salt; the admin stays admin; a
// wrong password answers as for any account and changes nothing; a second run writes nothing.
// Every index made is deleted.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPublisherKeys, createSqliteAccountStore, type AccountStore } from '@oip/accounts';
import { startFakeRelay } from '@oip/fake-relay';
import { GunClient } from '@oip/gun-client';
import { checkRecordSignature, encryptData, legacySaltedKey, openGunRecordData } from '@oip/records';
import type { OipRecord } from '@oip/record-store';
import {
  createLegacyUsersIndex,
  dropElasticsearchIndex,
  legacyUserDocument,
  runNode,
  startEs8StandIn,
} from '@oip/test-kit';
import { buildApp, parseConfig } from '../../src/app.js';
import { call, listen, login, register } from '../account-http.js';
import { rec, usePurgedPrefixes } from '../helpers.js';
import { signToken } from '../jwt.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ES = process.env['ELASTICSEARCH_URL'] || undefined;
if (ES === undefined && process.env['CI']) throw new Error('ELASTICSEARCH_URL is not set: CI runs this suite');
const LEGACY_ES = process.env['LEGACY_ELASTICSEARCH_URL'] || undefined;
if (LEGACY_ES === undefined && process.env['CI'])
  throw new Error('LEGACY_ELASTICSEARCH_URL is not set: CI runs this suite on a 7.17 node (node scripts/oip.mjs test)');
const skipped = ES === undefined || LEGACY_ES === undefined;
const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'migrate-accounts-secret-0123456789';
const ALICE_PW = 'alice legacy password';
const ADMIN_PW = 'admin legacy password';

beforeAll(() => {
  if (skipped) return;
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}, 180_000);

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
const prefixes = usePurgedPrefixes(REDIS_URL);

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** `node dist/cli.js migrate accounts …` with only the environment given. */
async function migrate(args: string[], env: Record<string, string>): Promise<Run> {
  const r = await runNode([path.join(root, 'dist/cli.js'), 'migrate', 'accounts', ...args], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    timeoutMs: 60_000,
  });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

interface Node {
  app: FastifyInstance;
  base: string;
  relayUrl: string;
  /** The environment the CLI opens the same accounts store with. */
  env: Record<string, string>;
  accounts: AccountStore;
}

/** An api over its SQLite data dir, its accounts in `<dir>/accounts.sqlite`. */
async function sqliteNode(records: OipRecord[]): Promise<Node> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'api-migrate-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return startNode({ kind: 'sqlite', dataDir: dir }, undefined, { STORE_DATA_DIR: dir }, records, () =>
    createSqliteAccountStore({ path: path.join(dir, 'accounts.sqlite') }),
  );
}

/** An api whose records and accounts are Elasticsearch indices of their own. */
async function elasticsearchNode(records: OipRecord[]): Promise<Node> {
  const recordsIndex = `oip-test-api-records-${randomUUID()}`;
  const accountsIndex = `oip-test-api-accounts-${randomUUID()}`;
  cleanup.push(() => dropElasticsearchIndex(ES!, recordsIndex));
  cleanup.push(() => dropElasticsearchIndex(ES!, accountsIndex));
  const env = { ELASTICSEARCH_URL: ES!, ELASTICSEARCH_INDEX: recordsIndex, API_ACCOUNTS_INDEX: accountsIndex };
  return startNode({ kind: 'elasticsearch', url: ES!, index: recordsIndex }, accountsIndex, env, records);
}

async function startNode(
  store: Record<string, unknown>,
  accountsIndex: string | undefined,
  env: Record<string, string>,
  records: OipRecord[],
  sqliteAccounts?: () => AccountStore,
): Promise<Node> {
  const relay = await startFakeRelay();
  cleanup.push(() => relay.close());
  const queuePrefix = `t-migrate-${randomUUID().slice(0, 8)}`;
  prefixes.push(queuePrefix);
  const config = parseConfig({
    store,
    ...(accountsIndex === undefined ? {} : { accountsIndex }),
    relayUrl: relay.url,
    redisUrl: REDIS_URL,
    queuePrefix,
    jwtSecret: SECRET,
    logLevel: 'silent',
    maxEventLoopDelayMs: 0,
    writeRateLimit: 1000,
  });
  const accounts = sqliteAccounts?.();
  if (accounts) cleanup.push(() => accounts.close());
  // With no accounts handed in, the api opens its own from the config (the Elasticsearch index).
  const app = buildApp(config, accounts ? { accounts } : {});
  cleanup.push(() => app.close());
  await app.ready();
  const results = await app.store.bulkUpsert(records);
  expect(results.every((r) => r.ok)).toBe(true);
  return { app, base: await listen(app), relayUrl: relay.url, env, accounts: accounts as AccountStore };
}

const privateOf = (r: OipRecord, owner: string): OipRecord => ({
  ...r,
  data: { ...r.data, accessControl: { access_level: 'private', owner_public_key: owner } },
});

describe.skipIf(skipped)('migrate accounts (the api CLI as a process) and the first login', () => {
  it("reads from the legacy node's Elasticsearch 7.17", async () => {
    const info = (await (await fetch(`${LEGACY_ES!}/`)).json()) as { version: { number: string } };
    expect(info.version.number).toMatch(/^7\.17\./);
  });

  for (const [name, open] of [
    ['the api SQLite accounts store', sqliteNode],
    ['an Elasticsearch accounts store', elasticsearchNode],
  ] as const) {
    it(`into ${name}: the old password logs in with the legacy key, mnemonic, signing and private records; admin stays admin; a second run writes nothing`, async () => {
      const aliceKeys = createPublisherKeys();
      const alice = await legacyUserDocument({ email: 'Alice@Example.org', password: ALICE_PW, keys: aliceKeys });
      const admin = await legacyUserDocument({
        email: 'admin@example.org',
        password: ADMIN_PW,
        keys: createPublisherKeys(),
        isAdmin: true,
      });
      const waitlist = { id: 'wait-1', source: { email: 'wait@example.org', waitlistStatus: 'pending' } };
      // Legacy's /reset-password gave this one a new bcrypt hash and left the envelopes under the old password.
      const reset = await legacyUserDocument({
        email: 'reset@example.org',
        password: 'old password',
        keys: createPublisherKeys(),
      });
      reset.source['passwordHash'] = (
        await legacyUserDocument({ email: 'x@example.org', password: 'new password', keys: createPublisherKeys() })
      ).source['passwordHash'];
      const legacyIndex = `oip-test-legacy-users-${randomUUID()}`;
      cleanup.push(() => dropElasticsearchIndex(LEGACY_ES!, legacyIndex));
      await createLegacyUsersIndex(LEGACY_ES!, legacyIndex, [alice, admin, waitlist, reset]);

      const diary = privateOf(rec('legacy:diary-1', 'post', {}, { name: 'Alice private diary' }), aliceKeys.publicKey);
      const node = await open([rec('legacy:public-1', 'post'), diary]);
      const args = ['--from-elasticsearch', LEGACY_ES!, '--index', legacyIndex, '--json'];

      const dry = await migrate([...args, '--dry-run'], node.env);
      expect([dry.code, dry.err]).toEqual([0, '']);
      expect(JSON.parse(dry.out)).toMatchObject({
        part: 'accounts',
        report: { dryRun: true, read: 4, written: 3, skipped: { 'not-registered': 1 }, failed: {} },
      });
      expect((await login(node.base, 'alice@example.org', ALICE_PW)).status).toBe(400);

      const first = await migrate(args, node.env);
      expect([first.code, first.err]).toEqual([0, '']);
      expect(JSON.parse(first.out).report).toEqual({
        index: legacyIndex,
        dryRun: false,
        read: 4,
        written: 3,
        skipped: { 'not-registered': 1 },
        failed: {},
      });

      // A wrong password answers as it does for an account registered here, and changes nothing.
      await register(node.base, 'native@example.org', 'native account password');
      const wrongNative = await login(node.base, 'native@example.org', 'not the password');
      const wrong = await login(node.base, 'alice@example.org', 'not the password');
      expect([wrong.status, wrong.body, wrong.headers.get('x-error-code')]).toEqual([
        wrongNative.status,
        wrongNative.body,
        wrongNative.headers.get('x-error-code'),
      ]);
      expect(wrong.status).toBe(400);

      // A token the legacy node signed for her (its claims, the shared JWT secret) names an account here.
      const legacyToken = signToken(
        { userId: alice.id, email: 'Alice@Example.org', publicKey: aliceKeys.publicKey, isAdmin: false },
        SECRET,
      );
      const viaLegacyToken = await call(node.base, '/api/records?recordType=post&limit=10', { token: legacyToken });
      expect(viaLegacyToken.body['auth']).toMatchObject({ authenticated: true, user: { userId: alice.id } });

      // A record legacy encrypted for her (its salted per-user key), as it arrives from a relay: the
      // node's keyring opens it once her login has put her key and GUN salt in custody.
      const sealedByLegacy = {
        data: encryptData(
          { post: { articleText: 'sealed by legacy' } },
          legacySaltedKey(aliceKeys.publicKey, alice.gunSalt),
        ),
        oip: { creator: { publicKey: aliceKeys.publicKey } },
        meta: { encrypted: true, encryptionType: 'per-user', encryptedBy: aliceKeys.publicKey },
      };
      expect(await openGunRecordData(sealedByLegacy, node.app.keyring!)).toEqual({
        kind: 'unreadable',
        reason: 'no-key',
      });

      const ok = await login(node.base, 'ALICE@example.org', ALICE_PW);
      expect([ok.status, ok.body['publicKey']]).toEqual([200, aliceKeys.publicKey]);
      const token = String(ok.body['token']);
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      expect(claims).toMatchObject({ userId: alice.id, publicKey: aliceKeys.publicKey, isAdmin: false });

      expect(await openGunRecordData(sealedByLegacy, node.app.keyring!)).toEqual({
        kind: 'opened',
        data: { post: { articleText: 'sealed by legacy' } },
        readBy: aliceKeys.publicKey,
      });

      const mnemonic = await call(node.base, `/api/user/mnemonic?password=${encodeURIComponent(ALICE_PW)}`, {
        token,
      });
      expect([mnemonic.status, mnemonic.body['mnemonic']]).toEqual([200, aliceKeys.mnemonic]);

      // Her private record (owned by the legacy key) is hers to see, nobody else's.
      const asAlice = await call(node.base, '/api/records?recordType=post&limit=10', { token });
      const anon = await call(node.base, '/api/records?recordType=post&limit=10');
      const dids = (a: { body: Record<string, unknown> }) =>
        (a.body['records'] as Array<{ oip: { did: string } }>).map((r) => r.oip.did).sort();
      expect(dids(asAlice)).toEqual(['did:gun:legacy:diary-1', 'did:gun:legacy:public-1']);
      expect(dids(anon)).toEqual(['did:gun:legacy:public-1']);

      // She publishes, signed with the legacy key (held in custody since the login).
      const published = await call(node.base, '/api/records/newRecord?recordType=post&storage=gun&localId=after-move', {
        token,
        body: { basic: { name: 'After the move', date: 1730505600 }, post: { articleText: 'still me' } },
      });
      expect(published.status).toBe(200);
      const soul = String(published.body['soul']);
      const gun = new GunClient({ baseUrl: node.relayUrl });
      cleanup.push(() => gun.close());
      const onRelay = await gun.getRecord(soul);
      expect(
        checkRecordSignature({
          soul,
          data: onRelay!.data,
          oip: onRelay!.oip as Record<string, unknown>,
          meta: onRelay!.meta ?? null,
        }),
      ).toEqual({ status: 'valid', publicKey: aliceKeys.publicKey });

      // The admin stays admin.
      const adminLogin = await login(node.base, 'admin@example.org', ADMIN_PW);
      expect(adminLogin.status).toBe(200);
      const users = await call(node.base, '/api/user/admin/users', { token: String(adminLogin.body['token']) });
      expect(users.status).toBe(200);
      expect((await call(node.base, '/api/user/admin/users', { token })).status).toBe(403);

      // The reset one signs in with its new password, as on the legacy node, but has no key or mnemonic here.
      const resetLogin = await login(node.base, 'reset@example.org', 'new password');
      expect([resetLogin.status, resetLogin.body['publicKey']]).toEqual([200, reset.source['publicKey']]);
      const locked = await call(node.base, `/api/user/mnemonic?password=${encodeURIComponent('new password')}`, {
        token: String(resetLogin.body['token']),
      });
      expect([locked.status, locked.body['error'], locked.headers.get('x-error-code')]).toEqual([
        404,
        'No mnemonic found for user',
        'ACCOUNTS_ERR_LEGACY_SECRETS_LOCKED',
      ]);

      // The second run writes nothing (alice and the admin upgraded meanwhile, the reset one not): both left as they are.
      const second = await migrate(args, node.env);
      expect([second.code, JSON.parse(second.out).report]).toEqual([
        0,
        {
          index: legacyIndex,
          dryRun: false,
          read: 4,
          written: 0,
          skipped: { 'already-migrated': 3, 'not-registered': 1 },
          failed: {},
        },
      ]);
      expect((await login(node.base, 'alice@example.org', ALICE_PW)).status).toBe(200);
    }, 120_000);
  }

  it('reads a legacy Elasticsearch that refuses compatible-with=9 media types, as version 8 does', async () => {
    const legacyIndex = `oip-test-legacy-users-${randomUUID()}`;
    cleanup.push(() => dropElasticsearchIndex(LEGACY_ES!, legacyIndex));
    const user = await legacyUserDocument({
      email: 'old@example.org',
      password: ALICE_PW,
      keys: createPublisherKeys(),
    });
    await createLegacyUsersIndex(LEGACY_ES!, legacyIndex, [user]);
    // A loopback stand-in for an 8.x node: the legacy 7.17 one behind it (which takes the 9.x
    // client's media types), refusing what 8.x refuses.
    const standIn = await startEs8StandIn(LEGACY_ES!);
    cleanup.push(() => standIn.close());
    const url = standIn.url;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'api-migrate-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const run = await migrate(['--from-elasticsearch', url, '--index', legacyIndex, '--json'], { STORE_DATA_DIR: dir });
    expect([run.code, run.err]).toEqual([0, '']);
    expect(JSON.parse(run.out).report).toMatchObject({ read: 1, written: 1, failed: {} });
    expect(standIn.seen.length).toBeGreaterThan(0);
    expect(standIn.refused()).toBe(0);
  }, 60_000);

  it('answers usage errors with 2 before opening anything, and a missing legacy index with 2 naming it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'api-migrate-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const env = { STORE_DATA_DIR: dir };
    const noUrl = await migrate([], env);
    expect([noUrl.code, noUrl.err.split('\n')[0]]).toEqual([2, 'oip: --from-elasticsearch URL is required']);
    const both = await migrate(['--from-elasticsearch', ES!, '--api-key', 'k', '--username', 'u'], env);
    expect(both.code).toBe(2);
    const missing = `oip-test-legacy-users-${randomUUID()}`;
    const gone = await migrate(['--from-elasticsearch', LEGACY_ES!, '--index', missing], env);
    expect([gone.code, gone.err.trim()]).toEqual([
      2,
      `migrate accounts: no index "${missing}" at ${new URL(LEGACY_ES!).toString()}`,
    ]);
  }, 60_000);
});
