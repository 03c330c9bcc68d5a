import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { jwtAuth } from '../src/auth.js';
import { errorHandling } from '../src/fastify.js';
import { defaultNodeId } from '../src/index.js';
import { signToken } from '../src/testing.js';

const SECRET = 'kit-test-secret-0123456789';
const codes = {
  tokenInvalid: 'SVC_ERR_TOKEN_INVALID',
  tokenRequired: 'SVC_ERR_TOKEN_REQUIRED',
  adminRequired: 'SVC_ERR_ADMIN_REQUIRED',
};

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

/** The house body of a refusal (the service's error handler answers it). */
const refusal = (code: string, message: string) => ({ error: { code, message }, requestId: expect.any(String) });
const INVALID = refusal(codes.tokenInvalid, 'Invalid or expired token');

async function make(secret: string | undefined): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  apps.push(app);
  await app.register(errorHandling, { prefix: 'SVC' });
  await app.register(jwtAuth, { secret, codes });
  app.get('/legacy', { onRequest: app.requireAuth, config: { legacy: true } }, async () => ({ ok: true }));
  app.get('/open', { onRequest: app.optionalAuth }, async (req) => req.auth);
  app.get('/write', { onRequest: app.requireAuth }, async (req) => ({ key: req.auth.publicKey }));
  app.get('/admin', { onRequest: app.requireAdmin }, async () => ({ ok: true }));
  return app;
}

const bearer = (claims: Record<string, unknown>, secret = SECRET, header?: Record<string, unknown>) => ({
  authorization: `Bearer ${signToken(claims, secret, header)}`,
});

