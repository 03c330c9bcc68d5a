/**
 * Error tree of @oip/gun-client. Callers branch on `err.code`, never on `instanceof`.
 * Every error carries the original failure as `cause` when there is one.
 */
export const GunErrorCodes = {
  TIMEOUT: 'GUN_ERR_TIMEOUT',
  CONNECTION: 'GUN_ERR_CONNECTION',
  UPSTREAM: 'GUN_ERR_UPSTREAM',
  REJECTED: 'GUN_ERR_REJECTED',
  BAD_RESPONSE: 'GUN_ERR_BAD_RESPONSE',
  TOO_LARGE: 'GUN_ERR_TOO_LARGE',
  ABORTED: 'GUN_ERR_ABORTED',
  CLOSED: 'GUN_ERR_CLOSED',
  OVERLOADED: 'GUN_ERR_OVERLOADED',
  INVALID_ARGUMENT: 'GUN_ERR_INVALID_ARGUMENT',
  /** A soul a caller had to read (e.g. a registry entry behind a link) is not on the relay. */
  NOT_FOUND: 'GUN_ERR_NOT_FOUND',
} as const;

export type GunErrorCode = (typeof GunErrorCodes)[keyof typeof GunErrorCodes];

export interface GunErrorMeta {
  /** Relay path and soul or query, never credentials. */
  path?: string;
  /** HTTP status when the relay answered. */
  statusCode?: number;
  /** Attempts made, including the first. */
  attempts?: number;
  /** Delay the relay asked for (Retry-After), in ms. */
  retryAfterMs?: number;
}

export class GunClientError extends Error {
  readonly code: GunErrorCode;
  /** Whether retrying the same call later may succeed. */
  readonly transient: boolean;
  readonly meta: GunErrorMeta;

  constructor(
    code: GunErrorCode,
    message: string,
    opts: { cause?: unknown; transient?: boolean; meta?: GunErrorMeta } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GunClientError';
    this.code = code;
    this.transient = opts.transient ?? false;
    this.meta = opts.meta ?? {};
  }
}

/** The relay did not answer within a timeout (connect, headers, body or overall). */
export class GunTimeoutError extends GunClientError {
  constructor(message: string, opts: { cause?: unknown; meta?: GunErrorMeta } = {}) {
    super(GunErrorCodes.TIMEOUT, message, { ...opts, transient: true });
    this.name = 'GunTimeoutError';
  }
}

/** The connection was refused, reset or closed early. */
export class GunConnectionError extends GunClientError {
  constructor(message: string, opts: { cause?: unknown; meta?: GunErrorMeta } = {}) {
    super(GunErrorCodes.CONNECTION, message, { ...opts, transient: true });
    this.name = 'GunConnectionError';
  }
}

/** The relay answered 5xx, 408 or 429: worth retrying. */
export class GunUpstreamError extends GunClientError {
  constructor(message: string, opts: { cause?: unknown; meta?: GunErrorMeta; transient?: boolean } = {}) {
    super(GunErrorCodes.UPSTREAM, message, { transient: true, ...opts });
    this.name = 'GunUpstreamError';
  }
}

/** The relay refused the request with a 4xx (other than 404/408/429): final. */
export class GunRejectedError extends GunClientError {
  constructor(message: string, opts: { cause?: unknown; meta?: GunErrorMeta } = {}) {
    super(GunErrorCodes.REJECTED, message, { ...opts, transient: false });
    this.name = 'GunRejectedError';
  }
}

/** The body was not the JSON the relay API promises. */
export class GunBadResponseError extends GunClientError {
  constructor(message: string, opts: { cause?: unknown; meta?: GunErrorMeta } = {}) {
    super(GunErrorCodes.BAD_RESPONSE, message, { ...opts, transient: false });
    this.name = 'GunBadResponseError';
  }
}

/** The body exceeded `maxResponseBytes`; the rest of it was discarded. */
export class GunTooLargeError extends GunClientError {
  constructor(message: string, opts: { cause?: unknown; meta?: GunErrorMeta } = {}) {
    super(GunErrorCodes.TOO_LARGE, message, { ...opts, transient: false });
    this.name = 'GunTooLargeError';
  }
}

/** The caller's signal aborted the call. */
export class GunAbortedError extends GunClientError {
  constructor(message: string, opts: { cause?: unknown; meta?: GunErrorMeta } = {}) {
    super(GunErrorCodes.ABORTED, message, { ...opts, transient: false });
    this.name = 'GunAbortedError';
  }
}
