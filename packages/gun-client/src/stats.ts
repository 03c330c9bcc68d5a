import type { NegativeCacheStats } from './negative-cache.js';

/** Counters behind `/api/metrics/gun-cache` and the Prometheus gauges of the apps. */
export interface GunClientStats {
  /** HTTP requests sent (each retry counts). */
  requests: number;
  responses2xx: number;
  responses4xx: number;
  responses5xx: number;
  /** Calls answered "not found" by the relay (not by the cache). */
  notFound: number;
  /** Calls that failed after their last attempt, by error code. */
  failures: Record<string, number>;
  retries: number;
  /** Calls that joined an identical request already in flight. */
  coalesced: number;
  /** Calls in flight now. */
  inFlight: number;
  bytesIn: number;
  bytesOut: number;
  /** Sockets open in the client's pool; null when an injected dispatcher doesn't tell. */
  openSockets: number | null;
  negativeCache: NegativeCacheStats | null;
}

export class StatsCounter {
  requests = 0;
  responses2xx = 0;
  responses4xx = 0;
  responses5xx = 0;
  notFound = 0;
  retries = 0;
  coalesced = 0;
  inFlight = 0;
  bytesIn = 0;
  bytesOut = 0;
  readonly failures = new Map<string, number>();

  status(code: number): void {
    if (code >= 200 && code < 300) this.responses2xx++;
    else if (code >= 400 && code < 500) this.responses4xx++;
    else if (code >= 500) this.responses5xx++;
  }

  failure(code: string): void {
    // Codes come from a closed set, so this map stays small.
    this.failures.set(code, (this.failures.get(code) ?? 0) + 1);
  }
}
