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
// - any other scope: refused everywhere (API_ERR_TOKEN_SCOPE), the board session's among them.
//
// The dashboard (/admin/queues) is the one place a browser's cookie counts: requireBoardAdmin takes
// a bearer token as requireAdmin does, and without an Authorization header the board session cookie
// set by /admin/login (services/board-session.ts). No cookie: a browser's page request goes to the
// login page, anything else gets 401. A cookie that fails (bad signature, expired, not a board
// session, the account gone or its password changed since): the login page again, or 403. A valid
// session of an account no longer admin: 403. No other route reads the cookie.
import { timingSafeEqual } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CALENDAR_RECORD_TYPES, CALENDAR_SCOPE, CALENDAR_TOKEN_TYPE, tokenHash } from '@oip/accounts';
import { jwtAuth, userOfClaims, type AuthUser, type TokenClaims } from '@oip/service-kit/auth';
import {
  AdminRequiredError,
  ApiErrorCodes,
  TokenInvalidError,
  TokenRequiredError,
  TokenScopeError,
} from '../errors.js';
import { AccountStateCache } from '../services/account-state-cache.js';
import { BOARD_COOKIE, BOARD_SCOPE, loginUrl, wantsHtml } from '../services/board-session.js';

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
    /** onRequest hook of the dashboard: an admin's bearer token or board session cookie (see above). */
    requireBoardAdmin(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
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

  /** The account's current state while a token carrying `claimed` as its stamp is still its own; else null. */
  const liveAccount = async (userId: string, claimed: unknown): Promise<AccountNow | null> => {
    const state = await states.get(userId);
    const stamp = typeof claimed === 'string' ? claimed : null;
    return state !== null && state.tokenStamp === stamp ? state : null;
  };

  /** The user of a board session cookie, or null when it is not a live one. */
  const boardUser = async (cookie: string): Promise<AuthUser | null> => {
    if (opts.secret === undefined) return null;
    let claims: TokenClaims & { tokenStamp?: unknown };
    try {
      claims = app.jwt.verify<TokenClaims & { tokenStamp?: unknown }>(cookie);
    } catch {
      return null;
    }
    const user = userOfClaims(claims);
    if (user === null || user.scope !== BOARD_SCOPE) return null;
    const state = await liveAccount(user.userId, claims.tokenStamp);
    if (state === null) return null;
    user.isAdmin = state.isAdmin;
    return user;
  };

  /** What a verified bearer token's kind and stamp allow (see the header); throws the refusal. */
  const checkToken = async (req: FastifyRequest, user: AuthUser): Promise<void> => {
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
    const claimed = (req.user as { tokenStamp?: unknown } | undefined)?.tokenStamp;
    if ((await liveAccount(user.userId, claimed)) === null) throw new TokenInvalidError();
  };

  // Requests the board's guard checked whole (a board session's scope is refused by checkToken).
  const checked = new WeakSet<FastifyRequest>();
  app.decorate('requireBoardAdmin', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.headers.authorization !== undefined) {
      await app.requireAdmin(req, reply);
      const user = req.auth.user;
      if (user === null) throw new TokenRequiredError();
      // Here rather than at preValidation, so the board's guard answers every refusal itself.
      await checkToken(req, user);
      checked.add(req);
      return undefined;
    }
    const page = req.method === 'GET' && wantsHtml(req.headers.accept);
    const cookie = fastifyCookie.parse(req.headers.cookie ?? '')[BOARD_COOKIE];
    const user = cookie === undefined || cookie === '' ? undefined : await boardUser(cookie);
    if (user === undefined || user === null) {
      if (page) return reply.redirect(loginUrl(req.url), 303);
      throw user === undefined ? new TokenRequiredError() : new TokenInvalidError();
    }
    if (!user.isAdmin) throw new AdminRequiredError();
    checked.add(req);
    req.auth = { authenticated: true, user, publicKey: user.publicKey };
    return undefined;
  });

  // After the route's own auth hook (onRequest) has read the token, before anything reads the body.
  app.addHook('preValidation', async (req) => {
    const user = req.auth?.user;
    if (user === null || user === undefined || checked.has(req)) return;
    await checkToken(req, user);
  });
}

export default fp(authPlugin, { name: 'api-auth', fastify: '5.x' });
