// While Redis is down every connection (ours, BullMQ's queues and workers) reports each failed
// reconnect: ~16 error lines a second. One line per source per window, with the count of the
// lines it stood for, says the same.
import type { Logger } from 'pino';

export interface ErrorLogLimiter {
  /** Logs `err` under `source` unless that source logged within the window; counts it otherwise. */
  error(source: string, err: unknown, msg: string): void;
  /** Lines suppressed so far (all sources), for tests and /health. */
  readonly suppressed: number;
}

/** Sources tracked at once; a new one past this replaces the oldest. */
const MAX_SOURCES = 64;

/**
 * @param windowMs one line per source per this many ms. @defaultValue 5000
 */
export function createErrorLogLimiter(logger: Logger, windowMs = 5000, now: () => number = Date.now): ErrorLogLimiter {
  const sources = new Map<string, { at: number; suppressed: number }>();
  let total = 0;
  return {
    error(source, err, msg) {
      const t = now();
      const s = sources.get(source);
      if (s && t - s.at < windowMs) {
        s.suppressed++;
        total++;
        return;
      }
      const suppressed = s?.suppressed ?? 0;
      sources.delete(source);
      if (sources.size >= MAX_SOURCES) sources.delete(sources.keys().next().value as string);
      sources.set(source, { at: t, suppressed: 0 });
      logger.error(
        { err, source, ...(suppressed > 0 ? { suppressed, windowMs } : {}) },
        suppressed > 0 ? `${msg} (${suppressed} more since the last line)` : msg,
      );
    },
    get suppressed() {
      return total;
    },
  };
}
