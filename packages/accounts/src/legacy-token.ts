// The claims of the JWT legacy login/register issue, so the api signs the same token shape.
// Legacy signed `{ userId, email, publicKey, isAdmin }` (HS256, JWT_SECRET, expiresIn '45d');
// its auth middleware (middleware/auth.js) read `scope` (default 'full') and `tokenType`
// (default 'standard'). We put both in explicitly; calendar tokens used
// `scope: 'calendar-read-only', tokenType: 'calendar'` (365 days) and are not issued here.
import type { PublicAccount } from './types.js';

/** Legacy `expiresIn` for login and register tokens (jsonwebtoken / @fastify/jwt syntax). */
export const LEGACY_TOKEN_EXPIRES_IN = '45d';
export const LEGACY_TOKEN_TTL_SECONDS = 45 * 24 * 60 * 60;

export interface LegacyTokenClaims {
  userId: string;
  email: string;
  publicKey: string;
  isAdmin: boolean;
  scope: 'full';
  tokenType: 'standard';
}

/** The claims for a standard (full-scope) token; the signer adds `iat` and `exp`. */
export function legacyTokenClaims(account: PublicAccount): LegacyTokenClaims {
  return {
    userId: account.id,
    email: account.email,
    publicKey: account.publicKey,
    isAdmin: account.isAdmin,
    scope: 'full',
    tokenType: 'standard',
  };
}
