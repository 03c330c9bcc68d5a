// GET /api/user/mnemonic and POST /api/user/import-wallet, as legacy routes/user.js answers them.
//
// The mnemonic is shown only with the account's password. Legacy clients send it in the query
// (`GET /api/user/mnemonic?password=…`, the only form legacy reads): that form stays for them,
// and the route logs at warn level so its URL never reaches the request log. New clients send it
// in the body of `POST /api/user/mnemonic` `{ "password": … }`. Each is rate limited like login,
// per account (each route has its own budget, as login and register do). A calendar token cannot reach them (plugins/auth.ts).
//
// import-wallet (no token, as legacy): a user brings their mnemonic, and keeps the publisher key
// and DIDs it derives (m/44'/0'/0'/0/0, as legacy and @oip/accounts derive it). An email already
// taken answers legacy's 400; a key another account here holds already answers 409
// ACCOUNTS_ERR_KEY_TAKEN (one account per publisher key on a node).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LEGACY_TOKEN_EXPIRES_IN, legacyTokenClaims } from '@oip/accounts';
import { FieldsRequiredError, NoMnemonicError, TokensDisabledError } from '../errors.js';
import { perCaller } from '../plugins/rate-limit.js';
import { legacyAccountBody, type LegacyCodes } from '../services/legacy-refusal.js';
import { bearer, errors, legacyErrors } from '../schemas/common.js';
import { MnemonicAnswer, TokenAnswer } from '../schemas/accounts.js';

export interface UserWalletRouteOptions {
  /** The login rate limit (API_LOGIN_RATE_LIMIT per minute). */
  loginLimit: { max: number; timeWindow: number };
  tokensEnabled: boolean;
}

const MNEMONIC_MESSAGE = 'Save this mnemonic securely. You can use it to import your wallet on other OIP nodes.';

// Legacy statuses and texts (routes/user.js /mnemonic ~1155, /import-wallet ~1258).
const MNEMONIC_CODES: LegacyCodes = {
  API_ERR_FIELDS_REQUIRED: { status: 400 },
  ACCOUNTS_ERR_BAD_CREDENTIALS: { status: 401, text: 'Invalid password' },
  API_ERR_NO_MNEMONIC: { status: 404 },
  // A migrated account whose legacy-sealed secrets its password does not open: none to show here.
  ACCOUNTS_ERR_LEGACY_SECRETS_LOCKED: { status: 404, text: 'No mnemonic found for user' },
};
const IMPORT_CODES: LegacyCodes = {
  API_ERR_FIELDS_REQUIRED: { status: 400 },
  ACCOUNTS_ERR_INVALID_MNEMONIC: { status: 400, text: 'Invalid mnemonic phrase' },
  ACCOUNTS_ERR_INVALID_EMAIL: { status: 400 },
  ACCOUNTS_ERR_INVALID_PASSWORD: { status: 400 },
  ACCOUNTS_ERR_DUPLICATE_EMAIL: { status: 400, text: 'User already exists on this node' },
  ACCOUNTS_ERR_KEY_TAKEN: { status: 409, text: 'This wallet is already imported by another account on this node' },
};

const PasswordQuery = Type.Object({ password: Type.Optional(Type.String({ maxLength: 4096 })) });
const PasswordBody = Type.Object(
  { password: Type.Optional(Type.Unknown()) },
  { examples: [{ password: 'correct horse battery staple' }] },
);
// Loose on purpose: the account service owns the email, password and mnemonic rules (its codes name them).
// Optional here so a missing one gets legacy's answer, not the schema's.
const ImportBody = Type.Object(
  {
    email: Type.Optional(Type.Unknown()),
    password: Type.Optional(Type.Unknown()),
    mnemonic: Type.Optional(Type.Unknown({ description: 'A BIP-39 phrase' })),
  },
  {
    examples: [
      {
        email: 'ada@example.org',
        password: 'correct horse battery staple',
        mnemonic: 'abandon ability able about above absent absorb abstract absurd abuse access accident',
      },
    ],
  },
);
const mnemonicResponses = {
  200: { ...MnemonicAnswer, description: "The account's mnemonic" },
  ...legacyErrors(
    [400, 'No password given (legacy body: API_ERR_FIELDS_REQUIRED), or an invalid request'],
    [401, 'No token (API_ERR_TOKEN_REQUIRED), or a wrong password (legacy body: ACCOUNTS_ERR_BAD_CREDENTIALS)'],
    [404, 'The account holds no mnemonic (legacy body: API_ERR_NO_MNEMONIC, ACCOUNTS_ERR_LEGACY_SECRETS_LOCKED)'],
  ),
  ...errors(403, 429),
};

