// One relay call with the client's retry policy: transient failures retried with capped backoff
// (or the relay's Retry-After), an in-flight bound, diagnostics events and stats per attempt.
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, type ResolvedRetry } from './backoff.js';
import { channels, publish } from './diagnostics.js';
import { GunAbortedError, GunClientError, GunErrorCodes, type GunErrorMeta } from './errors.js';
import type { GunClientLogger } from './options.js';
import type { StatsCounter } from './stats.js';
import { type Attempt, type AttemptResult, type TransportDeps, attempt } from './transport.js';

export interface RetryContext {
  stats: StatsCounter;
  retry: ResolvedRetry;
  random: () => number;
  logger: GunClientLogger | undefined;
  maxInFlight: number;
  /** Aborts backoff waits when the client closes. */
  closeSignal: AbortSignal;
  isClosed(): boolean;
  transport: TransportDeps;
}

export async function callWithRetries(ctx: RetryContext, a: Attempt): Promise<AttemptResult> {
  const { stats, retry, logger } = ctx;
  if (ctx.isClosed()) throw new GunClientError(GunErrorCodes.CLOSED, 'client is closed');
  if (stats.inFlight >= ctx.maxInFlight) {
    stats.failure(GunErrorCodes.OVERLOADED);
    throw new GunClientError(GunErrorCodes.OVERLOADED, `more than ${ctx.maxInFlight} relay calls in flight`, {
      transient: true,
    });
  }
  stats.inFlight++;
  const pathOnly = a.path.split('?')[0] ?? a.path;
  try {
    for (let n = 1; ; n++) {
      const meta: GunErrorMeta = { path: pathOnly, attempts: n };
      const started = performance.now();
      stats.requests++;
      try {
        const r = await attempt(ctx.transport, a, meta);
        publish(channels.request, {
          method: a.method,
          path: pathOnly,
          attempt: n,
          statusCode: r.status,
          durationMs: performance.now() - started,
        });
        return r;
      } catch (err) {
        const e = err as GunClientError;
        publish(channels.request, {
          method: a.method,
          path: pathOnly,
          attempt: n,
          statusCode: e.meta?.statusCode,
          code: e.code,
          durationMs: performance.now() - started,
        });
        const retryAfter = e.meta?.retryAfterMs;
        const canRetry =
          e.transient &&
          n < retry.attempts &&
          !ctx.isClosed() &&
          (retryAfter === undefined || retryAfter <= retry.maxRetryAfterMs);
        if (!canRetry) {
          stats.failure(e.code ?? 'UNKNOWN');
          if (e.transient)
            logger?.warn({ path: pathOnly, code: e.code, attempts: n }, 'relay call failed after retries');
          throw err;
        }
        const delayMs = retryAfter ?? backoffDelay(n, retry, ctx.random);
        stats.retries++;
        publish(channels.retry, { method: a.method, path: pathOnly, retryNumber: n, delayMs, code: e.code });
        logger?.debug({ path: pathOnly, code: e.code, retryNumber: n, delayMs }, 'retrying relay call');
        try {
          await sleep(delayMs, undefined, { signal: ctx.closeSignal });
        } catch {
          throw new GunClientError(GunErrorCodes.CLOSED, 'client closed while waiting to retry', { cause: err });
        }
      }
    }
  } finally {
    stats.inFlight--;
  }
}

/** Settles with `promise` unless `signal` aborts first; the shared promise goes on regardless. */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined, path: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new GunAbortedError(`call to ${path} aborted`, { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new GunAbortedError(`call to ${path} aborted`, { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
