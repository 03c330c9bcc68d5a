// The package's one error class; callers branch on `code`.
export type RecordsErrorCode =
  'RECORDS_ERR_NOT_JSON' | 'RECORDS_ERR_BAD_KEY' | 'RECORDS_ERR_DECRYPT_FAILED' | 'RECORDS_ERR_BAD_ENVELOPE';

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
