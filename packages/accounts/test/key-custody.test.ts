// Key custody on a real SQLite accounts store: the signing key is sealed under the node secret at
// register, found by the keyring by public key, sealed again at login when missing or sealed under
// another secret, and never opens for another account or another secret.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AccountService,
  PublisherKeyring,
  createSqliteAccountStore,
  custodyKey,
  openCustody,
  openCustodySecrets,
  publisherKeysFromMnemonic,
  sealCustody,
  type AccountStore,
} from '../src/index.js';
import { makeTempDir } from './helpers/temp-dir.js';
import { codeOf } from './helpers/code-of.js';

const FAST = { passwordHash: { memoryCost: 1024, timeCost: 1 }, secretKdf: { N: 2 ** 10, r: 8, p: 1 } };
const ABANDON = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const SECRET = 'node-custody-secret-0123456789';
const PASSWORD = 'correct horse battery staple 42';
let store: AccountStore;
let cleanup: () => Promise<void>;

beforeEach(() => {
  const tmp = makeTempDir();
  store = createSqliteAccountStore({ path: join(tmp.dir, 'accounts.sqlite') });
  cleanup = async () => (await store.close(), tmp.remove());
});
afterEach(async () => cleanup());

describe('key custody', () => {
  it('seals the signing key at register; the keyring finds it by public key; nothing for unknown keys', async () => {
    const service = new AccountService({ store, ...FAST, custodySecret: SECRET });
    const { account } = await service.register({ email: 'a@example.org', password: PASSWORD, mnemonic: ABANDON });
    const keyring = new PublisherKeyring({ store, custodySecret: SECRET });
    expect(await keyring.privateKeyOf(account.publicKey)).toBe(publisherKeysFromMnemonic(ABANDON).privateKey);
    expect(await keyring.lookup('02'.padEnd(66, 'f'))).toEqual({ privateKey: null, miss: 'no-account' });
    // Another node secret does not open it.
    expect(
      await new PublisherKeyring({ store, custodySecret: 'another-node-secret-0123' }).lookup(account.publicKey),
    ).toEqual({ privateKey: null, miss: 'sealed-elsewhere' });
  });

  it('seals it at login for an account from before custody, and again after the node secret changed', async () => {
    const before = new AccountService({ store, ...FAST });
    const { account } = await before.register({ email: 'b@example.org', password: PASSWORD, mnemonic: ABANDON });
    expect((await store.findById(account.id))?.custody).toBeNull();
    const keyring = new PublisherKeyring({ store, custodySecret: SECRET });
    expect(await keyring.lookup(account.publicKey)).toEqual({ privateKey: null, miss: 'no-custody' });

    await new AccountService({ store, ...FAST, custodySecret: SECRET }).authenticate({
      email: 'b@example.org',
      password: PASSWORD,
    });
    expect(await keyring.privateKeyOf(account.publicKey)).toBe(publisherKeysFromMnemonic(ABANDON).privateKey);

    const rotated = 'rotated-node-secret-0123456789';
    await new AccountService({ store, ...FAST, custodySecret: rotated }).authenticate({
      email: 'b@example.org',
      password: PASSWORD,
    });
    expect(await new PublisherKeyring({ store, custodySecret: rotated }).privateKeyOf(account.publicKey)).toBe(
      publisherKeysFromMnemonic(ABANDON).privateKey,
    );
  });

  it('binds a sealed key to its account and secret', async () => {
    const key = custodyKey(SECRET);
    const sealed = sealCustody('ab'.repeat(32), '02aa', key);
    expect(openCustody(sealed, '02aa', key)).toBe('ab'.repeat(32));
    expect(await codeOf(() => openCustody(sealed, '02bb', key))).toBe('ACCOUNTS_ERR_DECRYPT_FAILED');
    expect(await codeOf(() => openCustody(sealed, '02aa', custodyKey('other-secret-0123456789')))).toBe(
      'ACCOUNTS_ERR_DECRYPT_FAILED',
    );
    expect(await codeOf(() => openCustody('{"v":2}', '02aa', key))).toBe('ACCOUNTS_ERR_ENVELOPE_INVALID');
    expect(sealed).not.toContain('abab');
  });

  it("keeps a migrated account's legacy GUN salt beside its key (v2); v1 envelopes read with no salt", () => {
    const key = custodyKey(SECRET);
    const v1 = sealCustody('ab'.repeat(32), '02aa', key);
    const v2 = sealCustody('cd'.repeat(32), '02aa', key, 'ef'.repeat(32));
    expect([JSON.parse(v1).v, JSON.parse(v2).v]).toEqual([1, 2]);
    expect(openCustodySecrets(v1, '02aa', key)).toEqual({ privateKey: 'ab'.repeat(32), legacyGunSalt: null });
    expect(openCustodySecrets(v2, '02aa', key)).toEqual({
      privateKey: 'cd'.repeat(32),
      legacyGunSalt: 'ef'.repeat(32),
    });
    expect(openCustody(v2, '02aa', key)).toBe('cd'.repeat(32));
    expect(v2).not.toContain('efef');
  });
});
