// The AccountStore contract for what changes an account after it is created (credentials, the
// calendar token, statuses) and for the listings (every account, holders of a key). Registered
// inside describeAccountStoreContract, so every backend runs it.
import { expect, it } from 'vitest';
import { MAX_LIST_WINDOW, type AccountStore } from '../../src/index.js';
import { makeAccount } from './accounts.js';
import { codeOf } from './code-of.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

export function accountChangesContract(store: () => AccountStore, open: () => Promise<AccountStore>): void {
  it('fills in the defaults of a new account that leaves them out', async () => {
    const full = makeAccount();
    const {
      tokenStamp: _t,
      calendarTokenHash: _h,
      calendarTokenCreatedAt: _c,
      subscriptionStatus: _s,
      paymentStatus: _p,
      custody: _u,
      ...bare
    } = full;
    const created = await store().create(bare);
    expect(created).toEqual({ ...full, custody: null });
    expect(await store().findById(full.id)).toEqual(created);
    expect(created).toMatchObject({
      tokenStamp: null,
      calendarTokenHash: null,
      calendarTokenCreatedAt: null,
      subscriptionStatus: 'inactive',
      paymentStatus: 'Inactive',
    });
  });

  it('lists the holders of a publisher key oldest first, up to a limit', async () => {
    const key = `02${'b'.repeat(64)}`;
    const first = makeAccount({ publicKey: key, createdAt: '2025-01-01T00:00:01.000Z' });
    const second = makeAccount({ publicKey: key, createdAt: '2025-01-01T00:00:02.000Z' });
    await store().create(second);
    await store().create(first);
    await store().create(makeAccount());
    expect((await store().listByPublicKey(key, 10)).map((a) => a.id)).toEqual([first.id, second.id]);
    expect((await store().listByPublicKey(key, 1)).map((a) => a.id)).toEqual([first.id]);
    expect(await store().listByPublicKey(`03${'c'.repeat(64)}`, 10)).toEqual([]);
  });

  it('replaces hash, secrets and stamp in one write and clears the calendar token; the rest intact; null for an unknown id', async () => {
    const account = makeAccount({
      isAdmin: true,
      custody: 'sealed',
      calendarTokenHash: 'a'.repeat(64),
      calendarTokenCreatedAt: '2025-03-01T00:00:00.000Z',
      subscriptionStatus: 'active',
    });
    await store().create(account);
    const change = { passwordHash: '$argon2id$new', secrets: '{"v":1,"new":true}', tokenStamp: 'stamp-2' };
    const want = { ...account, ...change, calendarTokenHash: null, calendarTokenCreatedAt: null };
    expect(await store().setCredentials(account.id, change)).toEqual(want);
    expect(await store().findById(account.id)).toEqual(want);
    expect(await store().findByEmail(account.email)).toEqual(want);
    expect(await store().setCredentials(UNKNOWN_ID, change)).toBeNull();
    expect(await store().count()).toBe(1);
  });

  it('upgrades hash and secrets only while the stored hash is the one given; stamp, calendar token and the rest intact', async () => {
    const legacyHash = '$2b$10$' + 'a'.repeat(53);
    const account = makeAccount({
      passwordHash: legacyHash,
      isAdmin: true,
      calendarTokenHash: 'c'.repeat(64),
      calendarTokenCreatedAt: '2025-03-01T00:00:00.000Z',
      tokenStamp: 'stamp-1',
    });
    await store().create(account);
    const change = { passwordHash: '$argon2id$ours', secrets: '{"v":1,"ours":true}' };
    expect(await store().upgradeCredentials(account.id, change, '$2b$10$' + 'b'.repeat(53))).toBeNull();
    expect(await store().findById(account.id)).toEqual(account);
    const want = { ...account, ...change };
    expect(await store().upgradeCredentials(account.id, change, legacyHash)).toEqual(want);
    expect(await store().findById(account.id)).toEqual(want);
    // A second upgrade from the old hash (a concurrent first login) writes nothing.
    expect(await store().upgradeCredentials(account.id, { ...change, secrets: '{"v":1}' }, legacyHash)).toBeNull();
    expect(await store().findByEmail(account.email)).toEqual(want);
    expect(await store().upgradeCredentials(UNKNOWN_ID, change, legacyHash)).toBeNull();
  });

  it('sets, replaces and clears the calendar token; null for an unknown id', async () => {
    const account = makeAccount();
    await store().create(account);
    const at = '2025-04-01T12:00:00.000Z';
    expect(await store().setCalendarToken(account.id, '1'.repeat(64), at)).toEqual({
      ...account,
      calendarTokenHash: '1'.repeat(64),
      calendarTokenCreatedAt: at,
    });
    await store().setCalendarToken(account.id, '2'.repeat(64), at);
    expect((await store().findById(account.id))?.calendarTokenHash).toBe('2'.repeat(64));
    expect(await store().setCalendarToken(account.id, null, null)).toEqual(account);
    expect(await store().findById(account.id)).toEqual(account);
    expect(await store().setCalendarToken(UNKNOWN_ID, '1'.repeat(64), at)).toBeNull();
  });

  it('sees a calendar token revoked through another instance at once', async () => {
    const other = await open();
    const account = makeAccount({
      calendarTokenHash: '3'.repeat(64),
      calendarTokenCreatedAt: '2025-01-02T00:00:00.000Z',
    });
    await store().create(account);
    expect((await other.findById(account.id))?.calendarTokenHash).toBe('3'.repeat(64));
    await other.setCalendarToken(account.id, null, null);
    expect((await store().findById(account.id))?.calendarTokenHash).toBeNull();
  });

  it('sets the statuses named and keeps the others; null for an unknown id', async () => {
    const account = makeAccount();
    await store().create(account);
    expect(await store().setStatus(account.id, { subscriptionStatus: 'active' })).toEqual({
      ...account,
      subscriptionStatus: 'active',
    });
    expect(await store().setStatus(account.id, { paymentStatus: 'Active' })).toEqual({
      ...account,
      subscriptionStatus: 'active',
      paymentStatus: 'Active',
    });
    expect(await store().setStatus(account.id, {})).toMatchObject({
      subscriptionStatus: 'active',
      paymentStatus: 'Active',
    });
    expect(await store().findById(account.id)).toMatchObject({ subscriptionStatus: 'active', paymentStatus: 'Active' });
    expect(await store().setStatus(UNKNOWN_ID, { paymentStatus: 'Active' })).toBeNull();
  });

  it('lists every account oldest first in pages; nothing past the window or with limit 0', async () => {
    const made = [3, 1, 4, 2, 5].map((s) => makeAccount({ createdAt: `2025-05-01T00:00:0${s}.000Z` }));
    for (const a of made) await store().create(a);
    const byAge = [...made].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((a) => a.id);
    expect((await store().list()).map((a) => a.id)).toEqual(byAge);
    expect((await store().list({ offset: 0, limit: 2 })).map((a) => a.id)).toEqual(byAge.slice(0, 2));
    expect((await store().list({ offset: 2, limit: 2 })).map((a) => a.id)).toEqual(byAge.slice(2, 4));
    expect((await store().list({ offset: 4, limit: 2 })).map((a) => a.id)).toEqual(byAge.slice(4));
    expect(await store().list({ offset: 5, limit: 2 })).toEqual([]);
    expect(await store().list({ offset: 0, limit: 0 })).toEqual([]);
    expect(await store().list({ offset: MAX_LIST_WINDOW, limit: 10 })).toEqual([]);
    expect((await store().list({ offset: -3, limit: 1 })).map((a) => a.id)).toEqual(byAge.slice(0, 1));
  });

  it('rejects the new calls after close with ACCOUNTS_ERR_CLOSED', async () => {
    const account = makeAccount();
    await store().create(account);
    await store().close();
    expect(await codeOf(store().listByPublicKey(account.publicKey, 1))).toBe('ACCOUNTS_ERR_CLOSED');
    expect(await codeOf(store().setCredentials(account.id, { passwordHash: 'h', secrets: 's', tokenStamp: 't' }))).toBe(
      'ACCOUNTS_ERR_CLOSED',
    );
    expect(await codeOf(store().setCalendarToken(account.id, null, null))).toBe('ACCOUNTS_ERR_CLOSED');
    expect(await codeOf(store().setStatus(account.id, { paymentStatus: 'Active' }))).toBe('ACCOUNTS_ERR_CLOSED');
    expect(await codeOf(store().list())).toBe('ACCOUNTS_ERR_CLOSED');
  });
}
