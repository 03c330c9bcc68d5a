// The accounts schema in its own tables, with its own version row (not PRAGMA user_version,
// which belongs to whoever else may share the file). Each version is one step applied once, in
// order, and the whole bootstrap runs in one IMMEDIATE transaction, so two processes opening a
// file at once cannot collide and a failed step leaves the file as it was.
import type Database from 'better-sqlite3';
import { SchemaError } from '../errors.js';

export const ACCOUNTS_SCHEMA_VERSION = 3;

const VERSION_TABLE = `
CREATE TABLE IF NOT EXISTS accounts_schema (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
) STRICT;
`;

/** STEPS[n - 1] takes the file from version n - 1 to n. */
const STEPS: readonly string[] = [
  // v1: the accounts table, unique email, publisher keys looked up by the records of a publisher.
  `
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
`,
  // v2: custody (opaque, nullable), and the few admins found without a scan.
  `
ALTER TABLE accounts ADD COLUMN custody TEXT;
CREATE INDEX IF NOT EXISTS accounts_admins ON accounts (created_at, id) WHERE is_admin = 1;
`,
  // v3: the token stamp, the calendar token, the legacy statuses, and every account listed by age.
  `
ALTER TABLE accounts ADD COLUMN token_stamp TEXT;
ALTER TABLE accounts ADD COLUMN calendar_token_hash TEXT;
ALTER TABLE accounts ADD COLUMN calendar_token_created_at TEXT;
ALTER TABLE accounts ADD COLUMN subscription_status TEXT NOT NULL DEFAULT 'inactive'
  CHECK (subscription_status IN ('active', 'inactive'));
ALTER TABLE accounts ADD COLUMN payment_status TEXT NOT NULL DEFAULT 'Inactive'
  CHECK (payment_status IN ('Active', 'Inactive'));
CREATE INDEX IF NOT EXISTS accounts_by_age ON accounts (created_at, id);
`,
];

/** Creates or upgrades the schema; ACCOUNTS_ERR_SCHEMA when the file is newer than this code. */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    db.exec(VERSION_TABLE);
    const row = db.prepare('SELECT version FROM accounts_schema WHERE id = 1').get() as { version: number } | undefined;
    const from = row?.version ?? 0;
    if (from > ACCOUNTS_SCHEMA_VERSION) {
      throw new SchemaError(`accounts schema version ${from} is newer than this code (${ACCOUNTS_SCHEMA_VERSION})`);
    }
    for (let v = from + 1; v <= ACCOUNTS_SCHEMA_VERSION; v++) db.exec(STEPS[v - 1]!);
    if (row === undefined) {
      db.prepare('INSERT INTO accounts_schema (id, version) VALUES (1, ?)').run(ACCOUNTS_SCHEMA_VERSION);
    } else if (from < ACCOUNTS_SCHEMA_VERSION) {
      db.prepare('UPDATE accounts_schema SET version = ? WHERE id = 1').run(ACCOUNTS_SCHEMA_VERSION);
    }
  }).immediate();
}
