// Command-line parsing for every CLI of ours: node:util parseArgs in strict mode, so unknown
// flags and flags missing their value are usage errors (exit code 2), never silently ignored.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const USAGE_ERROR_CODE = 'USAGE';
export const USAGE_EXIT_CODE = 2;

export class UsageError extends Error {
  override name = 'UsageError';
  readonly code = USAGE_ERROR_CODE;
  readonly exitCode = USAGE_EXIT_CODE;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommandLine<O extends Options> {
  values: ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values'];
  positionals: string[];
}

/** Parses `argv` against `options`; any parse problem becomes a UsageError with parseArgs' reason. */
export function parseCommandLine<O extends Options>(argv: readonly string[], options: O): ParsedCommandLine<O> {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
    return { values, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
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
