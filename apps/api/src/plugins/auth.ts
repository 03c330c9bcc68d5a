// The api's bearer-token auth: the service kit's JWT plugin (optionalAuth / requireAuth /
// requireAdmin, legacy 401/403 bodies) with the api's codes. apps/media verifies the same tokens
// with the same plugin.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { jwtAuth } from '@oip/service-kit/auth';
import { ApiErrorCodes } from '../errors.js';

export type { AuthUser, RequestAuth, TokenClaims } from '@oip/service-kit/auth';

const codes = { tokenInvalid: ApiErrorCodes.TOKEN_INVALID, tokenRequired: ApiErrorCodes.TOKEN_REQUIRED, adminRequired: ApiErrorCodes.ADMIN_REQUIRED };

async function authPlugin(app: FastifyInstance, opts: { secret: string | undefined }): Promise<void> {
  await app.register(jwtAuth, { secret: opts.secret, codes });
}

export default fp(authPlugin, { name: 'api-auth', fastify: '5.x' });
