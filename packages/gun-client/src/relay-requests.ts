// How a GunClient talks to its relay: one pool (its own or the caller's dispatcher), identical GETs
// in flight coalesced into one request, the negative cache of misses, retries (call-with-retries.ts),
// the in-flight bound, stats, and close. The relay API itself is client.ts.
import { setMaxListeners } from 'node:events';
import { type Dispatcher, Pool } from 'undici';
import { type ResolvedRetry, resolveRetry } from './backoff.js';
import { callWithRetries, raceSignal } from './call-with-retries.js';
import { channels, publish } from './diagnostics.js';
import { GunClientError, GunErrorCodes } from './errors.js';
import { NegativeCache } from './negative-cache.js';
import {
  type GunClientLogger,
  type GunClientOptions,
  type ResolvedGunClientOptions,
  resolveOptions,
} from './options.js';
import { type GunClientStats, StatsCounter } from './stats.js';
import type { Attempt, AttemptResult, TransportDeps } from './transport.js';
import { objectBody } from './wire.js';

export interface CallOptions {
  /** Aborts this call only (a coalesced request goes on for the other callers). */
  signal?: AbortSignal;
}

export class RelayRequests {
  readonly opts: ResolvedGunClientOptions;
  readonly #retry: ResolvedRetry;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #negative: NegativeCache | null;
  readonly #inflight = new Map<string, Promise<AttemptResult>>();
  readonly #stats = new StatsCounter();
  readonly #close = new AbortController();
  readonly #authHeaders: Record<string, string>;
  readonly #logger: GunClientLogger | undefined;
  readonly #random: () => number;
  #closed = false;

  constructor(options: GunClientOptions) {
    this.opts = resolveOptions(options);
    this.#retry = resolveRetry(options.retry);
    this.#negative = options.negativeCache === false ? null : new NegativeCache(options.negativeCache);
    this.#authHeaders = options.authToken ? { authorization: `Bearer ${options.authToken}` } : {};
    this.#logger = options.logger;
    this.#random = options.random ?? Math.random;
    // Every attempt in flight listens for close; the in-flight bound is the listener bound.
    setMaxListeners(this.opts.maxInFlight + 1, this.#close.signal);
    if (options.dispatcher) {
      this.#dispatcher = options.dispatcher;
      this.#ownsDispatcher = false;
    } else {
      const o = this.opts;
      this.#dispatcher = new Pool(o.origin, {
        connections: o.connections,
        keepAliveTimeout: o.keepAliveTimeoutMs,
        keepAliveMaxTimeout: Math.max(o.keepAliveTimeoutMs, 10_000),
        headersTimeout: o.headersTimeoutMs,
        bodyTimeout: o.bodyTimeoutMs,
        connect: { timeout: o.connectTimeoutMs },
        maxResponseSize: o.maxResponseBytes,
        pipelining: 1,
      });
      this.#ownsDispatcher = true;
    }
  }

  /** True when `key` is a remembered miss (no request is sent for it). */
  negativeHit(key: string): boolean {
    if (!this.#negative) return false;
    const hit = this.#negative.has(key);
    publish(channels.negativeCache, { key, hit });
    return hit;
  }

  /** Counts a "not found" and remembers `key` as a miss. */
  rememberMiss(key: string | null): void {
    this.#stats.notFound++;
    if (key) this.#negative?.add(key);
  }

  /** Forgets a remembered miss. */
  forget(key: string): void {
    this.#negative?.delete(key);
  }

  /** GETs are coalesced: identical calls in flight share one request. A 404 remembers `missKey`. */
  get(path: string, missKey: string | null, opts: CallOptions): Promise<AttemptResult> {
    const shared = this.#inflight.get(path);
    if (shared) {
      this.#stats.coalesced++;
      return raceSignal(shared, opts.signal, path);
    }
    const p = this.#withRetries({ method: 'GET', path: this.opts.basePath + path }).then((r) => {
      if (r.kind === 'not-found') this.rememberMiss(missKey);
      return r;
    });
    this.#inflight.set(path, p);
    const clear = () => {
      this.#inflight.delete(path);
    };
    p.then(clear, clear);
    return raceSignal(p, opts.signal, path);
  }

  /** POSTs `payload` as JSON; a 404 (the relay lacks the route) is a rejection. */
  async write(path: string, payload: unknown, opts: CallOptions): Promise<Record<string, unknown>> {
    const body = JSON.stringify(payload);
    const p = this.#withRetries({ method: 'POST', path: this.opts.basePath + path, body, headers: this.#authHeaders });
    const result = await raceSignal(p, opts.signal, path);
    if (result.kind === 'not-found') {
      throw new GunClientError(GunErrorCodes.REJECTED, `relay has no ${path} (404)`, {
        meta: { path, statusCode: 404 },
      });
    }
    return objectBody(result.json, { path });
  }

  stats(): GunClientStats {
    const s = this.#stats;
    return {
      requests: s.requests,
      responses2xx: s.responses2xx,
      responses4xx: s.responses4xx,
      responses5xx: s.responses5xx,
      notFound: s.notFound,
      failures: Object.fromEntries(s.failures),
      retries: s.retries,
      coalesced: s.coalesced,
      inFlight: s.inFlight,
      bytesIn: s.bytesIn,
      bytesOut: s.bytesOut,
      openSockets: this.#openSockets(),
      negativeCache: this.#negative?.stats() ?? null,
    };
  }

  /** Aborts calls in flight, drops the caches and closes the pool this created. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#close.abort(new GunClientError(GunErrorCodes.CLOSED, 'client closed'));
    this.#negative?.clear();
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  #openSockets(): number | null {
    const st = (this.#dispatcher as { stats?: unknown }).stats;
    if (!st || typeof st !== 'object') return null;
    if (typeof (st as { connected?: unknown }).connected === 'number') return (st as { connected: number }).connected;
    // An Agent reports per origin.
    let n = 0;
    for (const v of Object.values(st as Record<string, { connected?: number }>)) n += v?.connected ?? 0;
    return n;
  }

  #withRetries(a: Attempt): Promise<AttemptResult> {
    return callWithRetries(
      {
        stats: this.#stats,
        retry: this.#retry,
        random: this.#random,
        logger: this.#logger,
        maxInFlight: this.opts.maxInFlight,
        closeSignal: this.#close.signal,
        isClosed: () => this.#closed,
        transport: this.#transportDeps(),
      },
      a,
    );
  }

  #transportDeps(): TransportDeps {
    return {
      dispatcher: this.#dispatcher,
      origin: this.opts.origin,
      maxResponseBytes: this.opts.maxResponseBytes,
      requestTimeoutMs: this.opts.requestTimeoutMs,
      headersTimeoutMs: this.opts.headersTimeoutMs,
      bodyTimeoutMs: this.opts.bodyTimeoutMs,
      closeSignal: this.#close.signal,
      onBytes: (inB: number, outB: number) => {
        this.#stats.bytesIn += inB;
        this.#stats.bytesOut += outB;
      },
      onStatus: (code: number) => this.#stats.status(code),
    };
  }
}
