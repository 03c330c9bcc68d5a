// Write authentication: a shared bearer token, or an HMAC-SHA256 keyed by that token over
// `<timestamp>.<raw body>` (headers `x-oip-timestamp: <ms since epoch>` and
// `x-oip-signature: sha256=<hex>`). A signature is accepted once, and only while its timestamp is
// within `hmacWindowSeconds` of now: a captured body cannot roll a record back later, nor be
// replayed at once. Routes opt in with `config: { write: true }`.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { ReplaySetFullError, SignatureExpiredError, SignatureReplayedError, UnauthorizedError } from '../errors.js';
import { ReplayGuard } from '../services/replay-guard.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route writes to GUN and needs write auth when auth is on. */
    write?: boolean;
  }
}

/** Header carrying the HMAC in `hmac` mode. */
export const SIGNATURE_HEADER = 'x-oip-signature';
/** Header carrying the signed timestamp in `hmac` mode (ms since epoch; seconds accepted). */
export const TIMESTAMP_HEADER = 'x-oip-timestamp';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
/** Constant-time comparison that does not leak the length of the secret. */
const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/** The signature a client sends for `body` sent at `timestamp` (the `x-oip-timestamp` value) in hmac mode. */
export function signBody(secret: string, body: string, timestamp: number | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Both hmac-mode headers for `body`, signed now. */
export function signedHeaders(secret: string, body: string, now = Date.now()): Record<string, string> {
  return { [TIMESTAMP_HEADER]: String(now), [SIGNATURE_HEADER]: signBody(secret, body, now) };
}

/** The timestamp header as ms since epoch (values below 1e12 are seconds), or null when malformed. */
function timestampMs(raw: string): number | null {
  if (!/^\d{1,16}$/.test(raw)) return null;
  const n = Number(raw);
  return n < 1e12 ? n * 1000 : n;
}

export type AuthResult = { ok: true; signature?: string } | { ok: false; error: Error };

export function checkAuth(
  req: FastifyRequest,
  config: Pick<Config, 'authMode' | 'authToken' | 'hmacWindowSeconds'>,
  now = Date.now(),
): AuthResult {
  const { authMode: mode, authToken: secret } = config;
  const fail = (why: string): AuthResult => ({ ok: false, error: new UnauthorizedError(why) });
  if (mode === 'none' || !secret) return { ok: true };
  if (mode === 'token') {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m?.[1]) return fail('missing bearer token');
    return same(m[1].trim(), secret) ? { ok: true } : fail('invalid bearer token');
  }
  const sig = req.headers[SIGNATURE_HEADER];
  if (typeof sig !== 'string' || sig.length === 0) return fail(`missing ${SIGNATURE_HEADER} header`);
  const ts = req.headers[TIMESTAMP_HEADER];
  if (typeof ts !== 'string' || ts.length === 0) return fail(`missing ${TIMESTAMP_HEADER} header`);
  const ms = timestampMs(ts);
  if (ms === null) return fail(`${TIMESTAMP_HEADER} must be ms (or s) since epoch`);
  const expected = signBody(secret, req.rawBody ?? '', ts);
  const given = (sig.startsWith('sha256=') ? sig : `sha256=${sig}`).toLowerCase();
  if (!same(given, expected)) return fail('invalid body signature');
  // Checked after the signature, so an unsigned request learns nothing about the window.
  if (Math.abs(now - ms) > config.hmacWindowSeconds * 1000)
    return { ok: false, error: new SignatureExpiredError(config.hmacWindowSeconds) };
  return { ok: true, signature: expected };
}

async function authPlugin(app: FastifyInstance, opts: { config: Config }): Promise<void> {
  const { config } = opts;
  if (config.authMode === 'none') return;
  const replays = new ReplayGuard({ max: config.hmacNonceMax, ttlMs: config.hmacWindowSeconds * 1000 });
  app.addHook('preHandler', async (req) => {
    if (!req.routeOptions.config.write) return;
    const result = checkAuth(req, config);
    if (!result.ok) throw result.error;
    if (!result.signature) return;
    const claim = replays.claim(result.signature);
    if (claim === 'replayed') throw new SignatureReplayedError();
    if (claim === 'full') throw new ReplaySetFullError(config.hmacNonceMax, config.hmacWindowSeconds);
  });
}

export default fp(authPlugin, { name: 'gun-proxy-auth', fastify: '5.x' });
