// AccountService after registration: password change, the operator's reset (through custody), the
// session state tokens are checked against, calendar tokens, the key an import claims, the listing
// and the legacy statuses. On both stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AccountService,
  type AccountStore,
  openAccountSecrets,
  publisherKeysFromMnemonic,
  verifyPassword,
} from '../src/index.js';
import { codeOf } from './helpers/code-of.js';
import { FAST, serviceBackends } from './helpers/service-backends.js';

const ABANDON = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ABANDON_KEY = '03aaeb52dd7494c361049de67cc680e83ebcbbbdbeb13637d92cd845f70308af5e';
const CUSTODY = 'custody-secret-0123456789abcdef';

for (const backend of serviceBackends) {
  describe(`AccountService credentials and tokens on ${backend.name}`, () => {
    let store: AccountStore;
    let cleanup: () => Promise<void>;
    let service: AccountService;

    beforeEach(() => {
      ({ store, cleanup } = backend.open());
      service = new AccountService({ store, ...FAST, custodySecret: CUSTODY });
    });
    afterEach(async () => {
      await cleanup();
    });

    it('changes the password: old one refused, new one works, secrets re-sealed under it, stamp renewed, calendar token revoked', async () => {
      const { account, mnemonic } = await service.register({ email: 'pw@example.com', password: 'first-pass-Word-1' });
      await service.setCalendarToken(account.id, 'c'.repeat(64), new Date());
      expect(account.tokenStamp).toBeNull();
      const changed = await service.changePassword({
        id: account.id,
        oldPassword: 'first-pass-Word-1',
        newPassword: 'second-pass-Word-2',
      });
      expect(changed.tokenStamp).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(changed.publicKey).toBe(account.publicKey);
      expect(await codeOf(service.authenticate({ email: 'pw@example.com', password: 'first-pass-Word-1' }))).toBe(
        'ACCOUNTS_ERR_BAD_CREDENTIALS',
      );
      expect((await service.authenticate({ email: 'pw@example.com', password: 'second-pass-Word-2' })).id).toBe(
        account.id,
      );
      const raw = (await store.findById(account.id))!;
      expect(await verifyPassword(raw.passwordHash, 'second-pass-Word-2')).toBe(true);
      expect(await openAccountSecrets(raw.secrets, 'second-pass-Word-2')).toEqual({
        mnemonic,
        privateKey: publisherKeysFromMnemonic(mnemonic!).privateKey,
      });
      expect(await codeOf(openAccountSecrets(raw.secrets, 'first-pass-Word-1'))).toBe('ACCOUNTS_ERR_DECRYPT_FAILED');
      expect(await service.sessionState(account.id)).toEqual({
        isAdmin: false,
        tokenStamp: changed.tokenStamp,
        calendarTokenHash: null,
      });
      // A second change renews the stamp again.
      const again = await service.changePassword({
        id: account.id,
        oldPassword: 'second-pass-Word-2',
        newPassword: 'third-pass-Word-3',
      });
      expect(again.tokenStamp).not.toBe(changed.tokenStamp);
    });

    it('refuses a password change with the wrong old password, a weak or short new one, or an unknown id; nothing changes', async () => {
      const { account } = await service.register({ email: 'keep@example.com', password: 'keep-this-Pass-9' });
      const before = await store.findById(account.id);
      const change = (oldPassword: unknown, newPassword: unknown, id = account.id) =>
        codeOf(service.changePassword({ id, oldPassword, newPassword }));
      expect(await change('wrong-password-1', 'a-new-Strong-pass-7')).toBe('ACCOUNTS_ERR_BAD_CREDENTIALS');
      expect(await change(undefined, 'a-new-Strong-pass-7')).toBe('ACCOUNTS_ERR_BAD_CREDENTIALS');
      expect(await change('keep-this-Pass-9', 'short')).toBe('ACCOUNTS_ERR_INVALID_PASSWORD');
      expect(await change('keep-this-Pass-9', 'password123')).toBe('ACCOUNTS_ERR_INVALID_PASSWORD');
      expect(await change('keep-this-Pass-9', 42)).toBe('ACCOUNTS_ERR_INVALID_PASSWORD');
      expect(await change('keep-this-Pass-9', 'a-new-Strong-pass-7', 'no-such-id')).toBe(
        'ACCOUNTS_ERR_BAD_CREDENTIALS',
      );
      expect(await store.findById(account.id)).toEqual(before);
    });

    it("resets a password through custody: a new random password opens the key, the mnemonic is gone, tokens' stamp renewed", async () => {
      const { account } = await service.register({
        email: 'reset@example.com',
        password: 'reset-me-Please-5',
        mnemonic: ABANDON,
      });
      const { account: after, password } = await service.resetPassword('RESET@example.com');
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(after.tokenStamp).not.toBeNull();
      expect(await codeOf(service.authenticate({ email: 'reset@example.com', password: 'reset-me-Please-5' }))).toBe(
        'ACCOUNTS_ERR_BAD_CREDENTIALS',
      );
      expect((await service.authenticate({ email: 'reset@example.com', password })).id).toBe(account.id);
      expect(await service.unlockSecrets({ id: account.id, password })).toEqual({
        mnemonic: null,
        privateKey: publisherKeysFromMnemonic(ABANDON).privateKey,
      });
      // The owner can change it afterwards as usual.
      await service.changePassword({ id: account.id, oldPassword: password, newPassword: 'my-own-Again-pass-8' });
      expect((await service.authenticate({ email: 'reset@example.com', password: 'my-own-Again-pass-8' })).id).toBe(
        account.id,
      );
    });

    it('refuses a reset without custody: unknown email, no custody secret, none held, or sealed under another secret', async () => {
      expect(await codeOf(service.resetPassword('nobody@example.com'))).toBe('ACCOUNTS_ERR_NOT_FOUND');
      const plain = new AccountService({ store, ...FAST });
      await plain.register({ email: 'nocustody@example.com', password: 'no-custody-Pass-3' });
      expect(await codeOf(plain.resetPassword('nocustody@example.com'))).toBe('ACCOUNTS_ERR_NO_CUSTODY');
      expect(await codeOf(service.resetPassword('nocustody@example.com'))).toBe('ACCOUNTS_ERR_NO_CUSTODY');
      const other = new AccountService({ store, ...FAST, custodySecret: 'another-custody-secret-0000' });
      await other.register({ email: 'elsewhere@example.com', password: 'elsewhere-Pass-44' });
      const before = await store.findByEmail('elsewhere@example.com');
      expect(await codeOf(service.resetPassword('elsewhere@example.com'))).toBe('ACCOUNTS_ERR_NO_CUSTODY');
      expect(await store.findByEmail('elsewhere@example.com')).toEqual(before);
    });

    it('imports a key once: a second account importing the same mnemonic is refused with ACCOUNTS_ERR_KEY_TAKEN', async () => {
      const first = await service.register({
        email: 'one@example.com',
        password: 'import-Pass-one-1',
        mnemonic: ABANDON,
      });
      expect(first.account.publicKey).toBe(ABANDON_KEY);
      expect(
        await codeOf(service.register({ email: 'two@example.com', password: 'import-Pass-two-2', mnemonic: ABANDON })),
      ).toBe('ACCOUNTS_ERR_KEY_TAKEN');
      // The email check comes first, as legacy's.
      expect(
        await codeOf(service.register({ email: 'one@example.com', password: 'import-Pass-two-2', mnemonic: ABANDON })),
      ).toBe('ACCOUNTS_ERR_DUPLICATE_EMAIL');
      expect(await service.getByEmail('two@example.com')).toBeNull();
      expect((await store.listByPublicKey(ABANDON_KEY, 10)).map((a) => a.id)).toEqual([first.account.id]);
    });

    it('lets at most one of concurrent imports of one mnemonic keep the key', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          service.register({ email: `race${i}@example.com`, password: `race-Pass-word-${i}x`, mnemonic: ABANDON }),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []));
      expect(won.length).toBeLessThanOrEqual(1);
      expect(new Set(codes)).toEqual(new Set(['ACCOUNTS_ERR_KEY_TAKEN']));
      expect((await store.listByPublicKey(ABANDON_KEY, 10)).length).toBe(won.length);
      expect(await store.count()).toBe(won.length);
    });

    it('keeps one live calendar token per account: set replaces, revoke clears; unknown id → ACCOUNTS_ERR_NOT_FOUND', async () => {
      const { account } = await service.register({ email: 'cal@example.com', password: 'calendar-Pass-1x' });
      expect((await service.sessionState(account.id))?.calendarTokenHash).toBeNull();
      await service.setCalendarToken(account.id, 'a'.repeat(64), new Date('2025-06-01T00:00:00Z'));
      expect((await service.sessionState(account.id))?.calendarTokenHash).toBe('a'.repeat(64));
      expect((await store.findById(account.id))?.calendarTokenCreatedAt).toBe('2025-06-01T00:00:00.000Z');
      await service.setCalendarToken(account.id, 'b'.repeat(64), new Date());
      expect((await service.sessionState(account.id))?.calendarTokenHash).toBe('b'.repeat(64));
      await service.revokeCalendarToken(account.id);
      expect((await service.sessionState(account.id))?.calendarTokenHash).toBeNull();
      expect(await codeOf(service.setCalendarToken('nope', 'a'.repeat(64), new Date()))).toBe('ACCOUNTS_ERR_NOT_FOUND');
      expect(await codeOf(service.revokeCalendarToken('nope'))).toBe('ACCOUNTS_ERR_NOT_FOUND');
      expect(await service.sessionState('nope')).toBeNull();
    });

    it('lists accounts in pages (public views) and flips the legacy statuses; unknown id → ACCOUNTS_ERR_NOT_FOUND', async () => {
      const a = await service.register({ email: 'a@example.com', password: 'list-Pass-word-a' });
      const b = await service.register({ email: 'b@example.com', password: 'list-Pass-word-b' });
      const page = await service.list({ offset: 0, limit: 10 });
      expect(page.map((x) => x.email).sort()).toEqual(['a@example.com', 'b@example.com']);
      for (const x of page) {
        expect(x).not.toHaveProperty('passwordHash');
        expect(x).not.toHaveProperty('secrets');
        expect(x).not.toHaveProperty('custody');
      }
      expect((await service.toggleStatus(a.account.id, 'subscriptionStatus')).subscriptionStatus).toBe('active');
      expect((await service.toggleStatus(a.account.id, 'subscriptionStatus')).subscriptionStatus).toBe('inactive');
      expect((await service.toggleStatus(b.account.id, 'paymentStatus')).paymentStatus).toBe('Active');
      expect((await service.get(b.account.id))?.paymentStatus).toBe('Active');
      expect((await service.get(b.account.id))?.subscriptionStatus).toBe('inactive');
      expect((await service.setStatus(b.account.id, { paymentStatus: 'Inactive' })).paymentStatus).toBe('Inactive');
      expect(await codeOf(service.toggleStatus('nope', 'paymentStatus'))).toBe('ACCOUNTS_ERR_NOT_FOUND');
    });
  });
}
