export type {
  AccountRecord,
  AccountStore,
  CredentialsChange,
  CredentialsUpgrade,
  ListOptions,
  NewAccount,
  PaymentStatus,
  PublicAccount,
  StatusChange,
  SubscriptionStatus,
} from './types.js';
export {
  AccountsError,
  InvalidEmailError,
  InvalidPasswordError,
  InvalidMnemonicError,
  DuplicateEmailError,
  KeyTakenError,
  NoCustodyError,
  LegacySecretsLockedError,
  BadCredentialsError,
  AccountNotFoundError,
  DecryptFailedError,
  EnvelopeInvalidError,
  SchemaError,
  StoreUnavailableError,
  StoreFailureError,
  StoreClosedError,
  isAccountsError,
} from './errors.js';
export type { AccountsErrorCode, AccountsErrorOptions } from './errors.js';
export { MAX_EMAIL_LENGTH, MAX_EMAIL_LOCAL_LENGTH, normalizeEmail, validateEmail } from './email.js';
export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, passwordLength, validatePassword } from './password-policy.js';
export {
  MIN_PASSWORD_SCORE,
  PASSWORD_STRENGTH_MAX_LENGTH,
  checkPasswordStrength,
  passwordStrength,
} from './password-strength.js';
export type { PasswordStrength } from './password-strength.js';
export { MAX_ACCOUNTS_LISTED, MAX_ADMINS_LISTED, MAX_KEY_HOLDERS_LISTED, MAX_LIST_WINDOW } from './store-limits.js';
export {
  KEY_DERIVATION_PATH,
  MNEMONIC_STRENGTH_BITS,
  createPublisherKeys,
  isValidMnemonic,
  publisherKeysFromMnemonic,
} from './publisher-keys.js';
export type { PublisherKeys } from './publisher-keys.js';
export { publisherHash } from './publisher-hash.js';
export { DEFAULT_PASSWORD_HASH_OPTIONS, hashPassword, isLegacyPasswordHash, verifyPassword } from './password-hash.js';
export type { PasswordHashOptions } from './password-hash.js';
export {
  DEFAULT_SCRYPT_PARAMS,
  MAX_SCRYPT_MEMORY_BYTES,
  MAX_SCRYPT_N,
  SECRET_ENVELOPE_VERSION,
  openWithPassword,
  parseEnvelope,
  sealWithPassword,
} from './secret-envelope.js';
export type { ScryptParams, SecretEnvelopeV1 } from './secret-envelope.js';
export { openAccountSecrets, sealAccountSecrets } from './account-secrets.js';
export type { AccountSecrets } from './account-secrets.js';
export { toPublicAccount } from './public-account.js';
export {
  CALENDAR_RECORD_TYPES,
  CALENDAR_SCOPE,
  CALENDAR_TOKEN_EXPIRES_IN,
  CALENDAR_TOKEN_TTL_SECONDS,
  CALENDAR_TOKEN_TYPE,
  LEGACY_TOKEN_EXPIRES_IN,
  LEGACY_TOKEN_TTL_SECONDS,
  calendarTokenClaims,
  legacyTokenClaims,
  tokenHash,
} from './legacy-token.js';
export type { CalendarTokenClaims, LegacyTokenClaims } from './legacy-token.js';
export { AccountService } from './account-service.js';
export type {
  AccountServiceOptions,
  CredentialsInput,
  PasswordChangeInput,
  RegisterInput,
  RegisterResult,
  SessionState,
  StatusField,
} from './account-service.js';
export { ACCOUNTS_SCHEMA_VERSION } from './sqlite/schema.js';
export { SqliteAccountStore, createSqliteAccountStore } from './sqlite/sqlite-account-store.js';
export type { SqliteAccountStoreOptions } from './sqlite/sqlite-account-store.js';
export {
  ElasticsearchAccountStore,
  createElasticsearchAccountStore,
} from './elasticsearch/elasticsearch-account-store.js';
export type { ElasticsearchAccountStoreOptions } from './elasticsearch/elasticsearch-account-store.js';
export { createAccountsEsClient } from './elasticsearch/es-client.js';
export type { AccountsEsClientOptions } from './elasticsearch/es-client.js';
export {
  ACCOUNTS_INDEX_SCHEMA_VERSION,
  DEFAULT_ACCOUNTS_INDEX,
  accountsIndexMappings,
  accountsIndexSettings,
} from './elasticsearch/es-mapping.js';
export { ACCOUNTS_SQLITE_FILE, accountStoreBeside, createAccountStore } from './create-account-store.js';
export type { AccountStoreConfig, RecordStoreLocation } from './create-account-store.js';
export { custodyKey, openCustody, openCustodySecrets, sealCustody } from './key-custody.js';
export type { CustodySecrets } from './key-custody.js';
export { PublisherKeyring } from './publisher-keyring.js';
export type { KeyringMiss, PublisherKeyringOptions } from './publisher-keyring.js';
export {
  LEGACY_PBKDF2_ITERATIONS,
  LEGACY_PURPOSES,
  isLegacyEnvelope,
  openLegacyEnvelope,
} from './legacy/legacy-envelope.js';
export type { LegacyPurpose } from './legacy/legacy-envelope.js';
export {
  LEGACY_SECRETS_VERSION,
  legacySecretsText,
  openLegacySecrets,
  parseLegacySecrets,
  publicKeyOfPrivateKey,
} from './legacy/legacy-secrets.js';
export type { LegacySealedSecrets } from './legacy/legacy-secrets.js';
export { legacyUserToAccount } from './legacy/legacy-user.js';
export type { LegacySkipReason, LegacyUserVerdict } from './legacy/legacy-user.js';
export { DEFAULT_LEGACY_USERS_INDEX, countLegacyUsers, legacyUserPages } from './legacy/legacy-users-source.js';
export type { LegacyUserDoc, LegacyUsersPageOptions } from './legacy/legacy-users-source.js';
export { migrateLegacyAccounts } from './legacy/migrate-legacy-accounts.js';
export type {
  MigrateLegacyAccountsOptions,
  MigrationProgress,
  MigrationReport,
  UserOutcome,
} from './legacy/migrate-legacy-accounts.js';
