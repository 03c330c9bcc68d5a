// Write authentication: a shared bearer token, or an HMAC-SHA256 of the raw body keyed by that
// token (header `x-oip-signature: sha256=<hex>`). Routes opt in with `config: { write: true }`.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { UnauthorizedError } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route writes to GUN and needs write auth when auth is on. */
    write?: boolean;
  }
}

/** Header carrying the HMAC of the raw body in `hmac` mode. */
export const SIGNATURE_HEADER = 'x-oip-signature';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
/** Constant-time comparison that does not leak the length of the secret. */
const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/** The signature a client sends for `body` in hmac mode. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function authProblem(req: FastifyRequest, mode: Config['authMode'], secret: string | undefined): string | null {
  if (mode === 'none' || !secret) return null;
  if (mode === 'token') {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m?.[1]) return 'missing bearer token';
    return same(m[1].trim(), secret) ? null : 'invalid bearer token';
  }
  const sig = req.headers[SIGNATURE_HEADER];
  if (typeof sig !== 'string' || sig.length === 0) return `missing ${SIGNATURE_HEADER} header`;
  const expected = signBody(secret, req.rawBody ?? '');
  const given = sig.startsWith('sha256=') ? sig : `sha256=${sig}`;
  return same(given.toLowerCase(), expected) ? null : 'invalid body signature';
}

async function authPlugin(app: FastifyInstance, opts: { config: Config }): Promise<void> {
  const { authMode, authToken } = opts.config;
  if (authMode === 'none') return;
  app.addHook('preHandler', async (req) => {
    if (!req.routeOptions.config.write) return;
    const problem = authProblem(req, authMode, authToken);
    if (problem) throw new UnauthorizedError(problem);
  });
}

export default fp(authPlugin, { name: 'gun-proxy-auth', fastify: '5.x' });
