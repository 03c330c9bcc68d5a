// One error handler and one 404 handler for a service, the same body everywhere:
// `{ error: { code, message }, requestId }`. Routes marked `config.legacy` answer the legacy body
// `{ error: "<text>" }` instead (the stable code travels in the `x-error-code` header), so
// legacy clients keep working. 5xx bodies never carry internals.
import createError from '@fastify/error';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer errors with the legacy body `{ error: "<text>" }`. */
    legacy?: boolean;
    /** The error a schema validation failure becomes on this route (legacy texts differ per route). */
    validationError?: () => FastifyError;
  }
}

export const ERROR_CODE_HEADER = 'x-error-code';

export interface ErrorHandlerOptions {
  /** Code prefix of the service (`GUNPROXY`, `API`, …): errors with `<prefix>_` codes pass through. */
  prefix: string;
  /** Body limit, for the 413 message. */
  bodyLimit?: number;
  /** Legacy `error` text per code, for `config.legacy` routes (default: the error's message). */
  legacyText?: Readonly<Record<string, string>>;
  /** Codes of other workspaces' errors that may pass through as they are (e.g. `STORE_`). */
  passThroughPrefixes?: readonly string[];
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
  const ours = code.startsWith(`${opts.prefix}_`) || (opts.passThroughPrefixes ?? []).some((p) => code.startsWith(p));
  // Our own codes were written to be shown; anything else keeps its status class only.
  if (ours) return err;
  if (opts.clientErrorCodes?.includes(code)) return errors.validation(err.message);
  if (status < 500) return errors.validation(err.message);
  return errors.internal();
}

function send(
  reply: FastifyReply,
  req: FastifyRequest,
  err: FastifyError,
  legacyText: ErrorHandlerOptions['legacyText'],
): FastifyReply {
  const code = err.code;
  reply.code(err.statusCode ?? 500).header(ERROR_CODE_HEADER, code);
  const legacy = legacyText !== undefined && Object.hasOwn(legacyText, code) ? legacyText[code] : undefined;
  if (req.routeOptions.config?.legacy === true) return reply.send({ error: legacy ?? err.message });
  // `details` (our errors may carry one: field problems and the like) travels beside the message.
  const details = (err as { details?: unknown }).details;
  return reply.send({
    error: { code, message: err.message, ...(details !== undefined ? { details } : {}) },
    requestId: req.id,
  });
}

async function errorHandlerPlugin(app: FastifyInstance, opts: ErrorHandlerOptions): Promise<void> {
  const errors = serviceErrors(opts.prefix, opts.codes);
  app.setErrorHandler((raw: FastifyError, req, reply) => {
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
