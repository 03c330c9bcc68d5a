// The embedded account store: one SQLite file the caller names (e.g. `<dataDir>/accounts.sqlite`),
// WAL, a busy timeout, and the `accounts` table from schema.ts. Calls are synchronous under
// the hood; the async contract keeps it interchangeable with Elasticsearch.
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateSqliteFile } from '@oip/service-kit';
import { normalizeEmail } from '../email.js';
import { StoreClosedError } from '../errors.js';
import { withDefaults } from '../new-account.js';
import { adminListLimit, keyHoldersLimit, listWindow } from '../store-limits.js';
import type {
  AccountRecord,
  AccountStore,
  CredentialsChange,
  CredentialsUpgrade,
  ListOptions,
  NewAccount,
  PaymentStatus,
  StatusChange,
  SubscriptionStatus,
} from '../types.js';
import { migrate } from './schema.js';
import { mapSqliteError } from './sqlite-errors.js';

export interface SqliteAccountStoreOptions {
  /** Database file path; its directory is created if missing (0700, the file 0600). */
  path: string;
  /** How long a write waits for another process's lock, ms. @defaultValue 5000 */
  busyTimeoutMs?: number;
}

interface Row {
  id: string;
  email: string;
  password_hash: string;
  public_key: string;
  secrets: string;
  key_derivation_path: string;
  is_admin: number;
  created_at: string;
  custody: string | null;
  token_stamp: string | null;
  calendar_token_hash: string | null;
  calendar_token_created_at: string | null;
  subscription_status: string;
  payment_status: string;
}

const COLUMNS =
  'id, email, password_hash, public_key, secrets, key_derivation_path, is_admin, created_at, custody, ' +
  'token_stamp, calendar_token_hash, calendar_token_created_at, subscription_status, payment_status';

function fromRow(row: Row): AccountRecord {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    publicKey: row.public_key,
    secrets: row.secrets,
    keyDerivationPath: row.key_derivation_path,
    isAdmin: row.is_admin === 1,
    createdAt: row.created_at,
    custody: row.custody,
    tokenStamp: row.token_stamp,
    calendarTokenHash: row.calendar_token_hash,
    calendarTokenCreatedAt: row.calendar_token_created_at,
    // The table's CHECK constraints allow these values only.
    subscriptionStatus: row.subscription_status as SubscriptionStatus,
    paymentStatus: row.payment_status as PaymentStatus,
  };
}

export class SqliteAccountStore implements AccountStore {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #byEmail: Database.Statement;
  readonly #byId: Database.Statement;
  readonly #byPublicKey: Database.Statement;
  readonly #setAdmin: Database.Statement;
  readonly #setCustody: Database.Statement;
  readonly #setCredentials: Database.Statement;
  readonly #upgradeCredentials: Database.Statement;
  readonly #setCalendarToken: Database.Statement;
  readonly #setStatus: Database.Statement;
  readonly #list: Database.Statement;
  readonly #byPublicKeyAll: Database.Statement;
  readonly #delete: Database.Statement;
  readonly #admins: Database.Statement;
  readonly #count: Database.Statement;
  #closed = false;

