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
}

/**
 * Persistence for accounts. Emails are normalised by the store itself (trim + lower case) on
 * every call, so uniqueness and lookups are case-insensitive whatever the caller passes.
 * Errors are `AccountsError`s: ACCOUNTS_ERR_DUPLICATE_EMAIL, _STORE_UNAVAILABLE, _STORE,
 * _SCHEMA, _CLOSED.
 */
export interface AccountStore {
  /** Inserts; ACCOUNTS_ERR_DUPLICATE_EMAIL when the normalised email exists. Returns the stored record. */
  create(account: AccountRecord): Promise<AccountRecord>;
  findByEmail(email: string): Promise<AccountRecord | null>;
  findById(id: string): Promise<AccountRecord | null>;
  /**
   * The account holding this publisher key, or null. Keys are not unique (the same mnemonic may be
   * imported by two accounts): then the earliest created (by `createdAt`, then `id`).
   */
  findByPublicKey(publicKey: string): Promise<AccountRecord | null>;
  /** Sets the admin flag; the updated record, or null for an unknown id. */
  setAdmin(id: string, isAdmin: boolean): Promise<AccountRecord | null>;
  /** Sets `custody`; the updated record, or null for an unknown id. */
  setCustody(id: string, custody: string): Promise<AccountRecord | null>;
  /** Removes the account; true when it existed. Its email is free again afterwards. */
  delete(id: string): Promise<boolean>;
  /** Accounts with the admin flag, oldest first, at most `limit` (default 1000). */
  listAdmins(limit?: number): Promise<AccountRecord[]>;
  count(): Promise<number>;
  /** Releases what the store opened (its SQLite handle, an ES client it built). Idempotent. */
  close(): Promise<void>;
}
