// A migrated account's first login (`oip migrate accounts` kept its legacy bcrypt hash and
// legacy-sealed secrets): the secrets are opened with the password just verified, sealed again in
// our envelope, the hash replaced by ours, and the key put in custody; from then on the account is
// an ordinary one. Its id, publisher key, token stamp and calendar token stay. Secrets that do not
// open with the password (legacy's password resets did not seal them again) leave the account as it
// was: the login still succeeds, as on the legacy node, but it has no key here.
import { sealAccountSecrets, type AccountSecrets } from '../account-secrets.js';
import { BadCredentialsError, isAccountsError } from '../errors.js';
import { sealCustody } from '../key-custody.js';
import { hashPassword, isLegacyPasswordHash, verifyPassword, type PasswordHashOptions } from '../password-hash.js';
import type { ScryptParams } from '../secret-envelope.js';
import type { AccountRecord, AccountStore } from '../types.js';
import { openLegacySecrets, parseLegacySecrets } from './legacy-secrets.js';

export interface LegacyUpgradeDeps {
  store: AccountStore;
  hashOptions: PasswordHashOptions;
  kdf: ScryptParams;
  /** The custody key (null: the node keeps no custody). */
  custodyKey: Buffer | null;
}

/** `account` in our schemes after a verified login with `password`; unchanged when it is not a legacy one. */
export async function upgradeLegacyAccount(
  deps: LegacyUpgradeDeps,
  account: AccountRecord,
  password: string,
): Promise<AccountRecord> {
  const sealed = parseLegacySecrets(account.secrets);
  if (sealed === null && !isLegacyPasswordHash(account.passwordHash)) return account;
  let secrets: AccountSecrets | null = null;
  if (sealed !== null) {
    try {
      secrets = await openLegacySecrets(sealed, password, account.publicKey);
    } catch (err) {
      if (!isAccountsError(err)) throw err;
      if (err.code === 'ACCOUNTS_ERR_DECRYPT_FAILED' || err.code === 'ACCOUNTS_ERR_ENVELOPE_INVALID') return account;
      throw err;
    }
  }
  const [passwordHash, sealedOurs] = await Promise.all([
    hashPassword(password, deps.hashOptions),
    secrets === null ? Promise.resolve(account.secrets) : sealAccountSecrets(secrets, password, deps.kdf),
  ]);
  const upgraded = await deps.store.upgradeCredentials(
    account.id,
    { passwordHash, secrets: sealedOurs },
    account.passwordHash,
  );
  if (upgraded === null) {
    // Another login upgraded it first (or the account changed): go on with what is stored now.
    const now = await deps.store.findById(account.id);
    if (now === null || isLegacyPasswordHash(now.passwordHash) || !(await verifyPassword(now.passwordHash, password)))
      throw new BadCredentialsError();
    return now;
  }
  if (secrets === null || deps.custodyKey === null || upgraded.custody !== null) return upgraded;
  const withCustody = await deps.store.setCustody(
    upgraded.id,
    sealCustody(secrets.privateKey, upgraded.publicKey, deps.custodyKey, secrets.legacyGunSalt),
  );
  return withCustody ?? upgraded;
}
