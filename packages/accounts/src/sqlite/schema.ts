// The accounts schema in its own tables, with its own version row (not PRAGMA user_version,
// which belongs to whoever else may share the file). Every statement is idempotent and the
// whole bootstrap runs in one IMMEDIATE transaction, so two processes opening a new file at
// once cannot collide.
import type Database from 'better-sqlite3';
import { SchemaError } from '../errors.js';

export const ACCOUNTS_SCHEMA_VERSION = 1;

const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS accounts_schema (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  public_key TEXT NOT NULL,
  secrets TEXT NOT NULL,
  key_derivation_path TEXT NOT NULL,
  is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS accounts_public_key ON accounts (public_key);
`;

/** Creates or checks the schema; ACCOUNTS_ERR_SCHEMA when the file is newer than this code. */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    db.exec(SCHEMA_V1);
    const row = db.prepare('SELECT version FROM accounts_schema WHERE id = 1').get() as { version: number } | undefined;
    if (row === undefined) {
      db.prepare('INSERT INTO accounts_schema (id, version) VALUES (1, ?)').run(ACCOUNTS_SCHEMA_VERSION);
      return;
    }
    if (row.version > ACCOUNTS_SCHEMA_VERSION) {
      throw new SchemaError(
        `accounts schema version ${row.version} is newer than this code (${ACCOUNTS_SCHEMA_VERSION})`,
      );
    }
  }).immediate();
}
