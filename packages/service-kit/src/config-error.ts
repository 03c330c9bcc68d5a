// The one configuration error of every service: its message names the variable, so an invalid
// environment stops the process with a single line an operator can act on.

export const CONFIG_ERROR_CODE = 'CONFIG_INVALID';

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly code = CONFIG_ERROR_CODE;
  /** The environment variable at fault, when one is. */
  readonly variable: string | undefined;

  constructor(message: string, options: { variable?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.variable = options.variable;
  }
}
