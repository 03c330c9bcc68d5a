// The AccountStore contract, run against every backend. `open()` returns a new store over the
// same backing state each time (same SQLite file / same index), so persistence and
// two-instance behaviour are part of the contract.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountStore } from '../../src/index.js';
import { accountChangesContract } from './account-changes-contract.js';
import { makeAccount } from './accounts.js';
import { codeOf } from './code-of.js';

export interface ContractBackend {
  open(): Promise<AccountStore>;
  /** Removes the backing state; called after each test. */
  destroy(): Promise<void>;
}

export function describeAccountStoreContract(name: string, makeBackend: () => Promise<ContractBackend>): void {
  describe(`AccountStore contract: ${name}`, () => {
    let backend: ContractBackend;
    let store: AccountStore;
    const opened: AccountStore[] = [];
    const open = async (): Promise<AccountStore> => {
      const s = await backend.open();
      opened.push(s);
      return s;
    };

    beforeEach(async () => {
      backend = await makeBackend();
      store = await open();
    });

    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await backend.destroy();
    });

    it('creates an account and finds it by email and by id, every field intact', async () => {
      const account = makeAccount({ isAdmin: false });
      const created = await store.create(account);
      expect(created).toEqual(account);
      expect(await store.findByEmail(account.email)).toEqual(account);
      expect(await store.findById(account.id)).toEqual(account);
    });

    it('normalises emails: stored trimmed and lower-cased, found whatever the case', async () => {
      const account = makeAccount({ email: '  Alice.Smith@Example.COM ' });
      const created = await store.create(account);
      expect(created.email).toBe('alice.smith@example.com');
      expect((await store.findByEmail('alice.smith@example.com'))?.id).toBe(account.id);
      expect((await store.findByEmail('ALICE.SMITH@EXAMPLE.COM'))?.id).toBe(account.id);
      expect((await store.findById(account.id))?.email).toBe('alice.smith@example.com');
    });

    it('refuses a second account with the same email in another case: ACCOUNTS_ERR_DUPLICATE_EMAIL, first untouched', async () => {
      const first = makeAccount({ email: 'bob@example.com' });
      await store.create(first);
      const second = makeAccount({ email: 'BOB@example.com' });
      expect(await codeOf(store.create(second))).toBe('ACCOUNTS_ERR_DUPLICATE_EMAIL');
      expect(await store.count()).toBe(1);
      expect(await store.findByEmail('bob@example.com')).toEqual(first);
      expect(await store.findById(second.id)).toBeNull();
    });

    it('lets exactly one of ten concurrent creates of one email win, across two store instances', async () => {
      const other = await open();
      const attempts = Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? store : other).create(
          makeAccount({ email: i % 3 === 0 ? 'Race@Example.com' : 'race@example.com' }),
        ),
      );
      const results = await Promise.allSettled(attempts);
      const won = results.filter((r) => r.status === 'fulfilled');
      const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []));
      expect(won).toHaveLength(1);
      expect(codes).toEqual(Array.from({ length: 9 }, () => 'ACCOUNTS_ERR_DUPLICATE_EMAIL'));
      expect(await store.count()).toBe(1);
      expect(await other.count()).toBe(1);
    });

    it('answers null for unknown emails and ids', async () => {
      await store.create(makeAccount({ email: 'carol@example.com' }));
      expect(await store.findByEmail('dave@example.com')).toBeNull();
      expect(await store.findByEmail('carol@example.co')).toBeNull();
      expect(await store.findById('00000000-0000-4000-8000-000000000000')).toBeNull();
    });

    it('counts accounts', async () => {
      expect(await store.count()).toBe(0);
      for (let i = 0; i < 3; i++) await store.create(makeAccount());
      expect(await store.count()).toBe(3);
    });

    it('sets and clears the admin flag; null for an unknown id', async () => {
      const account = makeAccount();
      await store.create(account);
      expect(await store.setAdmin(account.id, true)).toEqual({ ...account, isAdmin: true });
      expect((await store.findById(account.id))?.isAdmin).toBe(true);
      expect((await store.findByEmail(account.email))?.isAdmin).toBe(true);
      expect((await store.setAdmin(account.id, false))?.isAdmin).toBe(false);
      expect((await store.findById(account.id))?.isAdmin).toBe(false);
      expect(await store.setAdmin('00000000-0000-4000-8000-000000000000', true)).toBeNull();
    });

    it('starts with custody null, sets it, and sees it from every lookup; null for an unknown id', async () => {
      const account = makeAccount();
      expect((await store.create(account)).custody).toBeNull();
      expect((await store.findById(account.id))?.custody).toBeNull();
      const sealed = JSON.stringify({ v: 1, sealed: 'opaque text' });
      expect(await store.setCustody(account.id, sealed)).toEqual({ ...account, custody: sealed });
      expect((await store.findById(account.id))?.custody).toBe(sealed);
      expect((await store.findByEmail(account.email))?.custody).toBe(sealed);
      expect((await store.findByPublicKey(account.publicKey))?.custody).toBe(sealed);
      expect((await store.setCustody(account.id, 'replaced'))?.custody).toBe('replaced');
      expect(await store.setCustody('00000000-0000-4000-8000-000000000000', sealed)).toBeNull();
      expect(await store.count()).toBe(1);
    });

    it('finds an account by publisher key; the earliest created when two share it; null when none', async () => {
      const first = makeAccount({ publicKey: `03${'a'.repeat(64)}`, createdAt: '2025-01-01T00:00:01.000Z' });
      const later = makeAccount({ publicKey: first.publicKey, createdAt: '2025-01-01T00:00:02.000Z' });
      const other = makeAccount();
      // Written newest first, so insertion order does not decide.
      await store.create(later);
      await store.create(first);
      await store.create(other);
      expect(await store.findByPublicKey(first.publicKey)).toEqual(first);
      expect(await store.findByPublicKey(other.publicKey)).toEqual(other);
      expect(await store.findByPublicKey(`02${'f'.repeat(64)}`)).toBeNull();
    });

    it('deletes by id: gone from every lookup and the count, the email free again; false for an unknown id', async () => {
      const account = makeAccount({ isAdmin: true });
      const kept = makeAccount();
      await store.create(account);
      await store.create(kept);
      expect(await store.delete(account.id)).toBe(true);
      expect(await store.findById(account.id)).toBeNull();
      expect(await store.findByEmail(account.email)).toBeNull();
      expect(await store.findByPublicKey(account.publicKey)).toBeNull();
      expect(await store.listAdmins()).toEqual([]);
      expect(await store.count()).toBe(1);
      expect(await store.delete(account.id)).toBe(false);
      expect(await store.setAdmin(account.id, true)).toBeNull();
      expect(await store.setCustody(account.id, 'x')).toBeNull();
      const again = makeAccount({ email: account.email });
      await store.create(again);
      expect((await store.findByEmail(account.email))?.id).toBe(again.id);
      expect(await store.findById(kept.id)).toEqual(kept);
    });

    it('lists admins only, oldest first, up to a limit', async () => {
      const a = makeAccount({ isAdmin: true, createdAt: '2025-02-01T00:00:00.000Z' });
      const b = makeAccount({ isAdmin: false, createdAt: '2025-01-15T00:00:00.000Z' });
      const c = makeAccount({ isAdmin: false, createdAt: '2025-01-01T00:00:00.000Z' });
      for (const x of [a, b, c]) await store.create(x);
      await store.setAdmin(c.id, true);
      expect((await store.listAdmins()).map((x) => x.id)).toEqual([c.id, a.id]);
      expect((await store.listAdmins(1)).map((x) => x.id)).toEqual([c.id]);
      expect(await store.listAdmins(0)).toEqual([]);
      await store.setAdmin(a.id, false);
      expect((await store.listAdmins()).map((x) => x.id)).toEqual([c.id]);
    });

    it('keeps accounts across close and reopen', async () => {
      const account = makeAccount();
      await store.create(account);
      await store.close();
      const reopened = await open();
      expect(await reopened.findByEmail(account.email)).toEqual(account);
      expect(await reopened.count()).toBe(1);
    });

    it('sees writes made through another instance at once', async () => {
      const other = await open();
      const account = makeAccount();
      await other.create(account);
      expect(await store.findById(account.id)).toEqual(account);
      expect(await store.findByEmail(account.email)).toEqual(account);
      expect(await store.count()).toBe(1);
    });

    accountChangesContract(() => store, open);

    it('rejects every call after close with ACCOUNTS_ERR_CLOSED; close twice is fine', async () => {
      const account = makeAccount();
      await store.create(account);
      await store.close();
      await store.close();
      expect(await codeOf(store.create(makeAccount()))).toBe('ACCOUNTS_ERR_CLOSED');
      expect(await codeOf(store.findByEmail(account.email))).toBe('ACCOUNTS_ERR_CLOSED');
      expect(await codeOf(store.findById(account.id))).toBe('ACCOUNTS_ERR_CLOSED');
      expect(await codeOf(store.setAdmin(account.id, true))).toBe('ACCOUNTS_ERR_CLOSED');
      expect(await codeOf(store.count())).toBe('ACCOUNTS_ERR_CLOSED');
      expect(await codeOf(store.findByPublicKey(account.publicKey))).toBe('ACCOUNTS_ERR_CLOSED');
      expect(await codeOf(store.setCustody(account.id, 'x'))).toBe('ACCOUNTS_ERR_CLOSED');
      expect(await codeOf(store.delete(account.id))).toBe('ACCOUNTS_ERR_CLOSED');
      expect(await codeOf(store.listAdmins())).toBe('ACCOUNTS_ERR_CLOSED');
    });
  });
}
