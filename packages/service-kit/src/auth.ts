// @oip/service-kit/auth: the node's bearer-token auth as a Fastify plugin.
export { jwtAuth, userOfClaims } from './jwt-auth.js';
export type { AccountState, AuthUser, JwtAuthCodes, JwtAuthOptions, RequestAuth, TokenClaims } from './jwt-auth.js';
