// Unwraps an openapi-fetch result: the success body, or an OipApiError carrying the api's error code.
import { OipApiError, OipClientError, OipClientErrorCodes, OipRequestError } from './errors.js';

/** What an openapi-fetch call resolves to. */
export interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The success body type of an openapi-fetch result. */
export type SuccessData<R> = R extends { data: infer D; error?: never } ? D : never;

/**
 * Awaits an api call and returns its success body; an error status throws an {@link OipApiError}
 * whose `code` is the api's (`error.code` of its body), and a failure reading the answer an
 * {@link OipRequestError}.
 *
 * @example
 * const { token } = await ok(oip.POST('/api/user/login', { body: { email, password } }));
 */
export async function ok<R extends FetchResult>(call: Promise<R>): Promise<SuccessData<R>> {
  let result: R;
  try {
    result = await call;
  } catch (err) {
    if (err instanceof OipClientError) throw err;
    // The time bound or the caller's signal can also end the reading of the body.
    const name = (err as { name?: unknown }).name;
    const code =
      name === 'TimeoutError'
        ? OipClientErrorCodes.TIMEOUT
        : name === 'AbortError'
          ? OipClientErrorCodes.ABORTED
          : OipClientErrorCodes.REQUEST;
    throw new OipRequestError(code, `reading the answer failed: ${(err as Error).message}`, { cause: err });
  }
  const { response } = result;
  if (response.ok) return result.data as SuccessData<R>;
  const path = response.url === '' ? '(unknown path)' : new URL(response.url).pathname;
  throw new OipApiError(response.status, result.error, { path, headerCode: response.headers.get('x-error-code') });
}
