// Opening the SQLite file: private (0600) before SQLite creates it, the schema migrated, and the
// Unicode-aware SQL functions the legacy filters call registered.
import Database from 'better-sqlite3';
import { ensurePrivateSqliteFile } from '@oip/service-kit';
import { StoreIoError } from '../errors.js';
import type { MigrationProgressOptions } from './migration-progress.js';
import { openSchema } from './schema.js';
import { RECORDS_FTS_TERMS_DDL } from './search-index.js';
import { TERM_SCRATCH_DDL } from './term-keys.js';
import { mapSqliteError } from './sqlite-errors.js';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function openDatabase(
  filename: string,
  busyTimeoutMs: number,
  cacheSizeKiB: number,
  upgrade: MigrationProgressOptions = {},
): Database.Database {
  // 0600 before SQLite opens it: its -wal and -shm take the database file's mode.
  if (filename !== ':memory:' && filename !== '') {
    try {
      ensurePrivateSqliteFile(filename);
    } catch (err) {
      throw new StoreIoError(`making ${filename} private: ${messageOf(err)}`, { cause: err });
    }
  }
  let db: Database.Database;
  try {
    db = new Database(filename);
  } catch (err) {
    // better-sqlite3 throws a plain TypeError for a missing directory: still an I/O failure.
    const hasCode = typeof (err as { code?: unknown } | null)?.code === 'string';
    throw hasCode
      ? mapSqliteError(err, `opening ${filename}`)
      : new StoreIoError(`opening ${filename}: ${messageOf(err)}`, { cause: err });
  }
  try {
    openSchema(db, busyTimeoutMs, cacheSizeKiB, upgrade);
    db.exec(RECORDS_FTS_TERMS_DDL);
    db.exec(TERM_SCRATCH_DDL);
  } catch (err) {
    db.close();
    throw mapSqliteError(err, 'opening record store');
  }
  // Unicode-aware helpers for the legacy filters (SQLite's lower() folds ASCII only).
  db.function('oip_lower', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : null));
  db.function('oip_contains', { deterministic: true }, (h: unknown, n: unknown) =>
    typeof h === 'string' && typeof n === 'string' && h.toLowerCase().includes(n) ? 1 : 0,
  );
  return db;
}
