// The one wait helper of the tests: poll until a condition holds, throw when it does not in time.
import { TestKitError } from './errors.js';

export interface UntilOptions<T> {
  /** What is awaited, for the timeout message ("the record indexed on B"). */
  what: string;
  /** Longest wait, probe calls included. @defaultValue 5000 */
  timeoutMs?: number;
  /** Pause between two probes. @defaultValue 50 */
  intervalMs?: number;
  /** When the probe's value is the one awaited. @defaultValue the value is truthy */
  ok?: (value: T) => boolean;
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

const MAX_SHOWN = 500;

function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

const NOT_YET = Symbol('not yet');

/** Thrown from an until() probe: until() stops at once and throws it (code `TESTKIT_ERR_UNTIL_GAVE_UP`). */
export function giveUp(reason: string, cause?: unknown): never {
  throw new TestKitError('TESTKIT_ERR_UNTIL_GAVE_UP', reason, { cause });
}

/** Resolves with the probe's outcome, or NOT_YET when `ms` passes first (a hung probe does not hang the wait). */
async function within<T>(probe: () => T | Promise<T>, ms: number): Promise<T | typeof NOT_YET> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof NOT_YET>((resolve) => {
    timer = setTimeout(() => resolve(NOT_YET), Math.max(0, ms));
  });
  try {
    return await Promise.race([Promise.resolve().then(probe), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls `probe` every `intervalMs` until its value is the one awaited (truthy, or `ok(value)`)
 * and resolves with that value. A probe that throws counts as "not yet". When `timeoutMs` passes
 * (a probe still running included) it throws a TestKitError `TESTKIT_ERR_UNTIL_TIMEOUT` naming
 * `what` and the last value or error (the error is the `cause`). A probe that calls giveUp() ends
 * the wait at once.
 */
export async function until<T>(
  probe: () => T | Promise<T>,
  options: UntilOptions<T> & { ok: (value: T) => boolean },
): Promise<T>;
export async function until<T>(probe: () => T | Promise<T>, options: UntilOptions<T>): Promise<Truthy<T>>;
export async function until<T>(probe: () => T | Promise<T>, options: UntilOptions<T>): Promise<T> {
  const { what, timeoutMs = 5000, intervalMs = 50, ok = Boolean } = options;
  const end = Date.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown } | null = null;
  let hung = false;
  for (;;) {
    try {
      const v = await within(probe, end - Date.now());
      hung = v === NOT_YET;
      if (v !== NOT_YET) {
        if (ok(v)) return v;
        last = { value: v };
      }
    } catch (error) {
      if (error instanceof Error && (error as { code?: unknown }).code === 'TESTKIT_ERR_UNTIL_GAVE_UP')
        throw new TestKitError('TESTKIT_ERR_UNTIL_GAVE_UP', `${what}: ${error.message}`, { cause: error.cause });
      hung = false;
      last = { error };
    }
    const left = end - Date.now();
    if (left <= 0) {
      const seen =
        last === null
          ? 'no probe finished'
          : 'error' in last
            ? `last error: ${last.error instanceof Error ? last.error.message : show(last.error)}`
            : `last value: ${show(last.value)}`;
      const still = hung ? ', a probe still running' : '';
      throw new TestKitError(
        'TESTKIT_ERR_UNTIL_TIMEOUT',
        `${what}: not reached within ${timeoutMs} ms (${seen}${still})`,
        {
          cause: last !== null && 'error' in last ? last.error : undefined,
        },
      );
    }
    await new Promise((r) => setTimeout(r, Math.min(intervalMs, left)));
  }
}
