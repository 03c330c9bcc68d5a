// Default job options. Every queue bounds what it keeps: nothing grows with uptime.
import type { BackoffOptions, JobsOptions } from 'bullmq';

/** Name of the capped exponential backoff registered by workers (see cappedExponentialBackoff). */
export const CAPPED_EXPONENTIAL = 'capped-exponential';

export interface SyncJobOptionsInput {
  /** Total attempts, the first included. @defaultValue 5 */
  attempts?: number;
  /** First retry delay in ms; doubles per attempt up to the cap. @defaultValue 1000 */
  backoffMs?: number;
  /** Completed jobs kept (for inspection), newest first. @defaultValue 1000 */
  keepCompleted?: number;
  /** Failed jobs kept. @defaultValue 1000 */
  keepFailed?: number;
}

/** Options of `sync-record` jobs. */
export function syncRecordJobOptions(input: SyncJobOptionsInput = {}): JobsOptions {
  const backoff: BackoffOptions = { type: CAPPED_EXPONENTIAL, delay: input.backoffMs ?? 1000 };
  return {
    attempts: input.attempts ?? 5,
    backoff,
    removeOnComplete: { count: input.keepCompleted ?? 1000 },
    removeOnFail: { count: input.keepFailed ?? 1000 },
  };
}

/** Options of scheduled `discover` jobs: one attempt (the next tick is the retry), few kept. */
export const DISCOVER_JOB_OPTIONS: JobsOptions = {
  attempts: 1,
  removeOnComplete: { count: 20 },
  removeOnFail: { count: 50 },
};

/** Dead letters stay until replayed or discarded; one entry per DID bounds the queue. */
export const DEAD_LETTER_JOB_OPTIONS: JobsOptions = {
  attempts: 1,
  removeOnComplete: true,
  removeOnFail: true,
};

/**
 * Backoff strategy for workers' `settings.backoffStrategy`: `delay * 2^(attempt-1)` capped at
 * `capMs`, with up to `jitter` (0..1) of it randomised so retries of a batch spread out.
 */
export function cappedExponentialBackoff(capMs: number, jitter = 0.2) {
  return (
    attemptsMade: number,
    type?: string,
    _err?: Error,
    job?: { opts?: { backoff?: number | BackoffOptions } },
  ): number => {
    if (type !== undefined && type !== CAPPED_EXPONENTIAL) return 0;
    const b = job?.opts?.backoff;
    const base = typeof b === 'number' ? b : (b?.delay ?? 1000);
    const full = Math.min(capMs, base * 2 ** Math.max(0, attemptsMade - 1));
    return Math.round(full * (1 - jitter * Math.random()));
  };
}
