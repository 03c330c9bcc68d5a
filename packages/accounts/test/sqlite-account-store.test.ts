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
      'custody',
      'token_stamp',
      'calendar_token_hash',
      'calendar_token_created_at',
      'subscription_status',
      'payment_status',
    ]);
  });

  it('upgrades a version 1 file in place: accounts kept, custody null, then settable', async () => {
    const path = join(tmp.dir, 'accounts.sqlite');
    const v1 = raw(path);
    // The schema and row exactly as version 1 of this package wrote them.
    v1.exec(`
      CREATE TABLE accounts_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL) STRICT;
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, public_key TEXT NOT NULL,
        secrets TEXT NOT NULL, key_derivation_path TEXT NOT NULL,
        is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)), created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX accounts_public_key ON accounts (public_key);
      INSERT INTO accounts_schema (id, version) VALUES (1, 1);
    `);
    const old = makeAccount({ isAdmin: true });
    v1.prepare('INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, 1, ?)').run(
      old.id,
      old.email,
      old.passwordHash,
      old.publicKey,
      old.secrets,
      old.keyDerivationPath,
      old.createdAt,
    );
    v1.close();
    const store = openStore(path);
    expect(await store.findById(old.id)).toEqual({ ...old, custody: null });
    expect((await store.listAdmins()).map((a) => a.id)).toEqual([old.id]);
    expect((await store.setCustody(old.id, 'sealed'))?.custody).toBe('sealed');
    expect(raw(path).prepare('SELECT version FROM accounts_schema').all()).toEqual([
      { version: ACCOUNTS_SCHEMA_VERSION },
    ]);
  });

  it('upgrades a version 2 file in place: accounts kept with the v3 defaults, then changeable', async () => {
    const path = join(tmp.dir, 'accounts.sqlite');
    const v2 = raw(path);
    // The schema and row exactly as version 2 of this package wrote them.
    v2.exec(`
      CREATE TABLE accounts_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL) STRICT;
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, public_key TEXT NOT NULL,
        secrets TEXT NOT NULL, key_derivation_path TEXT NOT NULL,
        is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)), created_at TEXT NOT NULL, custody TEXT
      ) STRICT;
      CREATE INDEX accounts_public_key ON accounts (public_key);
      CREATE INDEX accounts_admins ON accounts (created_at, id) WHERE is_admin = 1;
      INSERT INTO accounts_schema (id, version) VALUES (1, 2);
    `);
    const old = makeAccount({ custody: 'sealed' });
    v2.prepare('INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)').run(
      old.id,
      old.email,
      old.passwordHash,
      old.publicKey,
      old.secrets,
      old.keyDerivationPath,
      old.createdAt,
      old.custody,
    );
    v2.close();
    const store = openStore(path);
    expect(await store.findById(old.id)).toEqual(old);
    expect((await store.setStatus(old.id, { paymentStatus: 'Active' }))?.paymentStatus).toBe('Active');
    expect((await store.list()).map((a) => a.id)).toEqual([old.id]);
    expect(raw(path).prepare('SELECT version FROM accounts_schema').all()).toEqual([
      { version: ACCOUNTS_SCHEMA_VERSION },
    ]);
  });

  it('refuses a status outside the legacy values at the schema level', () => {
    const path = join(tmp.dir, 'accounts.sqlite');
    openStore(path);
    const db = raw(path);
    const a = makeAccount();
    db.prepare(
      'INSERT INTO accounts (id, email, password_hash, public_key, secrets, key_derivation_path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(a.id, a.email, a.passwordHash, a.publicKey, a.secrets, a.keyDerivationPath, a.createdAt);
    expect(() => db.prepare("UPDATE accounts SET subscription_status = 'gold'").run()).toThrow(/CHECK/u);
    expect(() => db.prepare("UPDATE accounts SET payment_status = 'active'").run()).toThrow(/CHECK/u);
  });

  it('lists accounts through the age index, not a scan and sort', () => {
    const path = join(tmp.dir, 'accounts.sqlite');
    openStore(path);
    const plan = raw(path)
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM accounts ORDER BY created_at, id LIMIT 10 OFFSET 0')
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX accounts_by_age/u);
  });

  it('looks publisher keys up through an index, not a scan', () => {
    const path = join(tmp.dir, 'accounts.sqlite');
    openStore(path);
    const plan = raw(path)
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM accounts WHERE public_key = ? ORDER BY created_at, id LIMIT 1')
      .all('k') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX accounts_public_key/u);
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
