// The api's bearer-token auth: the service kit's JWT plugin (optionalAuth / requireAuth /
// requireAdmin, legacy 401/403 bodies) with the api's codes. After a token verifies, its account's
// current state decides: a deleted account's token is refused as an invalid one and the admin flag
// is the stored one (granted and revoked with `oip admin`), read through a bounded short-TTL cache
// (API_ACCOUNT_CACHE_TTL_MS), so a change takes effect within that TTL. apps/media verifies the
// same tokens with the same plugin but has no accounts store: see apps/media's README.
//
// Token kinds, checked before validation on every route that read a token:
// - standard (scope 'full'): refused once the account's token stamp differs from the token's (a
//   password change or the operator's reset renews it), within the same cache TTL.
// - calendar (scope 'calendar-read-only' / tokenType 'calendar', legacy /generate-calendar-token):
//   only GET /api/records with recordType workoutSchedule or mealPlan (403 API_ERR_TOKEN_SCOPE
//   otherwise: no writes, no other route, not even reads of other types), and only while the
//   account holds its hash: read from the store on every use, uncached, so a revocation or a new
//   token is in force at once in every api process sharing the store.
// - any other scope: refused everywhere (API_ERR_TOKEN_SCOPE).
import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CALENDAR_RECORD_TYPES, CALENDAR_SCOPE, CALENDAR_TOKEN_TYPE, tokenHash } from '@oip/accounts';
import { jwtAuth, type AuthUser } from '@oip/service-kit/auth';
import { ApiErrorCodes, TokenInvalidError, TokenScopeError } from '../errors.js';
import { AccountStateCache } from '../services/account-state-cache.js';

export type { AuthUser, RequestAuth, TokenClaims } from '@oip/service-kit/auth';

/** What a standard token is checked against, cached per account. */
interface AccountNow {
  isAdmin: boolean;
  tokenStamp: string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The current state of the accounts behind tokens (`forget(userId)` after a change made here). */
    accountStates: AccountStateCache<AccountNow>;
  }
}

const codes = {
  tokenInvalid: ApiErrorCodes.TOKEN_INVALID,
  tokenRequired: ApiErrorCodes.TOKEN_REQUIRED,
  adminRequired: ApiErrorCodes.ADMIN_REQUIRED,
};

export interface AuthPluginOptions {
  secret: string | undefined;
  /** The account-state cache: TTL (0 = none) and most entries. */
  accountCache: { ttlMs: number; max: number };
}

/** A calendar token, by either of the claims legacy set on it. */
export function isCalendarToken(user: AuthUser): boolean {
  return user.scope === CALENDAR_SCOPE || user.tokenType === CALENDAR_TOKEN_TYPE;
}

/** The one request a calendar token may make: GET /api/records of one of its record types. */
function calendarMayRead(req: FastifyRequest): boolean {
  if (req.method !== 'GET' || req.routeOptions.url !== '/api/records') return false;
  const recordType = (req.query as Record<string, unknown> | undefined)?.['recordType'];
  return typeof recordType === 'string' && CALENDAR_RECORD_TYPES.includes(recordType);
}

/** The signed token text of a request that verified (`Bearer <JWT>`). */
function bearerToken(req: FastifyRequest): string {
  return (req.headers.authorization ?? '').slice('Bearer '.length);
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

async function authPlugin(app: FastifyInstance, opts: AuthPluginOptions): Promise<void> {
  // `app.accounts` (plugins/accounts.ts) is registered after this plugin; it is read per request.
  const states = new AccountStateCache<AccountNow>({
    ...opts.accountCache,
    lookup: async (userId) => {
      const state = await app.accounts.sessionState(userId);
      return state === null ? null : { isAdmin: state.isAdmin, tokenStamp: state.tokenStamp };
    },
  });
  app.decorate('accountStates', states);
  await app.register(jwtAuth, { secret: opts.secret, codes, accountState: (userId) => states.get(userId) });

  // After the route's own auth hook (onRequest) has read the token, before anything reads the body.
  app.addHook('preValidation', async (req) => {
    const user = req.auth?.user;
    if (user === null || user === undefined) return;
    if (isCalendarToken(user)) {
      if (!calendarMayRead(req)) throw new TokenScopeError(CALENDAR_RECORD_TYPES.join(' or '));
      const state = await app.accounts.sessionState(user.userId);
      const live = state?.calendarTokenHash ?? null;
      if (live === null || !sameHash(live, tokenHash(bearerToken(req)))) throw new TokenInvalidError();
      // What legacy answered for a calendar token: never an admin, whatever the account is.
      user.isAdmin = false;
      return;
    }
    if (user.scope !== 'full') throw new TokenScopeError(CALENDAR_RECORD_TYPES.join(' or '));
    const state = await states.get(user.userId);
    const claimed = (req.user as { tokenStamp?: unknown } | undefined)?.tokenStamp;
    const stamp = typeof claimed === 'string' ? claimed : null;
    if (state === null || state.tokenStamp !== stamp) throw new TokenInvalidError();
  });
}

export default fp(authPlugin, { name: 'api-auth', fastify: '5.x' });
