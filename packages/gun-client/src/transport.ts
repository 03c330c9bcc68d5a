// One HTTP attempt against a relay: the body is always read to the end under a size bound,
// or destroyed; what comes back is parsed JSON or a typed error, never a buffer.
import type { Dispatcher } from 'undici';
import { parseRetryAfter } from './backoff.js';
import {
  GunAbortedError,
  GunBadResponseError,
  type GunClientError,
  GunConnectionError,
  type GunErrorMeta,
  GunRejectedError,
  GunTimeoutError,
  GunTooLargeError,
  GunUpstreamError,
} from './errors.js';

export interface Attempt {
  method: 'GET' | 'POST';
  /** Path with query, e.g. `/get?soul=…`. */
  path: string;
  body?: string;
  /** Cleared on every path; only set for writes. */
  headers?: Record<string, string>;
}

export type AttemptResult = { kind: 'json'; status: number; json: unknown } | { kind: 'not-found'; status: 404 };

export interface TransportDeps {
  dispatcher: Dispatcher;
  origin: string;
  maxResponseBytes: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Aborted when the client closes. */
  closeSignal: AbortSignal;
  onBytes(inBytes: number, outBytes: number): void;
  onStatus(status: number): void;
}

const ERROR_BODY_LIMIT = 16 * 1024;
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);
const TOO_LARGE_CODES = new Set(['UND_ERR_RES_EXCEEDED_MAX_SIZE']);

class TimeoutSignal extends Error {}

function errCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return undefined;
}

/** Maps a thrown transport error to our error tree. */
export function mapTransportError(
  err: unknown,
  signal: AbortSignal,
  closeSignal: AbortSignal,
  meta: GunErrorMeta,
): GunClientError {
  if (signal.aborted && signal.reason instanceof TimeoutSignal) {
    return new GunTimeoutError(`relay did not answer ${meta.path} in time`, { cause: err, meta });
  }
  if (closeSignal.aborted) return new GunAbortedError('client closed during the request', { cause: err, meta });
  const code = errCode(err);
  if (code && TIMEOUT_CODES.has(code))
    return new GunTimeoutError(`relay timed out (${code}) on ${meta.path}`, { cause: err, meta });
  if (code && TOO_LARGE_CODES.has(code))
    return new GunTooLargeError(`relay response to ${meta.path} exceeded the size limit`, { cause: err, meta });
  if (signal.aborted) return new GunAbortedError(`request to ${meta.path} aborted`, { cause: err, meta });
  return new GunConnectionError(`connection to relay failed (${code ?? 'unknown'}) on ${meta.path}`, {
    cause: err,
    meta,
  });
}

/** Reads at most `limit` bytes of the body; destroys the body and throws when it is longer. */
async function readBounded(body: Dispatcher.ResponseData['body'], limit: number, meta: GunErrorMeta): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        throw new GunTooLargeError(`relay response to ${meta.path} is larger than ${limit} bytes`, { meta });
      }
      chunks.push(chunk);
    }
  } finally {
    // Leaving the loop early (limit, abort, socket error) must not leave the stream half-read.
    if (!body.destroyed && size > limit) body.destroy();
  }
  return Buffer.concat(chunks, size);
}

function parseJson(buf: Buffer, meta: GunErrorMeta): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new GunBadResponseError(`relay sent a body that is not JSON for ${meta.path}`, { cause: err, meta });
  }
}

function errorMessageOf(buf: Buffer): string | undefined {
  try {
    const j = JSON.parse(buf.toString('utf8')) as { error?: unknown; message?: unknown };
    const e = j.error;
    if (typeof e === 'string') return e;
    if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string')
      return (e as { message: string }).message;
    if (typeof j.message === 'string') return j.message;
  } catch {
    // not JSON: no message
  }
  return undefined;
}

