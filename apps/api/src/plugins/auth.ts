// The api's bearer-token auth: the service kit's JWT plugin (optionalAuth / requireAuth /
// requireAdmin, legacy 401/403 bodies) with the api's codes. After a token verifies, its account's
// current state decides: a deleted account's token is refused as an invalid one and the admin flag
// is the stored one (granted and revoked with `oip admin`), read through a bounded short-TTL cache
// (API_ACCOUNT_CACHE_TTL_MS), so a change takes effect within that TTL. apps/media verifies the
// same tokens with the same plugin but has no accounts store: see apps/media's README.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { jwtAuth } from '@oip/service-kit/auth';
import { ApiErrorCodes } from '../errors.js';
import { AccountStateCache } from '../services/account-state-cache.js';

export type { AuthUser, RequestAuth, TokenClaims } from '@oip/service-kit/auth';

declare module 'fastify' {
  interface FastifyInstance {
    /** The current state of the accounts behind tokens (`forget(userId)` after a change made here). */
    accountStates: AccountStateCache;
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

async function authPlugin(app: FastifyInstance, opts: AuthPluginOptions): Promise<void> {
  // `app.accounts` (plugins/accounts.ts) is registered after this plugin; it is read per request.
  const states = new AccountStateCache({
    ...opts.accountCache,
    lookup: async (userId) => {
      const account = await app.accounts.get(userId);
      return account === null ? null : { isAdmin: account.isAdmin };
    },
  });
  app.decorate('accountStates', states);
  await app.register(jwtAuth, { secret: opts.secret, codes, accountState: (userId) => states.get(userId) });
}

export default fp(authPlugin, { name: 'api-auth', fastify: '5.x' });
