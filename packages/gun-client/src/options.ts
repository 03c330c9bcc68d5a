import type { Dispatcher } from 'undici';
import type { RetryOptions } from './backoff.js';
import type { NegativeCacheOptions } from './negative-cache.js';

/** A pino-compatible logger; the client logs nothing unless one is given. */
export interface GunClientLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface GunClientOptions {
  /** Relay root, e.g. `http://127.0.0.1:8765` or a legacy `http://host:3005/gun-relay`. */
  baseUrl: string;
  /**
   * Transport to use (a Pool, Agent or MockAgent). When given, the caller owns it and `close()`
   * leaves it open; otherwise a bounded Pool is created and closed by `close()`.
   */
  dispatcher?: Dispatcher;
  /** Sockets in the created pool. @defaultValue 10 */
  connections?: number;
  /** Idle keep-alive sockets are closed after this. @defaultValue 4000 */
  keepAliveTimeoutMs?: number;
  /** @defaultValue 5000 */
  connectTimeoutMs?: number;
  /** Time to response headers. @defaultValue 10000 */
  headersTimeoutMs?: number;
  /** Time between body chunks. @defaultValue 10000 */
  bodyTimeoutMs?: number;
  /** Whole attempt, headers and body. @defaultValue 15000 */
  requestTimeoutMs?: number;
  /** Larger bodies are discarded with GUN_ERR_TOO_LARGE. @defaultValue 10 MiB */
  maxResponseBytes?: number;
  /** Calls in flight at once; more fail fast with GUN_ERR_OVERLOADED. @defaultValue 512 */
  maxInFlight?: number;
  retry?: RetryOptions;
  /** Not-found cache bounds, or false to disable it. @defaultValue { max: 10000, ttlMs: 3600000 } */
  negativeCache?: NegativeCacheOptions | false;
  /** Bearer token sent on writes (`/put`, manifest, presence). Never logged. */
  authToken?: string;
  logger?: GunClientLogger;
  /** Randomness for backoff jitter (tests). @defaultValue Math.random */
  random?: () => number;
}

export interface ResolvedGunClientOptions {
  origin: string;
  /** Path prefix of the relay API, '' or e.g. '/gun-relay'. */
  basePath: string;
  connections: number;
  keepAliveTimeoutMs: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  maxInFlight: number;
}

export function resolveOptions(opts: GunClientOptions): ResolvedGunClientOptions {
  let url: URL;
  try {
    url = new URL(opts.baseUrl);
  } catch (err) {
    throw new TypeError(`GunClient baseUrl is not a URL: ${String(opts.baseUrl)}`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`GunClient baseUrl must be http(s), got ${url.protocol}`);
  }
  const positive = (v: number | undefined, d: number) => (v !== undefined && Number.isFinite(v) && v > 0 ? v : d);
  return {
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    connections: Math.floor(positive(opts.connections, 10)),
    keepAliveTimeoutMs: positive(opts.keepAliveTimeoutMs, 4000),
    connectTimeoutMs: positive(opts.connectTimeoutMs, 5000),
    headersTimeoutMs: positive(opts.headersTimeoutMs, 10_000),
    bodyTimeoutMs: positive(opts.bodyTimeoutMs, 10_000),
    requestTimeoutMs: positive(opts.requestTimeoutMs, 15_000),
    maxResponseBytes: Math.floor(positive(opts.maxResponseBytes, 10 * 1024 * 1024)),
    maxInFlight: Math.floor(positive(opts.maxInFlight, 512)),
  };
}
