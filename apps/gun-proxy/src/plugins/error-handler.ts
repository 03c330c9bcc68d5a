// One error handler and one 404 handler. Legacy relay routes (`config.legacy`) answer exactly the
// legacy body `{ "error": "<text>" }` so legacy clients keep working; the stable code travels in
// the `x-error-code` header. Every other route answers `{ error: { code, message }, requestId }`.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BodyTooLargeError, InternalError, InvalidJsonError, LEGACY_ERROR_TEXT, RouteNotFoundError, ValidationError } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer errors with the legacy relay body. */
    legacy?: boolean;
    /** The error a schema validation failure becomes on this route (the legacy text differs per route). */
    validationError?: () => FastifyError;
  }
}

export const ERROR_CODE_HEADER = 'x-error-code';

function normalise(err: FastifyError, req: FastifyRequest, bodyLimit: number): FastifyError {
  if (err.validation) return req.routeOptions.config?.validationError?.() ?? new ValidationError(err.message);
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new BodyTooLargeError(bodyLimit);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new InvalidJsonError();
  }
  if (typeof err.code === 'string' && err.code.startsWith('GUNPROXY_')) return err;
  const status = err.statusCode ?? 500;
  if (status < 500) return new ValidationError(err.message);
  return new InternalError();
}

function send(reply: FastifyReply, req: FastifyRequest, err: FastifyError, legacy: boolean): FastifyReply {
  const code = err.code;
  reply.code(err.statusCode ?? 500).header(ERROR_CODE_HEADER, code);
  if (legacy) return reply.send({ error: LEGACY_ERROR_TEXT[code] ?? err.message });
  return reply.send({ error: { code, message: err.message }, requestId: req.id });
}

async function errorHandlerPlugin(app: FastifyInstance, opts: { bodyLimit: number }): Promise<void> {
  app.setErrorHandler((raw: FastifyError, req, reply) => {
    const err = normalise(raw, req, opts.bodyLimit);
    if ((err.statusCode ?? 500) >= 500) req.log.error({ err: raw }, 'request failed');
    return send(reply, req, err, req.routeOptions.config?.legacy === true);
  });
  app.setNotFoundHandler((req, reply) => send(reply, req, new RouteNotFoundError(req.method, req.url.split('?')[0]), false));
}

export default fp(errorHandlerPlugin, { name: 'gun-proxy-error-handler', fastify: '5.x' });
