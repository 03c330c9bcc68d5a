// One error handler and one 404 handler for a service, the same body everywhere:
// `{ error: { code, message }, requestId }`, the stable code also in the `x-error-code` header.
// Legacy routes that legacy clients parse answer their legacy body instead: every error on a
// route marked `config.legacy` (`{ error: "<text>" }`, or the route's `legacyBody`), or only the
// codes a route lists in `config.legacyCodes`. 5xx bodies never carry internals.
import createError from '@fastify/error';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer every error with the legacy body (`legacyBody`, default `{ error: "<text>" }`). */
    legacy?: boolean;
    /**
     * Answer only these codes with the legacy body, at the status given (codes of other workspaces
     * too: the accounts service's refusals on the legacy user routes); other errors answer the house body.
     */
    legacyCodes?: Readonly<Record<string, LegacyAnswer>>;
    /** This route's legacy body for an error's text and code. @defaultValue `{ error: text }` */
    legacyBody?: (text: string, code: string) => Record<string, unknown>;
    /** The error a schema validation failure becomes on this route (legacy texts differ per route). */
    validationError?: () => FastifyError;
  }
}

/** How a listed code is answered on a legacy route. */
export interface LegacyAnswer {
  status: number;
  /** The legacy `error` text. @defaultValue the error's message */
  text?: string;
}

export const ERROR_CODE_HEADER = 'x-error-code';

export interface ErrorHandlerOptions {
  /** Code prefix of the service (`GUNPROXY`, `API`, …): errors with `<prefix>_` codes pass through. */
  prefix: string;
  /** Body limit, for the 413 message. @defaultValue the app's bodyLimit */
  bodyLimit?: number;
  /** Legacy `error` text per code, for `config.legacy` routes (default: the error's message). */
  legacyText?: Readonly<Record<string, string>>;
  /**
   * Codes of other workspaces' errors that mean the request was bad (e.g. `STORE_ERR_INVALID` from
   * a store query built from it): answered 400 `<prefix>_VALIDATION` with their message, not 500.
   */
  clientErrorCodes?: readonly string[];
  /** Codes that differ from `<prefix>_ROUTE_NOT_FOUND` / `<prefix>_INTERNAL` in an existing catalogue. */
  codes?: ServiceErrorCodes;
}

export interface ServiceErrorCodes {
  routeNotFound?: string;
  internal?: string;
}

export interface ServiceErrors {
  validation: (detail: string) => FastifyError;
  invalidJson: () => FastifyError;
  bodyTooLarge: (limit: number) => FastifyError;
  routeNotFound: (method: string, path: string) => FastifyError;
  internal: () => FastifyError;
}

/** The five errors every service's catalogue has, with the service's prefix. */
export function serviceErrors(prefix: string, codes: ServiceErrorCodes = {}): ServiceErrors {
  const Validation = createError(`${prefix}_VALIDATION`, 'Invalid request: %s', 400);
  const InvalidJson = createError(`${prefix}_INVALID_JSON`, 'Request body is not valid JSON', 400);
  const TooLarge = createError(`${prefix}_BODY_TOO_LARGE`, 'Request body is larger than %s bytes', 413);
  const NotFound = createError(codes.routeNotFound ?? `${prefix}_ROUTE_NOT_FOUND`, 'Route %s %s not found', 404);
  const Internal = createError(codes.internal ?? `${prefix}_INTERNAL`, 'Internal error', 500);
  return {
    validation: (detail) => new Validation(detail),
    invalidJson: () => new InvalidJson(),
    bodyTooLarge: (limit) => new TooLarge(limit),
    routeNotFound: (method, path) => new NotFound(method, path),
    internal: () => new Internal(),
  };
}

function normalise(
  err: FastifyError,
  req: FastifyRequest,
  opts: ErrorHandlerOptions,
  errors: ServiceErrors,
): FastifyError {
  if (err.validation) return req.routeOptions.config?.validationError?.() ?? errors.validation(err.message);
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.bodyTooLarge(opts.bodyLimit ?? 0);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return errors.invalidJson();
  }
  const code = typeof err.code === 'string' ? err.code : '';
  const status = err.statusCode ?? 500;
  // Our own codes were written to be shown; anything else keeps its status class only.
  if (code.startsWith(`${opts.prefix}_`)) return err;
  if (opts.clientErrorCodes?.includes(code)) return errors.validation(err.message);
  if (status < 500) return errors.validation(err.message);
  return errors.internal();
}

const defaultLegacyBody = (text: string): Record<string, unknown> => ({ error: text });

/** The answer a route's `legacyCodes` list for this error, or undefined. */
function listedLegacyAnswer(err: FastifyError, req: FastifyRequest): LegacyAnswer | undefined {
  const listed = req.routeOptions.config?.legacyCodes;
  return listed !== undefined && typeof err.code === 'string' && Object.hasOwn(listed, err.code)
    ? listed[err.code]
    : undefined;
}

function send(
  reply: FastifyReply,
  req: FastifyRequest,
  err: FastifyError,
  legacyText: ErrorHandlerOptions['legacyText'],
  listed?: LegacyAnswer,
): FastifyReply {
  const code = err.code;
  const config = req.routeOptions.config;
  reply.code(listed?.status ?? err.statusCode ?? 500).header(ERROR_CODE_HEADER, code);
  if (listed !== undefined || config?.legacy === true) {
    const text =
      listed?.text ?? (legacyText !== undefined && Object.hasOwn(legacyText, code) ? legacyText[code] : undefined);
    return reply.send((config?.legacyBody ?? defaultLegacyBody)(text ?? err.message, code));
  }
  // `details` (our errors may carry one: field problems and the like) travels beside the message.
  const details = (err as { details?: unknown }).details;
  return reply.send({
    error: { code, message: err.message, ...(details !== undefined ? { details } : {}) },
    requestId: req.id,
  });
}

async function errorHandlerPlugin(app: FastifyInstance, opts: ErrorHandlerOptions): Promise<void> {
  const errors = serviceErrors(opts.prefix, opts.codes);
  opts = { ...opts, bodyLimit: opts.bodyLimit ?? app.initialConfig.bodyLimit };
  app.setErrorHandler((raw: FastifyError, req, reply) => {
    const listed = listedLegacyAnswer(raw, req);
    if (listed !== undefined) return send(reply, req, raw, opts.legacyText, listed);
    const err = normalise(raw, req, opts, errors);
    if ((err.statusCode ?? 500) >= 500) req.log.error({ err: raw }, 'request failed');
    return send(reply, req, err, opts.legacyText);
  });
  app.setNotFoundHandler((req, reply) =>
    send(reply, req, errors.routeNotFound(req.method, req.url.split('?')[0] ?? ''), opts.legacyText),
  );
}

/** Registers the service's error and 404 handlers (root level: wrapped with fastify-plugin). */
export const errorHandling = fp(errorHandlerPlugin, { name: 'oip-error-handling', fastify: '5.x' });
