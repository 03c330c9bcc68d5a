// Registration, login, the admin flag and deletion over an AccountStore. Everything a route or
// the operator's CLI needs, with no HTTP in it: the api maps the ACCOUNTS_ERR_ codes to legacy
// status codes and bodies.
import { randomBytes, randomUUID } from 'node:crypto';
import { openAccountSecrets, sealAccountSecrets, type AccountSecrets } from './account-secrets.js';
import { normalizeEmail, validateEmail } from './email.js';
import {
  AccountNotFoundError,
  BadCredentialsError,
  LegacySecretsLockedError,
  DuplicateEmailError,
  KeyTakenError,
  NoCustodyError,
  isAccountsError,
} from './errors.js';
import { hashPassword, verifyPassword, type PasswordHashOptions } from './password-hash.js';
import { parseLegacySecrets } from './legacy/legacy-secrets.js';
import { upgradeLegacyAccount } from './legacy/legacy-upgrade.js';
import { MAX_PASSWORD_LENGTH, passwordLength, validatePassword } from './password-policy.js';
import { checkPasswordStrength } from './password-strength.js';
import { custodyKey, openCustodySecrets, sealCustody } from './key-custody.js';
import { toPublicAccount } from './public-account.js';
import { KEY_DERIVATION_PATH, createPublisherKeys, publisherKeysFromMnemonic } from './publisher-keys.js';
import { DEFAULT_SCRYPT_PARAMS, type ScryptParams } from './secret-envelope.js';
import type { AccountRecord, AccountStore, ListOptions, PublicAccount, StatusChange } from './types.js';

export interface AccountServiceOptions {
  store: AccountStore;
  /** argon2id cost. @defaultValue DEFAULT_PASSWORD_HASH_OPTIONS (m=19456 KiB, t=2, p=1) */
  passwordHash?: PasswordHashOptions;
  /** scrypt cost of the secrets envelope. @defaultValue DEFAULT_SCRYPT_PARAMS (N=2^15, r=8, p=3) */
  secretKdf?: ScryptParams;
  /** Clock for `createdAt`. @defaultValue () => new Date() */
  now?: () => Date;
  /**
   * The node secret publishers' signing keys are kept under (key-custody.ts): sealed at register,
   * and again at login when missing or sealed under another secret. Absent: no custody is kept.
   */
  custodySecret?: string;
}

export interface RegisterInput {
  email: unknown;
  password: unknown;
  /**
   * An existing BIP39 phrase to import (legacy `/import-wallet`): the account gets that
   * phrase's key instead of a new one, and the result carries no mnemonic.
   */
  mnemonic?: unknown;
}

export interface RegisterResult {
  account: PublicAccount;
  /** The new phrase, shown once (legacy register answers it); null when one was imported. */
  mnemonic: string | null;
}

export interface CredentialsInput {
  email: unknown;
  password: unknown;
}

export interface PasswordChangeInput {
  id: string;
  oldPassword: unknown;
  newPassword: unknown;
}

/** What the api checks a token against on each request. */
export interface SessionState {
  isAdmin: boolean;
  /** The stamp standard tokens must carry (null: none yet, tokens without one pass). */
  tokenStamp: string | null;
  /** SHA-256 hex of the live calendar token; null when none. */
  calendarTokenHash: string | null;
}

/** The statuses `/admin/update-status` flips. */
export type StatusField = 'subscriptionStatus' | 'paymentStatus';

/** A fresh token stamp: 128 random bits. */
const newStamp = (): string => randomBytes(16).toString('base64url');

export class AccountService {
  readonly #store: AccountStore;
  readonly #hashOptions: PasswordHashOptions;
  readonly #kdf: ScryptParams;
  readonly #now: () => Date;
  readonly #custodyKey: Buffer | null;
  #dummyHash: Promise<string> | undefined;

