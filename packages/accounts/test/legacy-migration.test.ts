// `migrateLegacyAccounts` from the legacy node's own Elasticsearch 7.17.8 (LEGACY_ELASTICSEARCH_URL)
// holding a legacy `users` index (legacy helpers/elasticsearch.js ensureUserIndexExists' mapping,
// documents made as legacy routes/user.js makes them: @oip/test-kit's legacyUserDocument), read
// through the client `oip migrate accounts` builds (plain JSON), into each account store,
// and the migrated user's first login through AccountService: the legacy bcrypt hash verified and
// replaced, the legacy-sealed key, mnemonic and GUN salt opened and sealed in our envelope, custody
// kept. Every legacy index is deleted after its test.
import type { Client } from '@elastic/elasticsearch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLegacyUsersIndex, legacySeal, legacyUserDocument, type LegacyUserDocument } from '@oip/test-kit';
import {
  AccountService,
  type AccountStore,
  createAccountsEsClient,
  PublisherKeyring,
  createPublisherKeys,
  custodyKey,
  isLegacyPasswordHash,
  migrateLegacyAccounts,
  openAccountSecrets,
  parseEnvelope,
  parseLegacySecrets,
  sealCustody,
  type UserOutcome,
} from '../src/index.js';
import { codeOf } from './helpers/code-of.js';
import {
  dropIndex,
  legacyElasticsearchUrl,
  noElasticsearch,
  noLegacyElasticsearch,
  uniqueIndex,
} from './helpers/real-elasticsearch.js';
import { FAST, serviceBackends } from './helpers/service-backends.js';

const CUSTODY = 'node-custody-secret-0123456789';
const PW = 'legacy password 1';

interface Fixture {
  alice: LegacyUserDocument;
  admin: LegacyUserDocument;
  aliceKeys: ReturnType<typeof createPublisherKeys>;
  docs: Array<{ id: string; source: Record<string, unknown> }>;
}

/** A legacy node's users: two to migrate, and one of each kind that is skipped. */
async function legacyNode(): Promise<Fixture> {
  const aliceKeys = createPublisherKeys();
  const alice = await legacyUserDocument({
    email: 'Alice@Example.org',
    password: PW,
    keys: aliceKeys,
    calendarToken: 'alice-calendar-jwt',
    createdAt: new Date('2025-02-03T04:05:06.000Z'),
  });
  const admin = await legacyUserDocument({
    email: 'admin@example.org',
    password: 'admin password 2',
    keys: createPublisherKeys(),
    isAdmin: true,
    subscriptionStatus: 'active',
    paymentMethod: 'card',
  });
  // Same key as alice (legacy's import-wallet allowed it): skipped, the key is alice's here.
  const twin = await legacyUserDocument({ email: 'twin@example.org', password: PW, keys: aliceKeys });
  // Same email as alice in another case: legacy stored emails as typed.
  const again = await legacyUserDocument({ email: 'alice@example.org', password: PW, keys: createPublisherKeys() });
  const oneWay = await legacyUserDocument({ email: 'old@example.org', password: PW, keys: createPublisherKeys() });
  oneWay.source['encryptedPrivateKey'] = 'ab'.repeat(32); // legacy's oldest PBKDF2 hex form
  const waitlist = {
    id: 'waitlist-entry-1',
    source: { email: 'wait@example.org', waitlistStatus: 'pending', requestDate: new Date().toISOString() },
  };
  const keyless = await legacyUserDocument({ email: 'early@example.org', password: PW, keys: createPublisherKeys() });
  delete keyless.source['publicKey'];
  delete keyless.source['encryptedPrivateKey'];
  return {
    alice,
    admin,
    aliceKeys,
    docs: [alice, admin, twin, again, oneWay, waitlist, keyless],
  };
}

if (noLegacyElasticsearch && process.env['CI'])
  throw new Error('LEGACY_ELASTICSEARCH_URL is not set: CI runs this suite on a 7.17 node (node scripts/oip.mjs test)');

/** The legacy node's Elasticsearch, read as `oip migrate accounts` reads it. */
const legacySource = (): Client => createAccountsEsClient({ url: legacyElasticsearchUrl!, plainJson: true });

