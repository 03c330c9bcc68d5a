// @oip/service-kit/testing: helpers for tests of the services, kept out of the runtime entries.
// HS256 tokens signed with node:crypto, independently of the @fastify/jwt the services verify with.
import { createHmac } from 'node:crypto';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A JWT over `claims` (plus `iat`), signed HS256 with `secret`; `header` lets tests forge `alg: none` and the like. */
export function signToken(
  claims: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const body = `${b64(header)}.${b64({ iat: Math.floor(Date.now() / 1000), ...claims })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