describe('jwtAuth', () => {
  it('reads a valid token into request.auth, publisherPubKey as the key when publicKey is absent', async () => {
    const app = await make(SECRET);
    const res = await app.inject({
      url: '/open',
      headers: bearer({ userId: 'u1', email: 'a@example.org', publisherPubKey: 'pk-a' }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      authenticated: true,
      publicKey: 'pk-a',
      user: { userId: 'u1', email: 'a@example.org', publicKey: 'pk-a', isAdmin: false, scope: 'full', tokenType: null },
    });
    expect((await app.inject('/open')).json()).toEqual({ authenticated: false, user: null, publicKey: null });
  });

  it('refuses bad tokens with 403 and the service code; requireAuth without a token is 401', async () => {
    const app = await make(SECRET);
    const bad = [
      bearer({ userId: 'u', email: 'e' }, 'another-secret-of-16-chars'),
      bearer({ userId: 'u', email: 'e' }, SECRET, { alg: 'none', typ: 'JWT' }),
      bearer({ email: 'e' }),
      { authorization: 'Basic dTpw' },
    ];
    for (const headers of bad) {
      const res = await app.inject({ url: '/open', headers });
      expect(res.statusCode).toBe(403);
      expect(res.headers['x-error-code']).toBe(codes.tokenInvalid);
      expect(res.json()).toEqual(INVALID);
    }
    const none = await app.inject('/write');
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual(refusal(codes.tokenRequired, 'Authentication token required'));
  });

  it("answers a refusal on a legacy route with that route's legacy body, the code in the header", async () => {
    const app = await make(SECRET);
    const none = await app.inject('/legacy');
    expect([none.statusCode, none.headers['x-error-code'], none.json()]).toEqual([
      401,
      codes.tokenRequired,
      { error: 'Authentication token required' },
    ]);
  });

  it('requireAdmin: 403 for a non-admin, 200 for isAdmin', async () => {
    const app = await make(SECRET);
    const user = await app.inject({ url: '/admin', headers: bearer({ userId: 'u', email: 'e' }) });
    expect(user.statusCode).toBe(403);
    expect(user.headers['x-error-code']).toBe(codes.adminRequired);
    expect(user.json()).toEqual(refusal(codes.adminRequired, 'Admin access required'));
    expect(
      (await app.inject({ url: '/admin', headers: bearer({ userId: 'u', email: 'e', isAdmin: true }) })).statusCode,
    ).toBe(200);
  });

  it('without a secret every bearer token is refused and anonymous reads still work', async () => {
    const app = await make(undefined);
    expect((await app.inject({ url: '/open', headers: bearer({ userId: 'u', email: 'e' }) })).statusCode).toBe(403);
    expect((await app.inject('/open')).statusCode).toBe(200);
    expect(app.hasDecorator('jwt')).toBe(false);
  });
});

describe('jwtAuth with accountState', () => {
  // The accounts as the service knows them now, by userId.
  const accounts = new Map<string, { isAdmin: boolean }>();
  const asked: string[] = [];
  async function makeWithAccounts(): Promise<FastifyInstance> {
    const app = Fastify({ logger: false });
    apps.push(app);
    await app.register(errorHandling, { prefix: 'SVC' });
    await app.register(jwtAuth, {
      secret: SECRET,
      codes,
      accountState: async (userId) => {
        asked.push(userId);
        if (userId === 'u-broken') throw new Error('accounts store unavailable');
        return accounts.get(userId) ?? null;
      },
    });
    app.get('/open', { onRequest: app.optionalAuth }, async (req) => req.auth);
    app.get('/write', { onRequest: app.requireAuth }, async (req) => ({ key: req.auth.publicKey }));
    app.get('/admin', { onRequest: app.requireAdmin }, async () => ({ ok: true }));
    return app;
  }
  afterEach(() => {
    accounts.clear();
    asked.length = 0;
  });

  it("refuses a valid token whose account is gone as an invalid token (403, the service's code)", async () => {
    const app = await makeWithAccounts();
    accounts.set('u1', { isAdmin: false });
    const token = bearer({ userId: 'u1', email: 'a@example.org', publicKey: 'pk-a' });
    expect((await app.inject({ url: '/write', headers: token })).json()).toEqual({ key: 'pk-a' });
    accounts.delete('u1');
    for (const url of ['/open', '/write', '/admin']) {
      const res = await app.inject({ url, headers: token });
      expect([res.statusCode, res.json()]).toEqual([403, INVALID]);
    }
  });

  it("takes the admin flag from the account, not the token's claim", async () => {
    const app = await makeWithAccounts();
    accounts.set('u-claims-admin', { isAdmin: false });
    accounts.set('u-granted', { isAdmin: true });
    const claimsAdmin = await app.inject({
      url: '/admin',
      headers: bearer({ userId: 'u-claims-admin', email: 'e', isAdmin: true }),
    });
    expect([claimsAdmin.statusCode, claimsAdmin.headers['x-error-code']]).toEqual([403, codes.adminRequired]);
    expect(
      (await app.inject({ url: '/admin', headers: bearer({ userId: 'u-granted', email: 'g', isAdmin: false }) }))
        .statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ url: '/open', headers: bearer({ userId: 'u-granted', email: 'g' }) })).json().user.isAdmin,
    ).toBe(true);
  });

  it('asks only for tokens that verify; a failing lookup fails the request instead of letting it through', async () => {
    const app = await makeWithAccounts();
    accounts.set('u1', { isAdmin: true });
    expect(
      (await app.inject({ url: '/admin', headers: bearer({ userId: 'u1', email: 'e' }, 'another-secret-of-16-chars') }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({
          url: '/admin',
          headers: bearer({ userId: 'u1', email: 'e' }, SECRET, { alg: 'none', typ: 'JWT' }),
        })
      ).statusCode,
    ).toBe(403);
    expect(asked).toEqual([]);
    expect(
      (await app.inject({ url: '/admin', headers: bearer({ userId: 'u-broken', email: 'e', isAdmin: true }) }))
        .statusCode,
    ).toBe(500);
    expect(asked).toEqual(['u-broken']);
  });
});

describe('defaultNodeId', () => {
  it('is 16 hex, stable per host and port, different across ports', () => {
    expect(defaultNodeId(3006, 'h')).toMatch(/^[0-9a-f]{16}$/);
    expect(defaultNodeId(3006, 'h')).toBe(defaultNodeId(3006, 'h'));
    expect(defaultNodeId(3006, 'h')).not.toBe(defaultNodeId(3005, 'h'));
  });
});