  constructor(options: SqliteAccountStoreOptions) {
    this.path = options.path;
    try {
      // Password hashes and sealed mnemonics: the directory 0700, the file (and so its -wal/-shm) 0600.
      ensurePrivateDir(dirname(options.path));
      ensurePrivateSqliteFile(options.path);
      this.#db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    } catch (err) {
      throw mapSqliteError(err, 'open accounts database');
    }
    try {
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = NORMAL');
      migrate(this.#db);
      this.#insert = this.#db.prepare(
        `INSERT INTO accounts (${COLUMNS}) VALUES (@id, @email, @password_hash, @public_key, @secrets, @key_derivation_path, @is_admin, @created_at, @custody, ` +
          '@token_stamp, @calendar_token_hash, @calendar_token_created_at, @subscription_status, @payment_status)',
      );
      this.#byEmail = this.#db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE email = ?`);
      this.#byId = this.#db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE id = ?`);
      this.#byPublicKey = this.#db.prepare(
        `SELECT ${COLUMNS} FROM accounts WHERE public_key = ? ORDER BY created_at, id LIMIT 1`,
      );
      this.#setAdmin = this.#db.prepare(`UPDATE accounts SET is_admin = ? WHERE id = ? RETURNING ${COLUMNS}`);
      this.#setCustody = this.#db.prepare(`UPDATE accounts SET custody = ? WHERE id = ? RETURNING ${COLUMNS}`);
      this.#setCredentials = this.#db.prepare(
        'UPDATE accounts SET password_hash = @password_hash, secrets = @secrets, token_stamp = @token_stamp, ' +
          `calendar_token_hash = NULL, calendar_token_created_at = NULL WHERE id = @id RETURNING ${COLUMNS}`,
      );
      this.#upgradeCredentials = this.#db.prepare(
        'UPDATE accounts SET password_hash = @password_hash, secrets = @secrets ' +
          `WHERE id = @id AND password_hash = @if_password_hash RETURNING ${COLUMNS}`,
      );
      this.#setCalendarToken = this.#db.prepare(
        `UPDATE accounts SET calendar_token_hash = ?, calendar_token_created_at = ? WHERE id = ? RETURNING ${COLUMNS}`,
      );
      // A status left out keeps its value (COALESCE of a NULL parameter).
      this.#setStatus = this.#db.prepare(
        'UPDATE accounts SET subscription_status = COALESCE(@subscription_status, subscription_status), ' +
          `payment_status = COALESCE(@payment_status, payment_status) WHERE id = @id RETURNING ${COLUMNS}`,
      );
      this.#list = this.#db.prepare(`SELECT ${COLUMNS} FROM accounts ORDER BY created_at, id LIMIT ? OFFSET ?`);
      this.#byPublicKeyAll = this.#db.prepare(
        `SELECT ${COLUMNS} FROM accounts WHERE public_key = ? ORDER BY created_at, id LIMIT ?`,
      );
      this.#delete = this.#db.prepare('DELETE FROM accounts WHERE id = ?');
      this.#admins = this.#db.prepare(
        `SELECT ${COLUMNS} FROM accounts WHERE is_admin = 1 ORDER BY created_at, id LIMIT ?`,
      );
      this.#count = this.#db.prepare('SELECT COUNT(*) AS n FROM accounts');
    } catch (err) {
      this.#db.close();
      throw mapSqliteError(err, 'open accounts database');
    }
  }

  #run<T>(action: string, fn: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(mapSqliteError(err, action));
    }
  }

  create(account: NewAccount): Promise<AccountRecord> {
    const record = withDefaults(account);
    return this.#run('create account', () => {
      this.#insert.run({
        id: record.id,
        email: record.email,
        password_hash: record.passwordHash,
        public_key: record.publicKey,
        secrets: record.secrets,
        key_derivation_path: record.keyDerivationPath,
        is_admin: record.isAdmin ? 1 : 0,
        created_at: record.createdAt,
        custody: record.custody,
        token_stamp: record.tokenStamp,
        calendar_token_hash: record.calendarTokenHash,
        calendar_token_created_at: record.calendarTokenCreatedAt,
        subscription_status: record.subscriptionStatus,
        payment_status: record.paymentStatus,
      });
      return record;
    });
  }

  findByEmail(email: string): Promise<AccountRecord | null> {
    return this.#run('find account by email', () => {
      const row = this.#byEmail.get(normalizeEmail(email)) as Row | undefined;
      return row === undefined ? null : fromRow(row);
    });
  }

  findById(id: string): Promise<AccountRecord | null> {
    return this.#run('find account by id', () => {
      const row = this.#byId.get(id) as Row | undefined;
      return row === undefined ? null : fromRow(row);
    });
  }

  findByPublicKey(publicKey: string): Promise<AccountRecord | null> {
    return this.#run('find account by public key', () => {
      const row = this.#byPublicKey.get(publicKey) as Row | undefined;
      return row === undefined ? null : fromRow(row);
    });
  }

  setAdmin(id: string, isAdmin: boolean): Promise<AccountRecord | null> {
    return this.#run('set admin flag', () => {
      const row = this.#setAdmin.get(isAdmin ? 1 : 0, id) as Row | undefined;
      return row === undefined ? null : fromRow(row);
    });
  }

  setCustody(id: string, custody: string): Promise<AccountRecord | null> {
    return this.#run('set custody', () => {
      const row = this.#setCustody.get(custody, id) as Row | undefined;
      return row === undefined ? null : fromRow(row);
    });
  }

  listByPublicKey(publicKey: string, limit: number): Promise<AccountRecord[]> {
    const n = keyHoldersLimit(limit);
    return this.#run('list accounts by public key', () =>
      (this.#byPublicKeyAll.all(publicKey, n) as Row[]).map(fromRow),
    );
  }

  setCredentials(id: string, change: CredentialsChange): Promise<AccountRecord | null> {
    return this.#run('set credentials', () => {
      const row = this.#setCredentials.get({
        id,
        password_hash: change.passwordHash,
        secrets: change.secrets,
        token_stamp: change.tokenStamp,
      }) as Row | undefined;
      return row === undefined ? null : fromRow(row);
    });
  }

  upgradeCredentials(id: string, change: CredentialsUpgrade, ifPasswordHash: string): Promise<AccountRecord | null> {
    return this.#run('upgrade credentials', () => {
      const row = this.#upgradeCredentials.get({
        id,
        password_hash: change.passwordHash,
        secrets: change.secrets,
        if_password_hash: ifPasswordHash,
      }) as Row | undefined;
      return row === undefined ? null : fromRow(row);
    });
  }

  setCalendarToken(id: string, hash: string | null, createdAt: string | null): Promise<AccountRecord | null> {
    return this.#run('set calendar token', () => {
      const row = this.#setCalendarToken.get(hash, createdAt, id) as Row | undefined;
      return row === undefined ? null : fromRow(row);
    });
  }

  setStatus(id: string, change: StatusChange): Promise<AccountRecord | null> {
    return this.#run('set status', () => {
      const row = this.#setStatus.get({
        id,
        subscription_status: change.subscriptionStatus ?? null,
        payment_status: change.paymentStatus ?? null,
      }) as Row | undefined;
      return row === undefined ? null : fromRow(row);
    });
  }

  list(options?: ListOptions): Promise<AccountRecord[]> {
    const { offset, limit } = listWindow(options);
    return this.#run('list accounts', () => (this.#list.all(limit, offset) as Row[]).map(fromRow));
  }

  delete(id: string): Promise<boolean> {
    return this.#run('delete account', () => this.#delete.run(id).changes > 0);
  }

  listAdmins(limit?: number): Promise<AccountRecord[]> {
    const n = adminListLimit(limit);
    return this.#run('list admins', () => (this.#admins.all(n) as Row[]).map(fromRow));
  }

  count(): Promise<number> {
    return this.#run('count accounts', () => (this.#count.get() as { n: number }).n);
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#db.close();
    }
    return Promise.resolve();
  }
}

export function createSqliteAccountStore(options: SqliteAccountStoreOptions): SqliteAccountStore {
  return new SqliteAccountStore(options);
}
