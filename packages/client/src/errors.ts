/**
 * Error tree of @oip/client. Callers branch on `err.code`, never on `instanceof`: an answer of the
 * api carries the api's own code (`API_ERR_…`, `ACCOUNTS_ERR_…`, `MEDIA_ERR_…`), a failure before any answer one of
 * {@link OipClientErrorCodes}. The original failure is kept as `cause`.
 */
export const OipClientErrorCodes = {
  /** No answer: connection refused or reset, DNS, TLS. */
  REQUEST: 'CLIENT_ERR_REQUEST',
  /** No answer within the client's `timeoutMs`. */
  TIMEOUT: 'CLIENT_ERR_TIMEOUT',
  /** The caller's own signal aborted the request. */
  ABORTED: 'CLIENT_ERR_ABORTED',
  /** An error status with no code in its body or `x-error-code` header (e.g. a proxy's page). */
  HTTP_STATUS: 'CLIENT_ERR_HTTP_STATUS',
} as const;

export type OipClientErrorCode = (typeof OipClientErrorCodes)[keyof typeof OipClientErrorCodes];

export class OipClientError extends Error {
  /** The api's error code, or one of {@link OipClientErrorCodes}. */
  readonly code: string;

  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OipClientError';
    this.code = code;
  }
}

/** The api's error body: `{ error: { code, message }, requestId }`. */
export interface OipErrorBody {
  error: { code: string; message: string };
  requestId?: string;
}

/** The legacy account routes' refusal: `{ success: false, error: "<legacy text>", code }`. */
export interface OipLegacyErrorBody {
  success: false;
  error: string;
  code: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The code, message and request id an error answer carries, wherever its shape puts them. */
function readError(body: unknown, headerCode: string | null): { code: string; message?: string; requestId?: string } {
  if (isObject(body)) {
    const { error, code, requestId } = body;
    const id = typeof requestId === 'string' ? { requestId } : {};
    if (isObject(error) && typeof error['code'] === 'string')
      return { code: error['code'], message: String(error['message'] ?? ''), ...id };
    if (typeof error === 'string' && typeof code === 'string') return { code, message: error, ...id };
  }
  return {
    code: headerCode ?? OipClientErrorCodes.HTTP_STATUS,
    ...(typeof body === 'string' && body !== '' ? { message: body.slice(0, 200) } : {}),
  };
}

/** The api answered with an error status (4xx, 5xx). */
export class OipApiError extends OipClientError {
  /** The HTTP status. */
  readonly status: number;
  /** The api's request id (its `requestId` field), to find the request in the node's logs. */
  readonly requestId: string | undefined;
  /** The parsed body (or its text when it is not JSON). */
  readonly body: unknown;

  /**
   * @param body The answer's body, parsed when JSON.
   * @param answer The path asked and the answer's `x-error-code` header (the code when the body has none).
   */
  constructor(status: number, body: unknown, answer: { path: string; headerCode?: string | null }) {
    const read = readError(body, answer.headerCode ?? null);
    super(read.code, `${answer.path} answered ${status} ${read.code}: ${read.message ?? `status ${status}`}`);
    this.name = 'OipApiError';
    this.status = status;
    this.requestId = read.requestId;
    this.body = body;
  }
}

/** No answer came: the request failed, timed out or was aborted. */
export class OipRequestError extends OipClientError {
  constructor(code: OipClientErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'OipRequestError';
  }
}