const given = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

export default async function userWalletRoutes(app: FastifyInstance, opts: UserWalletRouteOptions): Promise<void> {
  const mnemonicLimit = perCaller(opts.loginLimit);

  const mnemonicConfig = { rateLimit: mnemonicLimit, legacyCodes: MNEMONIC_CODES, legacyBody: legacyAccountBody };
  const reveal = async (req: FastifyRequest, password: unknown) => {
    if (!given(password)) throw new FieldsRequiredError('Password required to access mnemonic');
    const { mnemonic } = await app.accounts.unlockSecrets({ id: req.auth.user!.userId, password });
    if (mnemonic === null) throw new NoMnemonicError();
    return { success: true, mnemonic, message: MNEMONIC_MESSAGE };
  };

  app.get<{ Querystring: Static<typeof PasswordQuery> }>(
    '/api/user/mnemonic',
    {
      onRequest: app.requireAuth,
      // The legacy form carries the password in the URL: keep that URL out of the request log.
      logLevel: 'warn',
      config: mnemonicConfig,
      schema: {
        summary: 'Show the mnemonic (password in the query, legacy)',
        operationId: 'getMnemonic',
        description: "Legacy clients' form; new clients send the password in the body of POST /api/user/mnemonic.",
        tags: ['accounts'],
        security: bearer,
        querystring: PasswordQuery,
        response: mnemonicResponses,
      },
    },
    (req) => reveal(req, req.query.password),
  );

  app.post<{ Body: Static<typeof PasswordBody> }>(
    '/api/user/mnemonic',
    {
      onRequest: app.requireAuth,
      config: mnemonicConfig,
      schema: {
        summary: 'Show the mnemonic',
        operationId: 'revealMnemonic',
        tags: ['accounts'],
        security: bearer,
        body: PasswordBody,
        response: mnemonicResponses,
      },
    },
    (req) => reveal(req, req.body.password),
  );

  app.post<{ Body: Static<typeof ImportBody> }>(
    '/api/user/import-wallet',
    {
      config: { rateLimit: opts.loginLimit, legacyCodes: IMPORT_CODES, legacyBody: legacyAccountBody },
      schema: {
        summary: 'Import a wallet',
        operationId: 'importWallet',
        description: 'A new account that keeps the publisher key and DIDs its mnemonic derives.',
        tags: ['accounts'],
        body: ImportBody,
        response: {
          201: { ...TokenAnswer, description: 'Imported' },
          ...legacyErrors(
            [
              400,
              'A field missing or refused (legacy body: API_ERR_FIELDS_REQUIRED, ACCOUNTS_ERR_INVALID_MNEMONIC, ACCOUNTS_ERR_INVALID_EMAIL, ACCOUNTS_ERR_INVALID_PASSWORD, ACCOUNTS_ERR_DUPLICATE_EMAIL)',
            ],
            [409, 'Another account here holds that key (legacy body: ACCOUNTS_ERR_KEY_TAKEN)'],
          ),
          ...errors(429, [503, 'This api issues no tokens (API_ERR_TOKENS_DISABLED)']),
        },
      },
    },
    async (req, reply) => {
      const { email, password, mnemonic } = req.body;
      if (!given(email) || !given(password) || !given(mnemonic))
        throw new FieldsRequiredError('Email, password, and mnemonic are required');
      if (!opts.tokensEnabled) throw new TokensDisabledError();
      const { account } = await app.accounts.register({ email, password, mnemonic });
      app.accountStates.forget(account.id);
      const token = app.jwt.sign(legacyTokenClaims(account), { expiresIn: LEGACY_TOKEN_EXPIRES_IN });
      return reply
        .code(201)
        .send({ success: true, message: 'Wallet imported successfully', token, publicKey: account.publicKey });
    },
  );
}
