// A real api over a real SQLite store in a temp dir and a fake relay on loopback. Its accounts
// live in `<dir>/accounts.sqlite` (the api's own default place): the api reads a token's account on
// every request, so tests that sign tokens by hand name them in `accountsFor` and get matching accounts.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import {
  createPublisherKeys,
  createSqliteAccountStore,
  custodyKey,
  sealCustody,
  type AccountStore,
  type NewAccount,
} from '@oip/accounts';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { storedRecord } from '@oip/test-kit';
import { purgePrefix } from '@oip/queue-contracts';
import { Redis } from 'ioredis';
import { createSqliteRecordStore, type OipRecord, type RecordStore } from '@oip/record-store';
import { buildApp, parseConfig, type Config } from '../src/app.js';

export interface TestApi {
  app: FastifyInstance;
  store: RecordStore;
  relay: FakeRelay;
  /** The api's accounts store (`<dataDir>/accounts.sqlite`). */
  accounts: AccountStore;
  /** The api's data dir (STORE_DATA_DIR). */
  dataDir: string;
}

export interface UseApiOptions {
  /** Tokens (or `Bearer …` headers) signed by the test: each api started gets the accounts their claims name. */
  accountsFor?: readonly string[];
  /**
   * An Elasticsearch URL: the api opens its own store there from its config (a fresh index, deleted
   * afterwards), as a node does, instead of being handed a SQLite store.
   */
  elasticsearchUrl?: string;
  /** Called with each app built, before it is ready (hooks a test adds to every route). */
  beforeReady?: (app: FastifyInstance) => void;
}

/** The claims of a JWT (or `Bearer <JWT>`), unverified. */
export function claimsOf(token: string): Record<string, unknown> {
  const jwt = token.startsWith('Bearer ') ? token.slice('Bearer '.length) : token;
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

/** Private keys of the publisher keys made by publisherKey(), by public key. */
const TEST_KEYS = new Map<string, string>();

/** A real publisher public key for a hand-signed token; seeded accounts holding it can sign what they publish. */
export function publisherKey(): string {
  const keys = createPublisherKeys();
  TEST_KEYS.set(keys.publicKey, keys.privateKey);
  return keys.publicKey;
}

/** An account as a hand-signed token describes it (no usable password: it signs in by token only). */
export function accountOfClaims(claims: Record<string, unknown>, custodySecret?: string): NewAccount {
  const key =
    typeof claims['publicKey'] === 'string'
      ? claims['publicKey']
      : typeof claims['publisherPubKey'] === 'string'
        ? claims['publisherPubKey']
        : '';
  return {
    id: String(claims['userId']),
    email: String(claims['email']),
    passwordHash: '!unusable',
    publicKey: key,
    secrets: '{}',
    keyDerivationPath: "m/44'/0'/0'/0/0",
    isAdmin: claims['isAdmin'] === true,
    createdAt: new Date().toISOString(),
    custody:
      custodySecret !== undefined && TEST_KEYS.has(key)
        ? sealCustody(TEST_KEYS.get(key)!, key, custodyKey(custodySecret))
        : null,
  };
}

/**
 * Creates the accounts `tokens` name (one per userId) in `accounts`; with the api's custody secret,
 * those holding a publisherKey() get their signing key in custody.
 */
export async function seedAccounts(
  accounts: AccountStore,
  tokens: readonly string[],
  custodySecret?: string,
): Promise<void> {
  const seen = new Set<string>();
  for (const token of tokens) {
    const account = accountOfClaims(claimsOf(token), custodySecret);
    if (seen.has(account.id)) continue;
    seen.add(account.id);
    await accounts.create(account);
  }
}

export function useApi(
  options: UseApiOptions = {},
): (records?: OipRecord[], overrides?: Partial<Config>) => Promise<TestApi> {
  const open: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of open.splice(0).reverse()) await close();
  });
  return async (records = [], overrides = {}) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'api-test-'));
    open.push(() => rm(dir, { recursive: true, force: true }));
    const relay = await startFakeRelay();
    open.push(() => relay.close());
    const esUrl = options.elasticsearchUrl;
    const index = `oip-test-api-${randomUUID()}`;
    if (esUrl !== undefined) open.push(() => fetch(`${esUrl}/${index}`, { method: 'DELETE' }).then(() => undefined));
    const given = esUrl === undefined ? createSqliteRecordStore({ dataDir: dir }) : undefined;
    if (given) open.push(() => given.close());
    const storeConfig: Config['store'] =
      esUrl === undefined ? { kind: 'sqlite', dataDir: dir } : { kind: 'elasticsearch', url: esUrl, index };
    const config = parseConfig({
      store: storeConfig,
      relayUrl: relay.url,
      logLevel: 'silent',
      // Event-loop shedding is memory-guard's to test; a loaded test box must not shed these requests.
      maxEventLoopDelayMs: 0,
      ...overrides,
    });
    const accounts = createSqliteAccountStore({ path: path.join(dir, 'accounts.sqlite') });
    open.push(() => accounts.close());
    await seedAccounts(accounts, options.accountsFor ?? [], overrides.custodySecret ?? overrides.jwtSecret);
    const app = buildApp(config, given ? { store: given, accounts } : { accounts });
    open.push(() => app.close());
    options.beforeReady?.(app);
    await app.ready();
    const store = app.store;
    if (records.length) {
      const results = await store.bulkUpsert(records);
      const failed = results.filter((r) => !r.ok);
      if (failed.length) throw new Error(`fixture records rejected: ${JSON.stringify(failed)}`);
    }
    return { app, store, relay, accounts, dataDir: dir };
  };
}

let seq = 0;
/** @oip/test-kit's stored record, named `name of <soul>`, each one a second later than the one before. */
export function rec(
  soul: string,
  recordType: string,
  fields: Record<string, unknown> = {},
  basic: Record<string, unknown> = {},
): OipRecord {
  return storedRecord({
    soul,
    recordType,
    ...(Object.keys(fields).length ? { fields } : {}),
    basic: { name: `name of ${soul}`, date: 1730505600 + seq++, ...basic },
    indexedAt: '2026-11-02T10:00:00.000Z',
  });
}

/** Queue prefixes a test file uses on the real Redis at `redisUrl`, purged after each test: push each one used. */
export function usePurgedPrefixes(redisUrl: string): string[] {
  const prefixes: string[] = [];
  afterEach(async () => {
    const redis = new Redis(redisUrl);
    for (const p of prefixes.splice(0)) await purgePrefix(redis, p);
    await redis.quit();
  });
  return prefixes;
}
