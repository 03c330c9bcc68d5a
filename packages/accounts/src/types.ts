// The account as stored, the public view handed to routes, and the store contract both
// backends implement (and one shared test suite checks).

/** One account as the store holds it. Never leaves the package's callers' trust boundary. */
export interface AccountRecord {
  /** Opaque id (UUID); the legacy JWT `userId`. */
  id: string;
  /** Normalised (trimmed, lower-cased) email; unique. */
  email: string;
  /** argon2id PHC string. */
  passwordHash: string;
  /** Compressed secp256k1 public key, lowercase hex (legacy `publicKey`). */
  publicKey: string;
  /** Mnemonic + private key, sealed under the password (secret-envelope.ts, JSON text). */
  secrets: string;
  /** Always m/44'/0'/0'/0/0 today (legacy `keyDerivationPath`). */
  keyDerivationPath: string;
  isAdmin: boolean;
  /** ISO-8601 UTC. */
  createdAt: string;
  /**
   * Opaque text the node keeps for this account (the publisher's signing key sealed under a node
   * key); null until set. Never part of the public view.
   */
  custody: string | null;
  /**
   * Random text renewed whenever the password changes (or the operator resets it); tokens carry
   * the stamp they were issued under, and one that differs is refused. null until the first change
   * (tokens without a stamp are accepted then).
   */
  tokenStamp: string | null;
  /** SHA-256 hex of the one live calendar token (legacy `calendarTokenHash`); null when none. */
  calendarTokenHash: string | null;
  /** ISO-8601 UTC; when that calendar token was issued; null when none. */
  calendarTokenCreatedAt: string | null;
  /** Legacy `subscriptionStatus`: 'inactive' until an admin sets it. */
  subscriptionStatus: SubscriptionStatus;
  /** Legacy `paymentStatus` as `/admin/users` answers it: 'Inactive' until an admin sets it. */
  paymentStatus: PaymentStatus;
}

export type SubscriptionStatus = 'active' | 'inactive';
export type PaymentStatus = 'Active' | 'Inactive';

/** The fields a new account may leave out: the store fills in their defaults (null, 'inactive', 'Inactive'). */
export type NewAccount = Omit<
  AccountRecord,
  'custody' | 'tokenStamp' | 'calendarTokenHash' | 'calendarTokenCreatedAt' | 'subscriptionStatus' | 'paymentStatus'
> &
  Partial<
    Pick<
      AccountRecord,
      'custody' | 'tokenStamp' | 'calendarTokenHash' | 'calendarTokenCreatedAt' | 'subscriptionStatus' | 'paymentStatus'
    >
  >;

/** A new password's hash and secrets, and the stamp that retires the tokens issued before. */
export interface CredentialsChange {
  passwordHash: string;
  secrets: string;
  tokenStamp: string;
}

/** A migrated account's first-login upgrade: our hash and envelope in place of the legacy ones. */
export interface CredentialsUpgrade {
  passwordHash: string;
  secrets: string;
}

/** The statuses an admin sets (legacy `/admin/update-status`); absent ones stay as they are. */
export interface StatusChange {
  subscriptionStatus?: SubscriptionStatus;
  paymentStatus?: PaymentStatus;
}

/** One page of `list`: accounts oldest first (by `createdAt`, then `id`). */
export interface ListOptions {
  /** Accounts skipped. @defaultValue 0 */
  offset?: number;
  /** At most this many (clamped to 0..MAX_ACCOUNTS_LISTED). @defaultValue MAX_ACCOUNTS_LISTED */
  limit?: number;
}

/** What routes may show or put in a token: no hash, no sealed secrets. */
export interface PublicAccount {
  id: string;
  email: string;
  publicKey: string;
  /** First 12 hex of sha256(publicKey text): the soul prefix of this publisher's records. */
  publisherHash: string;
  keyDerivationPath: string;
  isAdmin: boolean;
  createdAt: string;
  subscriptionStatus: SubscriptionStatus;
  paymentStatus: PaymentStatus;
  /** The account's token stamp (see AccountRecord): it goes into the tokens issued for it. */
  tokenStamp: string | null;
}

/**
 * Persistence for accounts. Emails are normalised by the store itself (trim + lower case) on
 * every call, so uniqueness and lookups are case-insensitive whatever the caller passes.
 * Errors are `AccountsError`s: ACCOUNTS_ERR_DUPLICATE_EMAIL, _STORE_UNAVAILABLE, _STORE,
 * _SCHEMA, _CLOSED.
 */
export interface AccountStore {
  /** Inserts; ACCOUNTS_ERR_DUPLICATE_EMAIL when the normalised email exists. Returns the stored record (defaults filled in). */
  create(account: NewAccount): Promise<AccountRecord>;
  findByEmail(email: string): Promise<AccountRecord | null>;
  findById(id: string): Promise<AccountRecord | null>;
  /**
   * The account holding this publisher key, or null. Keys are not unique (the same mnemonic may be
   * imported by two accounts): then the earliest created (by `createdAt`, then `id`).
   */
  findByPublicKey(publicKey: string): Promise<AccountRecord | null>;
  /** Every account holding this publisher key, oldest first, at most `limit` (clamped to 1..1000). */
  listByPublicKey(publicKey: string, limit: number): Promise<AccountRecord[]>;
  /** Sets the admin flag; the updated record, or null for an unknown id. */
  setAdmin(id: string, isAdmin: boolean): Promise<AccountRecord | null>;
  /** Sets `custody`; the updated record, or null for an unknown id. */
  setCustody(id: string, custody: string): Promise<AccountRecord | null>;
  /**
   * Replaces the password hash, the sealed secrets and the token stamp in one write, and clears the
   * calendar token (it was issued under the old password); the updated record, or null for an unknown id.
   */
  setCredentials(id: string, change: CredentialsChange): Promise<AccountRecord | null>;
  /**
   * Replaces the password hash and sealed secrets only, and only while the stored hash is still
   * `ifPasswordHash` (a migrated account's legacy one): the token stamp and the calendar token stay,
   * the password being the same. The updated record, or null for an unknown id or a hash that changed.
   */
  upgradeCredentials(id: string, change: CredentialsUpgrade, ifPasswordHash: string): Promise<AccountRecord | null>;
  /** Sets (hash and time) or clears (null, null) the calendar token; the updated record, or null for an unknown id. */
  setCalendarToken(id: string, hash: string | null, createdAt: string | null): Promise<AccountRecord | null>;
  /** Sets the statuses named; the updated record, or null for an unknown id. */
  setStatus(id: string, change: StatusChange): Promise<AccountRecord | null>;
  /** A page of every account, oldest first (by `createdAt`, then `id`). */
  list(options?: ListOptions): Promise<AccountRecord[]>;
  /** Removes the account; true when it existed. Its email is free again afterwards. */
  delete(id: string): Promise<boolean>;
  /** Accounts with the admin flag, oldest first, at most `limit` (default 1000). */
  listAdmins(limit?: number): Promise<AccountRecord[]>;
  count(): Promise<number>;
  /** Releases what the store opened (its SQLite handle, an ES client it built). Idempotent. */
  close(): Promise<void>;
}
