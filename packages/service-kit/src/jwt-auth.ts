/// <reference types="@fastify/jwt" preserve="true" />
// (Keeps @fastify/jwt's own typings, app.jwt and req.jwtVerify, in the emitted declarations.)
// Bearer-token auth shared by the services that read the node's tokens (api, media): HS256 with
// the node's JWT_SECRET and the legacy claims. optionalAuth (legacy optionalAuthenticateToken):
// no Authorization header → anonymous; a valid `Bearer <JWT>` → `request.auth` carries the user
// and the public key that unlocks their private data; anything else → 403. requireAuth /
// requireAdmin guard writes and admin routes (401 without a token, as legacy). A refusal is thrown
// as an error with the service's own code (each service passes its codes), so the service's error
// handler answers it like any other: the house body, or the legacy body on a legacy route.
// A token says who signed in, not what they may do now: with `accountState` the service asks its
// accounts for the account's current state after the signature checks out, so a deleted account's
// token is refused as an invalid one and the admin flag is the stored one, not the token's.
import createError from '@fastify/error';
import fastifyJwt from '@fastify/jwt';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

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
  /** The caller's publisher key; null for anonymous callers (they see public data only). */
  publicKey: string | null;
}

/** The stable codes a service's refusals carry (in its error body and the x-error-code header). */
export interface JwtAuthCodes {
  /** 403: a token that is malformed, badly signed, expired or lacks the claims. */
  tokenInvalid: string;
  /** 401: requireAuth without an Authorization header. */
  tokenRequired: string;
  /** 403: requireAdmin with a valid token that is not an admin's. */
  adminRequired: string;
}

/** What a service's accounts say about a token's user now; null when the account is gone. */
export interface AccountState {
  isAdmin: boolean;
}

export interface JwtAuthOptions {
  /**
   * HS256 secret. Without one (test configs) every request is anonymous and every bearer token is
   * refused (403); `app.jwt` is not decorated.
   */
  secret: string | undefined;
  codes: JwtAuthCodes;
  /**
   * The current state of the account a verified token names (by `userId`), read on every
   * authenticated request (the caller bounds and caches it). null → the token is refused like an
   * invalid one; a rejection fails the request (the error handler's 5xx), never lets it through.
   * Without it the token's own claims decide (a service with no accounts store).
   */
  accountState?: (userId: string) => Promise<AccountState | null>;
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
    /** onRequest hook for admin routes: requireAuth, then 403 unless the user is an admin (the account's flag with `accountState`, else the token's). */
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

const BEARER = /^Bearer [A-Za-z0-9._~+/=-]+$/;

/** The user a token's claims describe, or null when the required claims are missing. */
export function userOfClaims(claims: TokenClaims): AuthUser | null {
  if (
    typeof claims !== 'object' ||
    claims === null ||
    typeof claims.userId !== 'string' ||
    typeof claims.email !== 'string'
  )
    return null;
  const key =
    typeof claims.publicKey === 'string'
      ? claims.publicKey
      : typeof claims.publisherPubKey === 'string'
        ? claims.publisherPubKey
        : null;
  return {
    userId: claims.userId,
    email: claims.email,
    publicKey: key,
    isAdmin: claims.isAdmin === true,
    scope: typeof claims.scope === 'string' ? claims.scope : 'full',
    tokenType: typeof claims.tokenType === 'string' ? claims.tokenType : null,
  };
}

async function jwtAuthPlugin(app: FastifyInstance, opts: JwtAuthOptions): Promise<void> {
  const { codes, secret, accountState } = opts;
  if (secret !== undefined) {
    app.register(fastifyJwt, { secret, sign: { algorithm: 'HS256' }, verify: { algorithms: ['HS256'] } });
  }
  const TokenInvalid = createError(codes.tokenInvalid, 'Invalid or expired token', 403);
  const TokenRequired = createError(codes.tokenRequired, 'Authentication token required', 401);
  const AdminRequired = createError(codes.adminRequired, 'Admin access required', 403);
  app.decorateRequest('auth', null as unknown as RequestAuth);
  app.addHook('onRequest', async (req) => {
    req.auth = ANONYMOUS;
  });
  app.decorate('optionalAuth', async (req: FastifyRequest) => {
    if (req.headers.authorization === undefined) return;
    if (secret === undefined || !BEARER.test(req.headers.authorization)) throw new TokenInvalid();
    let claims: TokenClaims;
    try {
      claims = await req.jwtVerify<TokenClaims>();
    } catch {
      throw new TokenInvalid();
    }
    const user = userOfClaims(claims);
    if (!user) throw new TokenInvalid();
    if (accountState !== undefined) {
      const state = await accountState(user.userId);
      if (state === null) throw new TokenInvalid();
      user.isAdmin = state.isAdmin;
    }
    req.auth = { authenticated: true, user, publicKey: user.publicKey };
  });
  app.decorate('requireAuth', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.headers.authorization === undefined) throw new TokenRequired();
    await app.optionalAuth(req, reply);
  });
  app.decorate('requireAdmin', async (req: FastifyRequest, reply: FastifyReply) => {
    await app.requireAuth(req, reply);
    if (req.auth.user?.isAdmin !== true) throw new AdminRequired();
  });
}

/** The optionalAuth / requireAuth / requireAdmin decorators and `request.auth` (root level). */
export const jwtAuth = fp(jwtAuthPlugin, { name: 'oip-jwt-auth', fastify: '5.x' });
