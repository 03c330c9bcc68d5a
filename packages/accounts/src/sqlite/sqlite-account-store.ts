// The embedded account store: one SQLite file the caller names (e.g. `<dataDir>/accounts.sqlite`),
// WAL, a busy timeout, and the `accounts` table from schema.ts. Calls are synchronous under
// the hood; the async contract keeps it interchangeable with Elasticsearch.
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateSqliteFile } from '@oip/service-kit';
import { normalizeEmail } from '../email.js';
import { StoreClosedError } from '../errors.js';
import { adminListLimit } from '../store-limits.js';
import type { AccountRecord, AccountStore } from '../types.js';
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
}

const COLUMNS = 'id, email, password_hash, public_key, secrets, key_derivation_path, is_admin, created_at, custody';

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
        `INSERT INTO accounts (${COLUMNS}) VALUES (@id, @email, @password_hash, @public_key, @secrets, @key_derivation_path, @is_admin, @created_at, @custody)`,
      );
      this.#byEmail = this.#db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE email = ?`);
      this.#byId = this.#db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE id = ?`);
      this.#byPublicKey = this.#db.prepare(
        `SELECT ${COLUMNS} FROM accounts WHERE public_key = ? ORDER BY created_at, id LIMIT 1`,
      );
      this.#setAdmin = this.#db.prepare(`UPDATE accounts SET is_admin = ? WHERE id = ? RETURNING ${COLUMNS}`);
      this.#setCustody = this.#db.prepare(`UPDATE accounts SET custody = ? WHERE id = ? RETURNING ${COLUMNS}`);
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

  create(account: AccountRecord): Promise<AccountRecord> {
    const record: AccountRecord = {
      ...account,
      email: normalizeEmail(account.email),
      custody: account.custody ?? null,
    };
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
