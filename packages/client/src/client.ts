// The api client: openapi-fetch over the generated paths, with a base URL, a bearer token, a time
// bound on every request, and failures before any answer thrown as OipRequestError (with a code).
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { OipClientErrorCodes, OipRequestError } from './errors.js';
import type { paths } from './generated/openapi.js';

/** Every route of the api, as the OpenAPI document describes it. */
export type OipPaths = paths;

/** A client of one node's api: `GET`, `POST`, `DELETE`… on its documented paths (openapi-fetch). */
export type OipClient = Client<OipPaths>;

export interface OipClientOptions {
  /** The node's api, e.g. `http://127.0.0.1:3005` (a trailing slash is dropped). */
  baseUrl: string;
  /**
   * Sent as `Authorization: Bearer <token>` on every request: a token from `POST /api/user/login`,
   * or a function read before each request (undefined: no header). A request's own
   * `Authorization` header wins.
   */
  token?: string | (() => string | undefined);
  /**
   * Time bound of each request, from sending to the answer's headers and body, in ms.
   * @defaultValue 30000
   */
  timeoutMs?: number;
  /** Headers sent on every request. */
  headers?: Record<string, string>;
  /** The fetch to send with. @defaultValue globalThis.fetch */
  fetch?: (request: Request) => Promise<Response>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

function bearer(token: NonNullable<OipClientOptions['token']>): Middleware {
  return {
    onRequest({ request }) {
      const value = typeof token === 'function' ? token() : token;
      if (value !== undefined && !request.headers.has('authorization'))
        request.headers.set('authorization', `Bearer ${value}`);
      return request;
    },
  };
}

/** Sends `request` with the time bound; a failure without an answer becomes an OipRequestError. */
async function send(
  fetchFn: (request: Request) => Promise<Response>,
  request: Request,
  timeoutMs: number,
): Promise<Response> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const what = `${request.method} ${new URL(request.url).pathname}`;
  try {
    return await fetchFn(new Request(request, { signal: AbortSignal.any([request.signal, timeout]) }));
  } catch (err) {
    if (timeout.aborted)
      throw new OipRequestError(OipClientErrorCodes.TIMEOUT, `${what}: no answer in ${timeoutMs} ms`, { cause: err });
    if (request.signal.aborted)
      throw new OipRequestError(OipClientErrorCodes.ABORTED, `${what}: aborted`, { cause: err });
    // fetch's TypeError says only "fetch failed"; its cause names the reason (ECONNREFUSED, bad port…).
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    const reason = [cause?.code, cause?.message, (err as Error).message].find((r) => typeof r === 'string' && r !== '');
    throw new OipRequestError(OipClientErrorCodes.REQUEST, `${what}: ${reason}`, { cause: err });
  }
}

/** A client of the api at `options.baseUrl`. */
export function createOipClient(options: OipClientOptions): OipClient {
  const fetchFn = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = createClient<OipPaths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.headers ? { headers: options.headers } : {}),
    fetch: (request) => send(fetchFn, request, timeoutMs),
  });
  if (options.token !== undefined) client.use(bearer(options.token));
  return client;
}
