// The package's one error class; callers branch on `code`.
export type RecordsErrorCode =
  | 'RECORDS_ERR_NOT_JSON'
  | 'RECORDS_ERR_BAD_KEY'
  | 'RECORDS_ERR_DECRYPT_FAILED'
  | 'RECORDS_ERR_BAD_ENVELOPE'
  /** A GUN link in a record names a node the relay did not answer (yet): worth retrying. */
  | 'RECORDS_ERR_LINK_UNRESOLVED'
  /** A record's links exceed the count, byte or depth bound: the record is too large. */
  | 'RECORDS_ERR_LINK_BOUND';

export class RecordsError extends Error {
  readonly code: RecordsErrorCode;

  constructor(code: RecordsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordsError';
    this.code = code;
  }
}

export function isRecordsError(err: unknown): err is RecordsError {
  return err instanceof RecordsError;
}
