// Optional auth on reads (legacy optionalAuthenticateToken): no Authorization header → anonymous;
// a valid `Bearer <JWT>` (HS256, JWT_SECRET, legacy claims) → `request.auth` carries the user and
// the public key that unlocks their private records; anything else → 403 with the legacy body.
// requireAuth / requireAdmin guard writes and admin routes (401 without a token, as legacy).
import fastifyJwt from '@fastify/jwt';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODE_HEADER } from '@oip/service-kit/fastify';
import { ApiErrorCodes } from '../errors.js';

/** The legacy token claims the node reads. */
export interface TokenClaims {
  userId: string;
  email: string;
  publicKey?: string;
  publisherPubKey?: string;
  isAdmin?: boolean;
  scope?: string;
  tokenType?: string;
}

export interface AuthUser {
  userId: string;
  email: string;
  publicKey: string | null;
  isAdmin: boolean;
  scope: string;
  tokenType: string | null;
}

export interface RequestAuth {
  authenticated: boolean;
  user: AuthUser | null;
  /** The caller's publisher key; null for anonymous callers (they see public records only). */
  publicKey: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth;
  }
  interface FastifyInstance {
    /** onRequest hook for optional-auth routes. */
    optionalAuth(req: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** onRequest hook for routes that need a valid token (401 without one, 403 for a bad one). */
    requireAuth(req: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** onRequest hook for admin routes: requireAuth, then 403 unless the token says isAdmin. */
    requireAdmin(req: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims;
    user: TokenClaims;
  }
}

const ANONYMOUS: RequestAuth = Object.freeze({ authenticated: false, user: null, publicKey: null }) as RequestAuth;

function userOf(claims: TokenClaims): AuthUser | null {
  if (typeof claims !== 'object' || claims === null || typeof claims.userId !== 'string' || typeof claims.email !== 'string') return null;
  const key = typeof claims.publicKey === 'string' ? claims.publicKey : typeof claims.publisherPubKey === 'string' ? claims.publisherPubKey : null;
  return {
    userId: claims.userId,
    email: claims.email,
    publicKey: key,
    isAdmin: claims.isAdmin === true,
    scope: typeof claims.scope === 'string' ? claims.scope : 'full',
    tokenType: typeof claims.tokenType === 'string' ? claims.tokenType : null,
  };
}

function refuse(reply: FastifyReply): FastifyReply {
  // The legacy body, with the stable code beside it and in the header.
  return reply
    .code(403)
    .header(ERROR_CODE_HEADER, ApiErrorCodes.TOKEN_INVALID)
    .send({ error: 'Forbidden', message: 'Invalid or expired token', code: ApiErrorCodes.TOKEN_INVALID });
}

function unauthorized(reply: FastifyReply): FastifyReply {
  return reply
    .code(401)
    .header(ERROR_CODE_HEADER, ApiErrorCodes.TOKEN_REQUIRED)
    .send({ error: 'Unauthorized', message: 'Authentication token required', code: ApiErrorCodes.TOKEN_REQUIRED });
}

function notAdmin(reply: FastifyReply): FastifyReply {
  return reply
    .code(403)
    .header(ERROR_CODE_HEADER, ApiErrorCodes.ADMIN_REQUIRED)
    .send({ error: 'Forbidden', message: 'Admin access required', code: ApiErrorCodes.ADMIN_REQUIRED });
}

async function authPlugin(app: FastifyInstance, opts: { secret: string | undefined }): Promise<void> {
  if (opts.secret !== undefined) {
    app.register(fastifyJwt, { secret: opts.secret, sign: { algorithm: 'HS256' }, verify: { algorithms: ['HS256'] } });
  }
  app.decorateRequest('auth', null as unknown as RequestAuth);
  app.addHook('onRequest', async (req) => {
    req.auth = ANONYMOUS;
  });
  app.decorate('optionalAuth', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.headers.authorization === undefined) return;
    if (opts.secret === undefined || !/^Bearer [A-Za-z0-9._~+/=-]+$/.test(req.headers.authorization)) {
      await refuse(reply);
      return;
    }
    let claims: TokenClaims;
    try {
      claims = await req.jwtVerify<TokenClaims>();
    } catch {
      await refuse(reply);
      return;
    }
    const user = userOf(claims);
    if (!user) {
      await refuse(reply);
      return;
    }
    req.auth = { authenticated: true, user, publicKey: user.publicKey };
  });
  app.decorate('requireAuth', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.headers.authorization === undefined) {
      await unauthorized(reply);
      return;
    }
    await app.optionalAuth(req, reply);
  });
  app.decorate('requireAdmin', async (req: FastifyRequest, reply: FastifyReply) => {
    await app.requireAuth(req, reply);
    if (reply.sent) return;
    if (req.auth.user?.isAdmin !== true) await notAdmin(reply);
  });
}

export default fp(authPlugin, { name: 'api-auth', fastify: '5.x' });
