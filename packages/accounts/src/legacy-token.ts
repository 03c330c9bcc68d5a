// The claims of the JWTs legacy issued, so the api signs the same token shapes.
// Standard tokens (login, register, import-wallet): `{ userId, email, publicKey, isAdmin }` (HS256,
// JWT_SECRET, expiresIn '45d'); legacy's auth middleware (middleware/auth.js) read `scope` (default
// 'full') and `tokenType` (default 'standard'): we put both in explicitly, and `tokenStamp` when the
// account has one (a password change renews it and the api refuses tokens of another stamp).
// Calendar tokens (routes/user.js /generate-calendar-token): `scope: 'calendar-read-only'`,
// `tokenType: 'calendar'`, `allowedRecordTypes: ['workoutSchedule', 'mealPlan']`, `isAdmin: false`,
// 365 days, plus a random `jti` (legacy had none: two tokens asked for in one second were the same
// token, so a new one could not retire the one before); the account keeps the SHA-256 of the one live
// token, which is what makes revocation work.
import { createHash, randomUUID } from 'node:crypto';
import type { PublicAccount } from './types.js';

/** Legacy `expiresIn` for login and register tokens (jsonwebtoken / @fastify/jwt syntax). */
export const LEGACY_TOKEN_EXPIRES_IN = '45d';
export const LEGACY_TOKEN_TTL_SECONDS = 45 * 24 * 60 * 60;

/** Legacy calendar token lifetime: `expiresIn: '365d'`, answered as `expiresIn: 31536000`. */
export const CALENDAR_TOKEN_EXPIRES_IN = '365d';
export const CALENDAR_TOKEN_TTL_SECONDS = 365 * 24 * 60 * 60;
export const CALENDAR_SCOPE = 'calendar-read-only';
export const CALENDAR_TOKEN_TYPE = 'calendar';
/** The record types a calendar token reads (legacy `allowedRecordTypes`). */
export const CALENDAR_RECORD_TYPES: readonly string[] = Object.freeze(['workoutSchedule', 'mealPlan']);

export interface LegacyTokenClaims {
  userId: string;
  email: string;
  publicKey: string;
  isAdmin: boolean;
  scope: 'full';
  tokenType: 'standard';
  tokenStamp?: string;
}

export interface CalendarTokenClaims {
  userId: string;
  email: string;
  publicKey: string;
  scope: typeof CALENDAR_SCOPE;
  allowedRecordTypes: string[];
  tokenType: typeof CALENDAR_TOKEN_TYPE;
  isAdmin: false;
  /** Random per token, so every calendar token (and its hash) is new. */
  jti: string;
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
    ...(account.tokenStamp === null ? {} : { tokenStamp: account.tokenStamp }),
  };
}

/** The claims for a calendar token (read-only, workoutSchedule and mealPlan); the signer adds `iat` and `exp`. */
export function calendarTokenClaims(account: PublicAccount, jti: string = randomUUID()): CalendarTokenClaims {
  return {
    userId: account.id,
    email: account.email,
    publicKey: account.publicKey,
    scope: CALENDAR_SCOPE,
    allowedRecordTypes: [...CALENDAR_RECORD_TYPES],
    tokenType: CALENDAR_TOKEN_TYPE,
    isAdmin: false,
    jti,
  };
}

/** Legacy `tokenHash`: SHA-256 of the signed token text, lowercase hex. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