export async function attempt(deps: TransportDeps, a: Attempt, meta: GunErrorMeta): Promise<AttemptResult> {
  const controller = new AbortController();
  const onClose = () => controller.abort(deps.closeSignal.reason);
  deps.closeSignal.addEventListener('abort', onClose, { once: true });
  // undici's own headers/body timeouts destroy the socket (an abort alone would leave it busy
  // until the server answers), so they are never longer than the whole-attempt budget; the
  // abort timer is the backstop for a body that trickles in under the per-chunk timeout.
  const headersTimeout = Math.min(deps.headersTimeoutMs, deps.requestTimeoutMs);
  const bodyTimeout = Math.min(deps.bodyTimeoutMs, deps.requestTimeoutMs);
  const timer = setTimeout(() => controller.abort(new TimeoutSignal('request timeout')), deps.requestTimeoutMs + 25);
  const outBytes = a.body ? Buffer.byteLength(a.body) : 0;
  let res: Dispatcher.ResponseData | undefined;
  try {
    try {
      res = await deps.dispatcher.request({
        origin: deps.origin,
        path: a.path,
        method: a.method,
        headers: {
          accept: 'application/json',
          ...(a.body ? { 'content-type': 'application/json' } : {}),
          ...a.headers,
        },
        body: a.body,
        signal: controller.signal,
        headersTimeout,
        bodyTimeout,
      });
    } catch (err) {
      throw mapTransportError(err, controller.signal, deps.closeSignal, meta);
    }
    const status = res.statusCode;
    deps.onStatus(status);
    const m: GunErrorMeta = { ...meta, statusCode: status };
    const declared = Number(res.headers['content-length']);

    if (status === 404) {
      // The answer is the status; the body is thrown away without buffering it.
      await res.body.dump({ limit: ERROR_BODY_LIMIT }).catch(() => res?.body.destroy());
      deps.onBytes(0, outBytes);
      return { kind: 'not-found', status: 404 };
    }
    if (status >= 200 && status < 300) {
      if (Number.isFinite(declared) && declared > deps.maxResponseBytes) {
        res.body.destroy();
        throw new GunTooLargeError(
          `relay declared ${declared} bytes for ${meta.path}, over the ${deps.maxResponseBytes} limit`,
          { meta: m },
        );
      }
      let buf: Buffer;
      try {
        buf = await readBounded(res.body, deps.maxResponseBytes, m);
      } catch (err) {
        if ((err as GunClientError).code) throw err;
        throw mapTransportError(err, controller.signal, deps.closeSignal, m);
      }
      deps.onBytes(buf.length, outBytes);
      return { kind: 'json', status, json: parseJson(buf, m) };
    }

    // Error statuses: keep at most a small piece of the body for the message.
    let text: Buffer = Buffer.alloc(0);
    try {
      text = await readBounded(res.body, ERROR_BODY_LIMIT, m);
    } catch {
      res.body.destroy();
    }
    deps.onBytes(text.length, outBytes);
    const relayMessage = errorMessageOf(text);
    const suffix = relayMessage ? `: ${relayMessage}` : '';
    if (status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505)) {
      const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
      throw new GunUpstreamError(`relay answered ${status} for ${meta.path}${suffix}`, {
        meta: retryAfterMs === undefined ? m : { ...m, retryAfterMs },
      });
    }
    if (status >= 400) throw new GunRejectedError(`relay rejected ${meta.path} with ${status}${suffix}`, { meta: m });
    if (status >= 500)
      throw new GunUpstreamError(`relay answered ${status} for ${meta.path}${suffix}`, { meta: m, transient: false });
    throw new GunBadResponseError(`unexpected status ${status} for ${meta.path}`, { meta: m });
  } finally {
    clearTimeout(timer);
    deps.closeSignal.removeEventListener('abort', onClose);
    // Whatever happened above, nothing of this response stays open.
    if (res && !res.body.destroyed && res.body.readableEnded === false) res.body.destroy();
  }
}
