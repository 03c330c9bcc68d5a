// The accounts error catalogue. Callers (the api's routes) branch on `err.code`, never on the
// message or on instanceof (a second copy of this package would break instanceof).

export type AccountsErrorCode =
  | 'ACCOUNTS_ERR_INVALID_EMAIL'
  | 'ACCOUNTS_ERR_INVALID_PASSWORD'
  | 'ACCOUNTS_ERR_INVALID_MNEMONIC'
  | 'ACCOUNTS_ERR_DUPLICATE_EMAIL'
  | 'ACCOUNTS_ERR_KEY_TAKEN'
  | 'ACCOUNTS_ERR_NO_CUSTODY'
  | 'ACCOUNTS_ERR_LEGACY_SECRETS_LOCKED'
  | 'ACCOUNTS_ERR_BAD_CREDENTIALS'
  | 'ACCOUNTS_ERR_NOT_FOUND'
  | 'ACCOUNTS_ERR_DECRYPT_FAILED'
  | 'ACCOUNTS_ERR_ENVELOPE_INVALID'
  | 'ACCOUNTS_ERR_SCHEMA'
  | 'ACCOUNTS_ERR_STORE_UNAVAILABLE'
  | 'ACCOUNTS_ERR_STORE'
  | 'ACCOUNTS_ERR_CLOSED';

export interface AccountsErrorOptions {
  cause?: unknown;
}

export class AccountsError extends Error {
  readonly code: AccountsErrorCode;

  constructor(code: AccountsErrorCode, message: string, options: AccountsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AccountsError';
    this.code = code;
  }
}

/** An email that is not a string, too long, or not of the form local@domain.tld. */
export class InvalidEmailError extends AccountsError {
  constructor(message: string, options: AccountsErrorOptions = {}) {
    super('ACCOUNTS_ERR_INVALID_EMAIL', message, options);
    this.name = 'InvalidEmailError';
  }
}

/** A password outside the length bounds (registration only; login answers bad credentials). */
export class InvalidPasswordError extends AccountsError {
  constructor(message: string, options: AccountsErrorOptions = {}) {
    super('ACCOUNTS_ERR_INVALID_PASSWORD', message, options);
    this.name = 'InvalidPasswordError';
  }
}

/** A mnemonic given for import that is not a valid English BIP39 phrase. */
export class InvalidMnemonicError extends AccountsError {
  constructor(message = 'mnemonic is not a valid BIP39 English phrase', options: AccountsErrorOptions = {}) {
    super('ACCOUNTS_ERR_INVALID_MNEMONIC', message, options);
    this.name = 'InvalidMnemonicError';
  }
}

/** An account with this (normalised) email exists already. */
export class DuplicateEmailError extends AccountsError {
  constructor(message = 'an account with this email exists', options: AccountsErrorOptions = {}) {
    super('ACCOUNTS_ERR_DUPLICATE_EMAIL', message, options);
    this.name = 'DuplicateEmailError';
  }
}

/** A mnemonic imported whose publisher key another account on this node holds already. */
export class KeyTakenError extends AccountsError {
  constructor(
    message = 'another account on this node holds the publisher key of this mnemonic',
    options: AccountsErrorOptions = {},
  ) {
    super('ACCOUNTS_ERR_KEY_TAKEN', message, options);
    this.name = 'KeyTakenError';
  }
}

/**
 * The node holds no custody of this account's signing key (never logged in since custody, or sealed
 * under another node secret), so the operator cannot re-seal its secrets under a new password.
 */
export class NoCustodyError extends AccountsError {
  constructor(message: string, options: AccountsErrorOptions = {}) {
    super('ACCOUNTS_ERR_NO_CUSTODY', message, options);
    this.name = 'NoCustodyError';
  }
}

/**
 * A migrated account whose legacy-sealed secrets do not open with its password (legacy's password
 * resets did not seal them again): it logs in, but has no key or mnemonic here until the owner
 * brings their mnemonic.
 */
export class LegacySecretsLockedError extends AccountsError {
  constructor(
    message = 'the secrets this account brought from its legacy node do not open with its password',
    options: AccountsErrorOptions = {},
  ) {
    super('ACCOUNTS_ERR_LEGACY_SECRETS_LOCKED', message, options);
    this.name = 'LegacySecretsLockedError';
  }
}

/** Unknown email or wrong password: one error for both, so answers do not reveal accounts. */
export class BadCredentialsError extends AccountsError {
  constructor(message = 'invalid email or password', options: AccountsErrorOptions = {}) {
    super('ACCOUNTS_ERR_BAD_CREDENTIALS', message, options);
    this.name = 'BadCredentialsError';
  }
}

/** No account with this id. */
export class AccountNotFoundError extends AccountsError {
  constructor(message = 'account not found', options: AccountsErrorOptions = {}) {
    super('ACCOUNTS_ERR_NOT_FOUND', message, options);
    this.name = 'AccountNotFoundError';
  }
}

/** The envelope did not authenticate: wrong password, or the envelope was altered. */
export class DecryptFailedError extends AccountsError {
  constructor(
    message = 'secrets could not be decrypted (wrong password or altered data)',
    options: AccountsErrorOptions = {},
  ) {
    super('ACCOUNTS_ERR_DECRYPT_FAILED', message, options);
    this.name = 'DecryptFailedError';
  }
}

/** The stored envelope is not one this code can read (not JSON, unknown version, bad fields). */
export class EnvelopeInvalidError extends AccountsError {
  constructor(message: string, options: AccountsErrorOptions = {}) {
    super('ACCOUNTS_ERR_ENVELOPE_INVALID', message, options);
    this.name = 'EnvelopeInvalidError';
  }
}

/** The store's schema is newer than this code, or its mapping is not the accounts mapping. */
export class SchemaError extends AccountsError {
  constructor(message: string, options: AccountsErrorOptions = {}) {
    super('ACCOUNTS_ERR_SCHEMA', message, options);
    this.name = 'SchemaError';
  }
}

/** The backend cannot answer now (connection refused, timeout, 429/503, database busy). Retry later. */
export class StoreUnavailableError extends AccountsError {
  constructor(message: string, options: AccountsErrorOptions = {}) {
    super('ACCOUNTS_ERR_STORE_UNAVAILABLE', message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** Any other backend failure. */
export class StoreFailureError extends AccountsError {
  constructor(message: string, options: AccountsErrorOptions = {}) {
    super('ACCOUNTS_ERR_STORE', message, options);
    this.name = 'StoreFailureError';
  }
}

/** A call after `close()`. */
export class StoreClosedError extends AccountsError {
  constructor(message = 'account store is closed', options: AccountsErrorOptions = {}) {
    super('ACCOUNTS_ERR_CLOSED', message, options);
    this.name = 'StoreClosedError';
  }
}

/** True for any error carrying an ACCOUNTS_ERR_ code (works across package copies). */
export function isAccountsError(err: unknown): err is AccountsError {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ACCOUNTS_ERR_');
}
