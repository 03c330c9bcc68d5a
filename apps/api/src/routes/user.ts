// POST /api/user/register and /api/user/login with the legacy bodies and answers: a JWT (HS256,
// JWT_SECRET, legacy claims, 45 days) and the publisher public key; register also shows the new
// mnemonic once. Both are rate limited per client address (Redis-backed, shared by instances).
// The accounts service's refusals answer the legacy `{ success: false, error }` with their stable
// code beside it (the error handler, by the routes' `legacyCodes`); other errors the house body.
// Nobody becomes an admin over HTTP: tokens carry the stored flag, which only the operator's
// `oip admin grant|revoke` changes (and the auth plugin reads the current flag on every request).
//
// Register still answers 400 "User is already registered." for a taken email. Answering it as a
// new registration would not hide the account: the legacy contract hands a working session (token)
// and the new key's mnemonic back at once, with no email to confirm, so the caller learns the truth
// with one more request (log in with the password just sent, or use the token: a decoy's fails).
// It would also hand the real owner, re-registering by mistake, a mnemonic for a key that is not
// theirs. Hiding existence needs an emailed confirmation step the legacy clients do not have;
// until then the answer stays honest and enumeration is bounded by the per-address rate limit
// (API_LOGIN_RATE_LIMIT, shared with login).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { LEGACY_TOKEN_EXPIRES_IN, legacyTokenClaims, type PublicAccount } from '@oip/accounts';
import { TokensDisabledError } from '../errors.js';
import { legacyAccountBody, type LegacyCodes } from '../services/legacy-refusal.js';
import { errors, legacyErrors } from '../schemas/common.js';
import { CREDENTIALS_EXAMPLE, RegisterAnswer, TokenAnswer } from '../schemas/accounts.js';

// Loose on purpose: the account service owns the email and password rules (its codes name them).
const Credentials = Type.Object(
  { email: Type.Unknown({ description: 'An email address' }), password: Type.Unknown() },
  { examples: [CREDENTIALS_EXAMPLE] },
);
const REFUSED =
  'Refused: the legacy body for the accounts codes (ACCOUNTS_ERR_INVALID_EMAIL, ACCOUNTS_ERR_INVALID_PASSWORD, ACCOUNTS_ERR_DUPLICATE_EMAIL, ACCOUNTS_ERR_BAD_CREDENTIALS), the house body otherwise';
const accountErrors = {
  ...legacyErrors([400, REFUSED]),
  ...errors(429, [503, 'This api issues no tokens (API_ERR_TOKENS_DISABLED)']),
};

export interface UserRouteOptions {
  loginLimit: { max: number; timeWindow: number };
  tokensEnabled: boolean;
}

/** Legacy status and text (default: the error's message) per accounts error code; anything else answers the house body. */
const LEGACY_CODES: LegacyCodes = {
  ACCOUNTS_ERR_INVALID_EMAIL: { status: 400 },
  ACCOUNTS_ERR_INVALID_PASSWORD: { status: 400 },
  ACCOUNTS_ERR_INVALID_MNEMONIC: { status: 400 },
  ACCOUNTS_ERR_DUPLICATE_EMAIL: { status: 400, text: 'User is already registered.' },
  ACCOUNTS_ERR_BAD_CREDENTIALS: { status: 400, text: 'Invalid password' },
};

export default async function userRoutes(app: FastifyInstance, opts: UserRouteOptions): Promise<void> {
  const rateLimit = opts.loginLimit;
  const sign = (account: PublicAccount): string => {
    if (!opts.tokensEnabled) throw new TokensDisabledError();
    return app.jwt.sign(legacyTokenClaims(account), { expiresIn: LEGACY_TOKEN_EXPIRES_IN });
  };

  app.post<{ Body: Static<typeof Credentials> }>(
    '/api/user/register',
    {
      config: { rateLimit, legacyCodes: LEGACY_CODES, legacyBody: legacyAccountBody },
      schema: {
        summary: 'Register an account',
        operationId: 'register',
        description:
          'Makes the account and its publisher key; answers a token and, this once, the mnemonic. Rate limited per client address.',
        tags: ['accounts'],
        body: Credentials,
        response: { 201: { ...RegisterAnswer, description: 'Registered' }, ...accountErrors },
      },
    },
    async (req, reply) => {
      const registered = await app.accounts.register({ email: req.body.email, password: req.body.password });
      const account = registered.account;
      // A new account may reuse an email (and a deleted account's cached state) only by id: start clean.
      app.accountStates.forget(account.id);
      return reply.code(201).send({
        success: true,
        message: 'User registered successfully',
        token: sign(account),
        publicKey: account.publicKey,
        mnemonic: registered.mnemonic,
      });
    },
  );

  app.post<{ Body: Static<typeof Credentials> }>(
    '/api/user/login',
    {
      config: { rateLimit, legacyCodes: LEGACY_CODES, legacyBody: legacyAccountBody },
      schema: {
        summary: 'Log in',
        operationId: 'login',
        description: 'Answers a token (45 days). Rate limited per client address.',
        tags: ['accounts'],
        body: Credentials,
        response: { 200: { ...TokenAnswer, description: 'Logged in' }, ...accountErrors },
      },
    },
    async (req) => {
      const account = await app.accounts.authenticate({ email: req.body.email, password: req.body.password });
      // The token carries the flag just read; requests made with it read the same, not a cached older one.
      app.accountStates.forget(account.id);
      return { success: true, message: 'Login successful', token: sign(account), publicKey: account.publicKey };
    },
  );
}
