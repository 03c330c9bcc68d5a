import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS_SCHEMA_VERSION, createSqliteAccountStore, type SqliteAccountStore } from '../src/index.js';
import { makeAccount } from './helpers/accounts.js';
import { makeTempDir } from './helpers/temp-dir.js';
import { codeOf } from './helpers/code-of.js';

describe('SqliteAccountStore (file specifics)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  const open: Array<{ close(): unknown }> = [];

  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    tmp.remove();
  });

  const openStore = (path: string, busyTimeoutMs?: number): SqliteAccountStore => {
    const store = createSqliteAccountStore(busyTimeoutMs === undefined ? { path } : { path, busyTimeoutMs });
    open.push(store);
    return store;
  };
  const raw = (path: string): Database.Database => {
    const db = new Database(path);
    open.push(db);
    return db;
  };

  it('creates missing directories, uses WAL, and records its schema version in its own table', () => {
    const path = join(tmp.dir, 'a', 'b', 'accounts.sqlite');
    openStore(path);
    expect(existsSync(path)).toBe(true);
    const db = raw(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM accounts_schema').all()).toEqual([{ version: ACCOUNTS_SCHEMA_VERSION }]);
    // PRAGMA user_version is left to whoever else may share the file.
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    const columns = (db.prepare('PRAGMA table_info(accounts)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual([
      'id',
      'email',
      'password_hash',
      'public_key',
      'secrets',
      'key_derivation_path',
      'is_admin',
      'created_at',
    ]);
  });

  it('reopens an existing file without touching its data or version', async () => {
    const path = join(tmp.dir, 'accounts.sqlite');
    const first = openStore(path);
    const account = makeAccount();
    await first.create(account);
    await first.close();
    const again = openStore(path);
    expect(await again.findById(account.id)).toEqual(account);
    expect(raw(path).prepare('SELECT COUNT(*) AS n FROM accounts_schema').get()).toEqual({ n: 1 });
  });

  it('refuses a file whose schema is newer than this code: ACCOUNTS_ERR_SCHEMA', async () => {
    const path = join(tmp.dir, 'accounts.sqlite');
    await openStore(path).close();
    const db = raw(path);
    db.prepare('UPDATE accounts_schema SET version = ?').run(ACCOUNTS_SCHEMA_VERSION + 1);
    db.close();
    expect(await codeOf(() => openStore(path))).toBe('ACCOUNTS_ERR_SCHEMA');
  });

  it('answers ACCOUNTS_ERR_STORE_UNAVAILABLE when another connection holds the write lock past the busy timeout', async () => {
    const path = join(tmp.dir, 'accounts.sqlite');
    const store = openStore(path, 50);
    const locker = raw(path);
    locker.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    expect(await codeOf(() => store.create(makeAccount()))).toBe('ACCOUNTS_ERR_STORE_UNAVAILABLE');
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    locker.exec('ROLLBACK');
    // Once the lock is gone the same store writes normally.
    await store.create(makeAccount());
    expect(await store.count()).toBe(1);
  });

  it('maps an unopenable path to ACCOUNTS_ERR_STORE', async () => {
    const path = join(tmp.dir, 'is-a-dir');
    mkdirSync(path);
    expect(await codeOf(() => openStore(path))).toBe('ACCOUNTS_ERR_STORE');
  });

  it('stores booleans as 0/1 and refuses other values at the schema level', async () => {
    const path = join(tmp.dir, 'accounts.sqlite');
    const store = openStore(path);
    const account = makeAccount({ isAdmin: true });
    await store.create(account);
    const db = raw(path);
    expect(db.prepare('SELECT is_admin FROM accounts WHERE id = ?').get(account.id)).toEqual({ is_admin: 1 });
    expect(() => db.prepare('UPDATE accounts SET is_admin = 2').run()).toThrow(/CHECK constraint/u);
  });
});
