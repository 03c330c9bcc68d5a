// Maps better-sqlite3 failures onto the store's error classes.
import { type StoreError, StoreInternalError, StoreIoError, StoreUnavailableError, isStoreError } from '../errors.js';

export function mapSqliteError(err: unknown, action: string): StoreError {
  if (isStoreError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return new StoreUnavailableError(`${action}: database is busy (${code})`, {
        cause: err,
        details: { sqliteCode: code },
      });
    }
    if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
      return new StoreIoError(`${action}: ${message} (${code})`, { cause: err, details: { sqliteCode: code } });
    }
    return new StoreInternalError(`${action}: ${message} (${code})`, { cause: err, details: { sqliteCode: code } });
  }
  return new StoreInternalError(`${action}: ${message}`, { cause: err });
}
