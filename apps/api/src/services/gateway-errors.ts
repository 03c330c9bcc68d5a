// What a failed upstream request means for the client. @fastify/reply-from wraps undici's errors
// (its own codes, or an internal error with the original as `cause`), so both levels are read.
import { ApiErrorCodes } from '../errors.js';

export type UpstreamFailure = 'timeout' | 'unavailable' | 'too-large' | 'client-gone';

const TIMEOUT_CODES = new Set([
  ApiErrorCodes.UPSTREAM_TIMEOUT,
  'FST_REPLY_FROM_TIMEOUT',
  'FST_REPLY_FROM_GATEWAY_TIMEOUT',
  'FST_REPLY_FROM_HTTP_REQUEST_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}

/**
 * @param clientGone the client left before the answer: nothing is sent, nothing is the upstream's fault.
 * Anything else that is not a timeout or the body limit is the upstream being unreachable
 * (refused, reset, closed mid-answer, unresolvable): 502.
 */
export function classifyUpstreamError(err: unknown, clientGone: boolean): UpstreamFailure {
  const codes = codesOf(err);
  if (codes.includes('API_BODY_TOO_LARGE')) return 'too-large';
  if (clientGone) return 'client-gone';
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return 'timeout';
  return 'unavailable';
}
