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
const PasswordBody = Type.Object({ password: Type.Optional(Type.Unknown()) });
// Loose on purpose: the account service owns the email, password and mnemonic rules (its codes name them).
// Optional here so a missing one gets legacy's answer, not the schema's.
const ImportBody = Type.Object({
  email: Type.Optional(Type.Unknown()),
  password: Type.Optional(Type.Unknown()),
  mnemonic: Type.Optional(Type.Unknown()),
});

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
      schema: { querystring: PasswordQuery, tags: ['accounts'] },
    },
    (req) => reveal(req, req.query.password),
  );

  app.post<{ Body: Static<typeof PasswordBody> }>(
    '/api/user/mnemonic',
    {
      onRequest: app.requireAuth,
      config: mnemonicConfig,
      schema: { body: PasswordBody, tags: ['accounts'] },
    },
    (req) => reveal(req, req.body.password),
  );

  app.post<{ Body: Static<typeof ImportBody> }>(
    '/api/user/import-wallet',
    {
      config: { rateLimit: opts.loginLimit, legacyCodes: IMPORT_CODES, legacyBody: legacyAccountBody },
      schema: { body: ImportBody, tags: ['accounts'] },
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