  constructor(options: AccountServiceOptions) {
    this.#store = options.store;
    this.#custodyKey = options.custodySecret === undefined ? null : custodyKey(options.custodySecret);
    this.#hashOptions = options.passwordHash ?? {};
    this.#kdf = options.secretKdf ?? DEFAULT_SCRYPT_PARAMS;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Validates, makes (or imports) the publisher keys, and stores the account with its argon2id
   * hash and sealed secrets. Errors: ACCOUNTS_ERR_INVALID_EMAIL, _INVALID_PASSWORD (length, or a
   * guessable password: the message says why), _INVALID_MNEMONIC, _DUPLICATE_EMAIL, and store errors.
   */
  async register(input: RegisterInput): Promise<RegisterResult> {
    const email = validateEmail(input.email);
    const password = validatePassword(input.password);
    // Checked before the email's existence, so a weak password is refused alike for both.
    await checkPasswordStrength(password, email);
    const imported = input.mnemonic !== undefined && input.mnemonic !== null;
    const keys = imported ? publisherKeysFromMnemonic(input.mnemonic as string) : createPublisherKeys();
    // Fail fast on a taken email or key before paying for argon2 and scrypt; the store's own
    // uniqueness still decides races between two registrations, #claimKey between two imports.
    if ((await this.#store.findByEmail(email)) !== null) throw new DuplicateEmailError();
    if (imported && (await this.#store.findByPublicKey(keys.publicKey)) !== null) throw new KeyTakenError();
    const [passwordHash, secrets] = await Promise.all([
      hashPassword(password, this.#hashOptions),
      sealAccountSecrets({ mnemonic: keys.mnemonic, privateKey: keys.privateKey }, password, this.#kdf),
    ]);
    const record = await this.#store.create({
      id: randomUUID(),
      email,
      passwordHash,
      publicKey: keys.publicKey,
      secrets,
      keyDerivationPath: KEY_DERIVATION_PATH,
      isAdmin: false,
      createdAt: this.#now().toISOString(),
      custody: this.#custodyKey === null ? null : sealCustody(keys.privateKey, keys.publicKey, this.#custodyKey),
    });
    if (imported) await this.#claimKey(record);
    return { account: toPublicAccount(record), mnemonic: imported ? null : keys.mnemonic };
  }

  /**
   * An imported key belongs to one account: after the insert, any other holder means this one
   * lost (removed, ACCOUNTS_ERR_KEY_TAKEN). Each racer looks after its own insert is visible, so of
   * two concurrent imports at most one sees no other holder (both may lose, never both win).
   */
  async #claimKey(record: AccountRecord): Promise<void> {
    const holders = await this.#store.listByPublicKey(record.publicKey, 2);
    if (holders.every((h) => h.id === record.id)) return;
    await this.#store.delete(record.id);
    throw new KeyTakenError();
  }

  /** A hash of a random password with the live parameters, verified when the email is unknown. */
  #dummy(): Promise<string> {
    this.#dummyHash ??= hashPassword(randomBytes(32).toString('base64'), this.#hashOptions);
    return this.#dummyHash;
  }

  /** Bad-credentials unless `password` is a plausible password that matches `account`. */
  async #check(account: AccountRecord | null, password: unknown): Promise<AccountRecord> {
    if (typeof password !== 'string' || password.length === 0 || passwordLength(password) > MAX_PASSWORD_LENGTH) {
      throw new BadCredentialsError();
    }
    // Unknown accounts pay for one argon2 verification too, so timing does not tell them apart.
    const ok = await verifyPassword(account?.passwordHash ?? (await this.#dummy()), password);
    if (account === null || !ok) throw new BadCredentialsError();
    return upgradeLegacyAccount(
      { store: this.#store, hashOptions: this.#hashOptions, kdf: this.#kdf, custodyKey: this.#custodyKey },
      account,
      password,
    );
  }

  /** The account for these credentials, or ACCOUNTS_ERR_BAD_CREDENTIALS (unknown email and wrong password alike). */
  async authenticate(input: CredentialsInput): Promise<PublicAccount> {
    let account: AccountRecord | null = null;
    try {
      account = await this.#store.findByEmail(validateEmail(input.email));
    } catch (err) {
      // A malformed email is just an unknown one; store failures stay what they are.
      if (!isAccountsError(err) || err.code !== 'ACCOUNTS_ERR_INVALID_EMAIL') throw err;
    }
    const checked = await this.#check(account, input.password);
    await this.#keepCustody(checked, input.password as string);
    return toPublicAccount(checked);
  }

  /**
   * Seals the account's signing key under the node secret when it is not already (an account from
   * before custody, or one sealed under another secret): opens the password envelope once.
   */
  async #keepCustody(account: AccountRecord, password: string): Promise<void> {
    // A migrated account whose legacy secrets did not open has no key to keep.
    if (this.#custodyKey === null || parseLegacySecrets(account.secrets) !== null) return;
    if (account.custody !== null) {
      try {
        openCustodySecrets(account.custody, account.publicKey, this.#custodyKey);
        return;
      } catch (err) {
        if (!isAccountsError(err)) throw err;
      }
    }
    const { privateKey, legacyGunSalt } = await openAccountSecrets(account.secrets, password);
    await this.#store.setCustody(
      account.id,
      sealCustody(privateKey, account.publicKey, this.#custodyKey, legacyGunSalt),
    );
  }

  /**
   * The mnemonic and private key of account `id`, given its password (legacy
   * `GET /api/user/mnemonic`). Unknown id or wrong password → ACCOUNTS_ERR_BAD_CREDENTIALS;
   * a damaged envelope → _DECRYPT_FAILED / _ENVELOPE_INVALID; a migrated account whose legacy
   * secrets do not open with its password → _LEGACY_SECRETS_LOCKED.
   */
  async unlockSecrets(input: { id: string; password: unknown }): Promise<AccountSecrets> {
    const account = await this.#check(await this.#store.findById(input.id), input.password);
    if (parseLegacySecrets(account.secrets) !== null) {
      throw new LegacySecretsLockedError();
    }
    return openAccountSecrets(account.secrets, input.password as string);
  }

  /**
   * Changes the password of account `id` given the current one (ACCOUNTS_ERR_BAD_CREDENTIALS
   * otherwise): the new one passes the registration rules (ACCOUNTS_ERR_INVALID_PASSWORD), the
   * secrets are sealed again under it, the token stamp is renewed (tokens issued before are refused
   * from now on) and the calendar token is revoked. The updated account carries the new stamp.
   */
  async changePassword(input: PasswordChangeInput): Promise<PublicAccount> {
    const account = await this.#check(await this.#store.findById(input.id), input.oldPassword);
    const password = validatePassword(input.newPassword);
    await checkPasswordStrength(password, account.email);
    const secrets = await openAccountSecrets(account.secrets, input.oldPassword as string);
    const [passwordHash, sealed] = await Promise.all([
      hashPassword(password, this.#hashOptions),
      sealAccountSecrets(secrets, password, this.#kdf),
    ]);
    const updated = await this.#store.setCredentials(account.id, {
      passwordHash,
      secrets: sealed,
      tokenStamp: newStamp(),
    });
    if (updated === null) throw new AccountNotFoundError();
    await this.#keepCustodyOf(updated, secrets);
    return toPublicAccount(updated);
  }

  /**
   * The operator's reset (no old password): a new random password, the private key taken from
   * custody and sealed under it, the token stamp renewed and the calendar token revoked. The
   * mnemonic is not in custody, so it cannot be sealed again: after a reset the account has none
   * (its owner keeps the phrase they wrote down). ACCOUNTS_ERR_NOT_FOUND for an unknown email,
   * ACCOUNTS_ERR_NO_CUSTODY when the node holds no usable custody of the key.
   */
  async resetPassword(email: string): Promise<{ account: PublicAccount; password: string }> {
    const account = await this.#store.findByEmail(validateEmail(email));
    if (account === null) throw new AccountNotFoundError(`no account with email ${normalizeEmail(email)}`);
    if (this.#custodyKey === null) throw new NoCustodyError('no custody secret is configured on this node');
    if (account.custody === null) {
      throw new NoCustodyError(`the node holds no custody of ${account.email}'s key (no login since custody began)`);
    }
    let custody: { privateKey: string; legacyGunSalt: string | null };
    try {
      custody = openCustodySecrets(account.custody, account.publicKey, this.#custodyKey);
    } catch (err) {
      if (!isAccountsError(err)) throw err;
      throw new NoCustodyError(`the custody of ${account.email}'s key does not open with this node's secret`, {
        cause: err,
      });
    }
    // 144 random bits: no strength check needed, and the owner is expected to change it.
    const password = randomBytes(18).toString('base64url');
    const [passwordHash, sealed] = await Promise.all([
      hashPassword(password, this.#hashOptions),
      sealAccountSecrets(
        {
          mnemonic: null,
          privateKey: custody.privateKey,
          ...(custody.legacyGunSalt === null ? {} : { legacyGunSalt: custody.legacyGunSalt }),
        },
        password,
        this.#kdf,
      ),
    ]);
    const updated = await this.#store.setCredentials(account.id, {
      passwordHash,
      secrets: sealed,
      tokenStamp: newStamp(),
    });
    if (updated === null) throw new AccountNotFoundError(`no account with email ${account.email}`);
    return { account: toPublicAccount(updated), password };
  }

  /** Seals the private key in custody when the account has none (an account from before custody). */
  async #keepCustodyOf(account: AccountRecord, secrets: AccountSecrets): Promise<void> {
    if (this.#custodyKey === null || account.custody !== null) return;
    await this.#store.setCustody(
      account.id,
      sealCustody(secrets.privateKey, account.publicKey, this.#custodyKey, secrets.legacyGunSalt),
    );
  }

  /** What a token of account `id` is checked against; null when the account is gone. */
  async sessionState(id: string): Promise<SessionState | null> {
    const account = await this.#store.findById(id);
    if (account === null) return null;
    return {
      isAdmin: account.isAdmin,
      tokenStamp: account.tokenStamp,
      calendarTokenHash: account.calendarTokenHash,
    };
  }

  /** Records the live calendar token (its SHA-256 hex) of account `id`, replacing any other; ACCOUNTS_ERR_NOT_FOUND. */
  async setCalendarToken(id: string, hash: string, createdAt: Date): Promise<void> {
    if ((await this.#store.setCalendarToken(id, hash, createdAt.toISOString())) === null)
      throw new AccountNotFoundError();
  }

  /** Revokes the calendar token of account `id` (none left live); ACCOUNTS_ERR_NOT_FOUND. */
  async revokeCalendarToken(id: string): Promise<void> {
    if ((await this.#store.setCalendarToken(id, null, null)) === null) throw new AccountNotFoundError();
  }

  /** A page of every account, oldest first (public views). */
  async list(options?: ListOptions): Promise<PublicAccount[]> {
    return (await this.#store.list(options)).map(toPublicAccount);
  }

  /** Sets the statuses named; ACCOUNTS_ERR_NOT_FOUND for an unknown id. */
  async setStatus(id: string, change: StatusChange): Promise<PublicAccount> {
    const account = await this.#store.setStatus(id, change);
    if (account === null) throw new AccountNotFoundError();
    return toPublicAccount(account);
  }

  /**
   * Flips one status as legacy `/admin/update-status` does (subscription inactive ↔ active,
   * payment Inactive ↔ Active); ACCOUNTS_ERR_NOT_FOUND. Two flips at once may both read the old
   * value: the result is one flip, not two.
   */
  async toggleStatus(id: string, field: StatusField): Promise<PublicAccount> {
    const account = await this.#store.findById(id);
    if (account === null) throw new AccountNotFoundError();
    const change: StatusChange =
      field === 'subscriptionStatus'
        ? { subscriptionStatus: account.subscriptionStatus === 'active' ? 'inactive' : 'active' }
        : { paymentStatus: account.paymentStatus === 'Active' ? 'Inactive' : 'Active' };
    return this.setStatus(id, change);
  }

  async get(id: string): Promise<PublicAccount | null> {
    const account = await this.#store.findById(id);
    return account === null ? null : toPublicAccount(account);
  }

  async getByEmail(email: string): Promise<PublicAccount | null> {
    const account = await this.#store.findByEmail(email);
    return account === null ? null : toPublicAccount(account);
  }

  /** Sets the admin flag; ACCOUNTS_ERR_NOT_FOUND for an unknown id. */
  async setAdmin(id: string, isAdmin: boolean): Promise<PublicAccount> {
    const account = await this.#store.setAdmin(id, isAdmin);
    if (account === null) throw new AccountNotFoundError();
    return toPublicAccount(account);
  }

  /** Sets the admin flag of the account with this email (the operator's CLI); ACCOUNTS_ERR_NOT_FOUND when none. */
  async setAdminByEmail(email: string, isAdmin: boolean): Promise<PublicAccount> {
    const account = await this.#store.findByEmail(validateEmail(email));
    if (account === null) throw new AccountNotFoundError(`no account with email ${normalizeEmail(email)}`);
    return this.setAdmin(account.id, isAdmin);
  }

  /** Admins, oldest first (at most 1000). */
  async listAdmins(): Promise<PublicAccount[]> {
    return (await this.#store.listAdmins()).map(toPublicAccount);
  }

  /**
   * Deletes the account with this email and answers what it was; ACCOUNTS_ERR_NOT_FOUND when none.
   * Tokens already issued for it stop working once the api's account cache forgets it.
   */
  async deleteByEmail(email: string): Promise<PublicAccount> {
    const account = await this.#store.findByEmail(validateEmail(email));
    if (account === null || !(await this.#store.delete(account.id))) {
      throw new AccountNotFoundError(`no account with email ${normalizeEmail(email)}`);
    }
    return toPublicAccount(account);
  }

  count(): Promise<number> {
    return this.#store.count();
  }
}
