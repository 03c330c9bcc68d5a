// The package's one error class; callers branch on `code`.
export type TestKitErrorCode =
  /** until(): the condition did not hold before the timeout. */
  | 'TESTKIT_ERR_UNTIL_TIMEOUT'
  /** until(): the probe called giveUp(): waiting longer cannot help (a process exited). */
  | 'TESTKIT_ERR_UNTIL_GAVE_UP';

export class TestKitError extends Error {
  readonly code: TestKitErrorCode;

  constructor(code: TestKitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TestKitError';
    this.code = code;
  }
}