describe.skipIf(noElasticsearch || noLegacyElasticsearch)('migrate accounts from a legacy users index', () => {
  it("reads the legacy node's Elasticsearch 7.17", async () => {
    const source = legacySource();
    try {
      expect((await source.info()).version.number).toMatch(/^7\.17\./);
    } finally {
      await source.close();
    }
  });

  for (const backend of serviceBackends) {
    describe(`into ${backend.name}`, () => {
      let store: AccountStore;
      let cleanup: () => Promise<void>;
      let source: Client;
      let index: string;
      let fx: Fixture;

      beforeEach(async () => {
        ({ store, cleanup } = backend.open());
        source = legacySource();
        index = uniqueIndex('legacy-users');
        fx = await legacyNode();
        await createLegacyUsersIndex(legacyElasticsearchUrl!, index, fx.docs);
      });
      afterEach(async () => {
        await source.close();
        await dropIndex(index, legacyElasticsearchUrl);
        await cleanup();
      });

      const migrate = (
        extra: { dryRun?: boolean; pageSize?: number; onUser?: (e: UserOutcome) => void; onProgress?: () => void } = {},
      ) => migrateLegacyAccounts({ source, target: store, index, pageSize: 2, ...extra });

      it('writes the registered users, skips the rest with their reasons; a dry run before writes nothing; a second run writes nothing', async () => {
        const dry = await migrate({ dryRun: true });
        expect(await store.count()).toBe(0);
        const expected = {
          read: 7,
          written: 2,
          skipped: {
            'key-taken': 1,
            'email-taken': 1,
            'one-way-secrets': 1,
            'not-registered': 1,
            'no-publisher-key': 1,
          },
          failed: {},
        };
        expect(dry).toEqual({ index, dryRun: true, ...expected });

        const events: UserOutcome[] = [];
        expect(await migrate({ onUser: (e) => events.push(e) })).toEqual({ index, dryRun: false, ...expected });
        expect(events.find((e) => e.id === 'waitlist-entry-1')).toMatchObject({
          outcome: 'skipped',
          reason: 'not-registered',
        });
        expect(await store.count()).toBe(2);

        const alice = await store.findById(fx.alice.id);
        expect(alice).toMatchObject({
          email: 'alice@example.org',
          publicKey: fx.aliceKeys.publicKey,
          passwordHash: fx.alice.source['passwordHash'],
          isAdmin: false,
          createdAt: '2025-02-03T04:05:06.000Z',
          custody: null,
          tokenStamp: null,
          calendarTokenHash: fx.alice.source['calendarTokenHash'],
          calendarTokenCreatedAt: '2025-02-03T04:05:06.000Z',
          subscriptionStatus: 'inactive',
          paymentStatus: 'Inactive',
        });
        expect(parseLegacySecrets(alice!.secrets)).toEqual({
          encryptedPrivateKey: fx.alice.source['encryptedPrivateKey'],
          encryptedMnemonic: fx.alice.source['encryptedMnemonic'],
          encryptedGunSalt: fx.alice.source['encryptedGunSalt'],
        });
        expect(await store.findById(fx.admin.id)).toMatchObject({
          isAdmin: true,
          subscriptionStatus: 'active',
          paymentStatus: 'Active',
        });

        const before = await store.list();
        const second = await migrate();
        expect(second).toMatchObject({ read: 7, written: 0, failed: {} });
        expect(second.skipped['already-migrated']).toBe(2);
        expect(await store.list()).toEqual(before);
      });

      it('an interrupted run (stopped after its first page of one) and a rerun end with the store an uninterrupted run makes', async () => {
        const whole = backend.open();
        try {
          await migrateLegacyAccounts({ source, target: whole.store, index, pageSize: 2 });
          await expect(
            migrate({
              pageSize: 1,
              onProgress: () => {
                throw new Error('killed');
              },
            }),
          ).rejects.toThrow('killed');
          // One page of one document: alice (the first indexed) is written, the admin not yet.
          expect(await store.count()).toBe(1);
          const rerun = await migrate();
          expect([rerun.written, rerun.skipped['already-migrated']]).toEqual([1, 1]);
          expect(await store.list()).toEqual(await whole.store.list());
        } finally {
          await whole.cleanup();
        }
      });

      it('upgrades the account at its first login: bcrypt verified and replaced, the legacy key, mnemonic and GUN salt sealed in our envelope, custody kept; the same id, key and calendar token', async () => {
        await migrate();
        const service = new AccountService({ store, ...FAST, custodySecret: CUSTODY });
        const keyring = new PublisherKeyring({ store, custodySecret: CUSTODY });
        expect(await keyring.lookup(fx.aliceKeys.publicKey)).toEqual({ privateKey: null, miss: 'no-custody' });

        // A wrong password changes nothing.
        expect(await codeOf(service.authenticate({ email: 'alice@example.org', password: 'wrong password' }))).toBe(
          'ACCOUNTS_ERR_BAD_CREDENTIALS',
        );
        const untouched = await store.findById(fx.alice.id);
        expect(isLegacyPasswordHash(untouched!.passwordHash)).toBe(true);
        expect(parseLegacySecrets(untouched!.secrets)).not.toBeNull();

        const account = await service.authenticate({ email: 'ALICE@example.org', password: PW });
        expect(account).toMatchObject({ id: fx.alice.id, publicKey: fx.aliceKeys.publicKey, isAdmin: false });
        const upgraded = (await store.findById(fx.alice.id))!;
        expect(upgraded.passwordHash).toMatch(/^\$argon2id\$/u);
        expect(parseLegacySecrets(upgraded.secrets)).toBeNull();
        expect(parseEnvelope(upgraded.secrets).v).toBe(1);
        expect(await openAccountSecrets(upgraded.secrets, PW)).toEqual({
          mnemonic: fx.aliceKeys.mnemonic,
          privateKey: fx.aliceKeys.privateKey,
          legacyGunSalt: fx.alice.gunSalt,
        });
        expect(upgraded.calendarTokenHash).toBe(fx.alice.source['calendarTokenHash']);
        expect(upgraded.tokenStamp).toBeNull();
        expect(await keyring.privateKeyOf(fx.aliceKeys.publicKey)).toBe(fx.aliceKeys.privateKey);
        expect(await keyring.legacySaltOf(fx.aliceKeys.publicKey)).toBe(fx.alice.gunSalt);
        // Custody lost (another node secret): the next login seals key and salt again from the password.
        await store.setCustody(
          fx.alice.id,
          sealCustody(fx.aliceKeys.privateKey, fx.aliceKeys.publicKey, custodyKey('another-secret-0123456789')),
        );
        await service.authenticate({ email: 'alice@example.org', password: PW });
        expect(await new PublisherKeyring({ store, custodySecret: CUSTODY }).legacySaltOf(fx.aliceKeys.publicKey)).toBe(
          fx.alice.gunSalt,
        );
        expect(await service.unlockSecrets({ id: fx.alice.id, password: PW })).toMatchObject({
          mnemonic: fx.aliceKeys.mnemonic,
        });

        // From then on an ordinary account: the same password, the wrong one refused.
        expect((await service.authenticate({ email: 'alice@example.org', password: PW })).id).toBe(fx.alice.id);
        expect(await codeOf(service.authenticate({ email: 'alice@example.org', password: 'legacy password 2' }))).toBe(
          'ACCOUNTS_ERR_BAD_CREDENTIALS',
        );
        // A password change as the first request upgrades too, then seals the same secrets under the new password.
        await service.changePassword({
          id: fx.admin.id,
          oldPassword: 'admin password 2',
          newPassword: 'a brand new admin passphrase',
        });
        const admin = (await store.findById(fx.admin.id))!;
        expect([isLegacyPasswordHash(admin.passwordHash), parseLegacySecrets(admin.secrets), admin.isAdmin]).toEqual([
          false,
          null,
          true,
        ]);
        expect(
          (await service.unlockSecrets({ id: fx.admin.id, password: 'a brand new admin passphrase' })).legacyGunSalt,
        ).toBe(fx.admin.gunSalt);
      });
    });
  }

  describe('a legacy password reset that left the secrets sealed under the old password', () => {
    let store: AccountStore;
    let cleanup: () => Promise<void>;
    let source: Client;
    let index: string;
    beforeEach(() => {
      ({ store, cleanup } = serviceBackends[0]!.open());
      source = legacySource();
      index = uniqueIndex('legacy-users');
    });
    afterEach(async () => {
      await source.close();
      await dropIndex(index, legacyElasticsearchUrl);
      await cleanup();
    });

    it('logs in with the new password and stays as migrated (no key to open); the old password is refused', async () => {
      const keys = createPublisherKeys();
      const user = await legacyUserDocument({ email: 'reset@example.org', password: 'old password 1', keys });
      // routes/user.js /reset-password: a new bcrypt hash, the envelopes left as they were.
      const renewed = await legacyUserDocument({ email: 'x@example.org', password: 'new password 1', keys });
      user.source['passwordHash'] = renewed.source['passwordHash'];
      await createLegacyUsersIndex(legacyElasticsearchUrl!, index, [user]);
      expect((await migrateLegacyAccounts({ source, target: store, index })).written).toBe(1);
      const service = new AccountService({ store, ...FAST, custodySecret: CUSTODY });
      expect(await codeOf(service.authenticate({ email: 'reset@example.org', password: 'old password 1' }))).toBe(
        'ACCOUNTS_ERR_BAD_CREDENTIALS',
      );
      expect((await service.authenticate({ email: 'reset@example.org', password: 'new password 1' })).publicKey).toBe(
        keys.publicKey,
      );
      const after = (await store.findById(user.id))!;
      expect(isLegacyPasswordHash(after.passwordHash)).toBe(true);
      expect(after.custody).toBeNull();
      expect(await codeOf(service.unlockSecrets({ id: user.id, password: 'new password 1' }))).toBe(
        'ACCOUNTS_ERR_LEGACY_SECRETS_LOCKED',
      );
    });

    it('refuses a sealed key that is not the account key (a document pieced together from two users)', async () => {
      const keys = createPublisherKeys();
      const user = await legacyUserDocument({ email: 'mixed@example.org', password: PW, keys });
      user.source['encryptedPrivateKey'] = legacySeal(
        createPublisherKeys().privateKey,
        PW,
        'oip-private-key-encryption',
      );
      await createLegacyUsersIndex(legacyElasticsearchUrl!, index, [user]);
      await migrateLegacyAccounts({ source, target: store, index });
      const service = new AccountService({ store, ...FAST, custodySecret: CUSTODY });
      await service.authenticate({ email: 'mixed@example.org', password: PW });
      const after = (await store.findById(user.id))!;
      expect(after.custody).toBeNull();
      expect(parseLegacySecrets(after.secrets)).not.toBeNull();
    });
  });
});
