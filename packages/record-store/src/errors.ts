// The record store's error catalogue. Callers branch on `err.code` and `err.permanent`
// (a permanent failure will fail again with the same input; a transient one may succeed later).
import type { FieldConflict } from './field-conflict.js';

export type StoreErrorCode =
  | 'STORE_ERR_MAPPING'
  | 'STORE_ERR_INVALID'
  | 'STORE_ERR_UNAVAILABLE'
  | 'STORE_ERR_TIMEOUT'
  | 'STORE_ERR_CLOSED'
  | 'STORE_ERR_IO'
  | 'STORE_ERR_UPSTREAM'
  | 'STORE_ERR_INTERNAL'
  | 'STORE_ERR_WIDENING_REFUSED'
  | 'STORE_ERR_FIELD_UNKNOWN'
  | 'STORE_ERR_REINDEX_REQUIRED'
  | 'STORE_ERR_READ_ONLY';

export interface StoreErrorOptions {
  cause?: unknown;
  /** Extra facts for logs and dead letters (never secrets). */
  details?: Record<string, unknown>;
}

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** True when retrying the same input cannot succeed. */
  readonly permanent: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: StoreErrorCode, message: string, permanent: boolean, options: StoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreError';
    this.code = code;
    this.permanent = permanent;
    this.details = options.details ?? {};
  }

  get transient(): boolean {
    return !this.permanent;
  }

  /** The item-level form used in `BulkItemResult.error`. */
  toItemError(): { code: string; message: string; permanent: boolean; conflict?: FieldConflict } {
    return { code: this.code, message: this.message, permanent: this.permanent };
  }
}

/**
 * A value whose type conflicts with the type already fixed for its field path, or a document
 * that exceeds the mapping limits. Same input, same failure: permanent. `conflict` is set when
 * the failure is one field's type (path, fixed and incoming type, a sample), not a limit.
 */
export class StoreMappingError extends StoreError {
  readonly conflict: FieldConflict | undefined;

  constructor(message: string, options: StoreErrorOptions & { conflict?: FieldConflict } = {}) {
    super('STORE_ERR_MAPPING', message, true, options);
    this.name = 'StoreMappingError';
    this.conflict = options.conflict;
  }

  override toItemError(): { code: string; message: string; permanent: boolean; conflict?: FieldConflict } {
    return this.conflict === undefined
      ? super.toItemError()
      : { ...super.toItemError(), conflict: { ...this.conflict } };
  }
}

/** widenField was asked for a change that would lose data or change how the field is searched. Permanent. */
export class StoreWideningRefusedError extends StoreError {
  constructor(message: string, options: StoreErrorOptions = {}) {
    super('STORE_ERR_WIDENING_REFUSED', message, true, options);
    this.name = 'StoreWideningRefusedError';
  }
}

/** widenField named a path the store has no type for. Permanent. */
export class StoreFieldUnknownError extends StoreError {
  constructor(message: string, options: StoreErrorOptions = {}) {
    super('STORE_ERR_FIELD_UNKNOWN', message, true, options);
    this.name = 'StoreFieldUnknownError';
  }
}

/**
 * The widening needs the index copied into a new one (Elasticsearch never changes a field's
 * type in place): call again with `reindex: true`, after stopping the writers. Permanent.
 */
export class StoreReindexRequiredError extends StoreError {
  constructor(message: string, options: StoreErrorOptions = {}) {
    super('STORE_ERR_REINDEX_REQUIRED', message, true, options);
    this.name = 'StoreReindexRequiredError';
  }
}

/** A write to a store opened read-only (a legacy node's index). Permanent. */
export class StoreReadOnlyError extends StoreError {
  constructor(message: string, options: StoreErrorOptions = {}) {
    super('STORE_ERR_READ_ONLY', message, true, options);
    this.name = 'StoreReadOnlyError';
  }
}

/** Bad input: a record without a DID, a query out of bounds. Permanent. */
export class StoreInvalidError extends StoreError {
  constructor(message: string, options: StoreErrorOptions = {}) {
    super('STORE_ERR_INVALID', message, true, options);
    this.name = 'StoreInvalidError';
  }
}

/** The backend cannot take the request now (connection refused, 429, 503, database busy). Transient. */
export class StoreUnavailableError extends StoreError {
  constructor(message: string, options: StoreErrorOptions = {}) {
    super('STORE_ERR_UNAVAILABLE', message, false, options);
    this.name = 'StoreUnavailableError';
  }
}

/** The backend did not answer in time. Transient. */
export class StoreTimeoutError extends StoreError {
  constructor(message: string, options: StoreErrorOptions = {}) {
    super('STORE_ERR_TIMEOUT', message, false, options);
    this.name = 'StoreTimeoutError';
  }
}

/**
 * The store was closed. Transient for the record (another process or a restart can store it),
 * so queue jobs that hit it are retried rather than dead-lettered.
 */
export class StoreClosedError extends StoreError {
  constructor(message = 'record store is closed', options: StoreErrorOptions = {}) {
    super('STORE_ERR_CLOSED', message, false, options);
    this.name = 'StoreClosedError';
  }
}

/** Disk full or I/O failure under the embedded store. Transient. */
export class StoreIoError extends StoreError {
  constructor(message: string, options: StoreErrorOptions = {}) {
    super('STORE_ERR_IO', message, false, options);
    this.name = 'StoreIoError';
  }
}

/** Any other backend error response; permanent for 4xx, transient for 5xx. */
export class StoreUpstreamError extends StoreError {
  constructor(message: string, permanent: boolean, options: StoreErrorOptions = {}) {
    super('STORE_ERR_UPSTREAM', message, permanent, options);
    this.name = 'StoreUpstreamError';
  }
}

/** A defect or corruption inside the store. Permanent. */
export class StoreInternalError extends StoreError {
  constructor(message: string, options: StoreErrorOptions = {}) {
    super('STORE_ERR_INTERNAL', message, true, options);
    this.name = 'StoreInternalError';
  }
}

/** True for any error carrying a STORE_ERR_ code (works across package copies, unlike instanceof). */
export function isStoreError(err: unknown): err is StoreError {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown; permanent?: unknown };
  return typeof e.code === 'string' && e.code.startsWith('STORE_ERR_') && typeof e.permanent === 'boolean';
}
