// The account-state cache over a real SQLite accounts store: answers for the TTL, then reads again;
// misses are remembered, failed reads are not; bounded; concurrent misses share one read.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteAccountStore, type AccountStore } from '@oip/accounts';
import { AccountStateCache } from '../../src/services/account-state-cache.js';
import { accountOfClaims } from '../helpers.js';

let dir: string;
let store: AccountStore;
let reads: number;
let failNext: boolean;
let clock: number;
const perf = { now: () => clock };

const lookup = async (userId: string) => {
  reads++;
  if (failNext) {
    failNext = false;
    throw Object.assign(new Error('database is busy'), { code: 'ACCOUNTS_ERR_STORE_UNAVAILABLE' });
  }
  const account = await store.findById(userId);
  return account === null ? null : { isAdmin: account.isAdmin };
};
const account = (userId: string, isAdmin = false) =>
  accountOfClaims({ userId, email: `${userId}@example.org`, publicKey: `pk-${userId}`, isAdmin });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'api-account-cache-'));
  store = createSqliteAccountStore({ path: path.join(dir, 'accounts.sqlite') });
  reads = 0;
  failNext = false;
  clock = 1_000_000;
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('AccountStateCache', () => {
  it('answers the remembered state until the TTL passes, then the store', async () => {
    await store.create(account('u1', true));
    const cache = new AccountStateCache({ lookup, ttlMs: 10_000, max: 100, perf });
    expect(await cache.get('u1')).toEqual({ isAdmin: true });
    await store.setAdmin('u1', false);
    clock += 9_000;
    expect(await cache.get('u1')).toEqual({ isAdmin: true });
    clock += 1_001;
    expect(await cache.get('u1')).toEqual({ isAdmin: false });
    await store.delete('u1');
    clock += 10_001;
    expect(await cache.get('u1')).toBeNull();
    expect(reads).toBe(3);
  });

  it('remembers a missing account too, and forgets on request', async () => {
    const cache = new AccountStateCache({ lookup, ttlMs: 10_000, max: 100, perf });
    expect(await cache.get('ghost')).toBeNull();
    expect(await cache.get('ghost')).toBeNull();
    expect(reads).toBe(1);
    await store.create(account('ghost'));
    cache.forget('ghost');
    expect(await cache.get('ghost')).toEqual({ isAdmin: false });
  });

  it('shares one read among concurrent misses and does not remember a failed read', async () => {
    await store.create(account('u2'));
    const cache = new AccountStateCache({ lookup, ttlMs: 10_000, max: 100, perf });
    failNext = true;
    await expect(cache.get('u2')).rejects.toMatchObject({ code: 'ACCOUNTS_ERR_STORE_UNAVAILABLE' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => cache.get('u2')));
    expect(answers).toEqual(Array.from({ length: 20 }, () => ({ isAdmin: false })));
    expect(reads).toBe(2);
  });

  it('holds at most max accounts', async () => {
    const cache = new AccountStateCache({ lookup, ttlMs: 10_000, max: 5, perf });
    for (let i = 0; i < 50; i++) await cache.get(`u-${i}`);
    expect(cache.size).toBe(5);
  });

  it('with TTL 0 reads the store on every call', async () => {
    await store.create(account('u3', true));
    const cache = new AccountStateCache({ lookup, ttlMs: 0, max: 5 });
    expect(await cache.get('u3')).toEqual({ isAdmin: true });
    await store.setAdmin('u3', false);
    expect(await cache.get('u3')).toEqual({ isAdmin: false });
    expect([reads, cache.size]).toEqual([2, 0]);
  });
});
