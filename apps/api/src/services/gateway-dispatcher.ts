// The gateway's only way out: one bounded undici Pool per configured upstream origin. A request for
// any other origin fails before a socket is opened, so nothing a client sends can pick the host.
// Each request carries a context (attached to its headers under a symbol, which the proxy library
// copies along) with the client's abort signal: a client that goes away cancels the upstream
// request at once, before or after the upstream answered. Requests with a body get an idle timer
// instead of undici's headers timeout, which does not move while a long upload is being written.
import { Pool, type Dispatcher } from 'undici';
import { UpstreamNotConfiguredError } from '../errors.js';
import { StreamingBody } from './gateway-body.js';

/** What the gateway hands the dispatcher with each request. */
export interface ForwardContext {
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** Builds the error a stalled upstream fails with. */
  timeoutError(): Error;
}

export interface UpstreamDispatcherOptions {
  /** Upstream origins (`http://host:port`); nothing else is ever contacted. */
  origins: readonly string[];
  /** Sockets per upstream. */
  connections: number;
  /** No headers (or, while a body is sent, no progress) for this long → the request fails. */
  timeoutMs: number;
}

const CONTEXT = Symbol('oip.gateway.context');

type Headers = Record<string | symbol, unknown>;
type Callback = (err: Error | null, data?: Dispatcher.ResponseData) => void;

/** Carries `ctx` to the dispatcher inside the request headers (stripped again before sending). */
export function attachContext(headers: Record<string, unknown>, ctx: ForwardContext): Record<string, unknown> {
  (headers as Headers)[CONTEXT] = ctx;
  return headers;
}

export class UpstreamDispatcher {
  readonly #pools = new Map<string, Pool>();
  readonly #timeoutMs: number;

  constructor(opts: UpstreamDispatcherOptions) {
    this.#timeoutMs = opts.timeoutMs;
    for (const origin of opts.origins) {
      const key = new URL(origin).origin;
      if (this.#pools.has(key)) continue;
      this.#pools.set(
        key,
        new Pool(key, {
          connections: opts.connections,
          pipelining: 1,
          connect: { timeout: Math.min(opts.timeoutMs, 10_000) },
        }),
      );
    }
  }

  /** The shape @fastify/reply-from calls: undici's callback `request`. */
  request(opts: Dispatcher.RequestOptions, cb: Callback): void {
    const pool = this.#pools.get(String(opts.origin));
    const headers = (opts.headers ?? {}) as Headers;
    const ctx = headers[CONTEXT] as ForwardContext | undefined;
    delete headers[CONTEXT];
    if (!pool) {
      queueMicrotask(() => cb(new UpstreamNotConfiguredError(String(opts.origin))));
      return;
    }
    const body = opts.body;
    if (!(body instanceof StreamingBody)) {
      // The client's signal cancels the request (and, after the headers, the answer's body).
      pool.request(ctx ? { ...opts, signal: ctx.signal } : opts, cb);
      return;
    }
    // With a body: an idle timer, refreshed by every chunk the upstream takes, then waiting for its
    // answer; it and the client's going away both abort.
    const ac = new AbortController();
    const onClientGone = (): void => ac.abort(ctx?.signal.reason);
    if (ctx?.signal.aborted) onClientGone();
    else ctx?.signal.addEventListener('abort', onClientGone, { once: true });
    const timer = setTimeout(
      () =>
        ac.abort(
          ctx?.timeoutError() ?? Object.assign(new Error('upstream timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' }),
        ),
      this.#timeoutMs,
    );
    body.onProgress = () => timer.refresh();
    pool.request({ ...opts, headersTimeout: 0, signal: ac.signal }, (err, data) => {
      clearTimeout(timer);
      body.onProgress = undefined;
      if (err) ctx?.signal.removeEventListener('abort', onClientGone);
      cb(err, data);
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.close()));
  }

  async destroy(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.destroy()));
  }
}
