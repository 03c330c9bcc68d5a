/** Retry policy for transient failures. */
export interface RetryOptions {
  /** Attempts including the first; 1 disables retries. @defaultValue 3 */
  attempts?: number;
  /** First backoff delay. @defaultValue 100 */
  baseDelayMs?: number;
  /** Cap on one backoff delay. @defaultValue 2000 */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails instead. @defaultValue 30000 */
  maxRetryAfterMs?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(opts: RetryOptions = {}): ResolvedRetry {
  return {
    attempts: Math.max(1, Math.floor(opts.attempts ?? 3)),
    baseDelayMs: Math.max(0, opts.baseDelayMs ?? 100),
    maxDelayMs: Math.max(0, opts.maxDelayMs ?? 2000),
    maxRetryAfterMs: Math.max(0, opts.maxRetryAfterMs ?? 30_000),
  };
}

/**
 * Capped exponential backoff with "full jitter": a uniform delay in [0, min(cap, base·2^(n-1))].
 * `retryNumber` is 1 for the first retry.
 */
export function backoffDelay(retryNumber: number, policy: ResolvedRetry, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.round(random() * ceiling);
}

/** Retry-After as delta-seconds or HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const trimmed = v.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
