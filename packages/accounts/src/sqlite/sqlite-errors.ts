// better-sqlite3 failures onto the accounts error classes.
import {
  type AccountsError,
  DuplicateEmailError,
  StoreFailureError,
  StoreUnavailableError,
  isAccountsError,
} from '../errors.js';

export function mapSqliteError(err: unknown, action: string): AccountsError {
  if (isAccountsError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  // email is the accounts table's only UNIQUE constraint (the id is its PRIMARY KEY, a code of its own).
  if (code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new DuplicateEmailError(undefined, { cause: err });
  }
  if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) {
    return new StoreUnavailableError(`${action}: database is busy (${code})`, { cause: err });
  }
  return new StoreFailureError(`${action}: ${message}${typeof code === 'string' ? ` (${code})` : ''}`, { cause: err });
}
