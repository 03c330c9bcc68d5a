// The usage errors of every CLI of ours (exit code 2) and the integer flag check they share. The
// programs themselves are commander's (cli-program.ts): an action throws UsageError for a value
// commander cannot judge, and createCli answers it as it answers an unknown option.

export const USAGE_ERROR_CODE = 'USAGE';
export const USAGE_EXIT_CODE = 2;

export class UsageError extends Error {
  override name = 'UsageError';
  readonly code = USAGE_ERROR_CODE;
  readonly exitCode = USAGE_EXIT_CODE;
}

/** Reads a non-negative integer flag; a UsageError naming the flag otherwise. */
export function intFlag(
  name: string,
  value: string | undefined,
  opts: { min?: number; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const min = opts.min ?? 0;
  if (!Number.isInteger(n) || n < min || (opts.max !== undefined && n > opts.max)) {
    const range = opts.max === undefined ? `an integer ≥ ${min}` : `an integer from ${min} to ${opts.max}`;
    throw new UsageError(`--${name} must be ${range}, got "${value}"`);
  }
  return n;
}
