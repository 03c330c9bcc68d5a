// POST /api/user/change-password: a signed-in user changes their password, giving the current
// one (legacy has no such route; its /reset-password, which takes no proof at all, is not served:
// the operator resets a password on the node, `node scripts/oip.mjs account reset-password`).
// The new password follows the registration rules; the mnemonic and key are sealed again under it;
// every token issued before (standard and calendar) stops working (the account's token stamp is
// renewed, in this process at once and in others within API_ACCOUNT_CACHE_TTL_MS), and the answer
// carries a fresh token. Rate limited like login, per account.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { LEGACY_TOKEN_EXPIRES_IN, legacyTokenClaims } from '@oip/accounts';
import { FieldsRequiredError, TokensDisabledError } from '../errors.js';
import { perCaller } from '../plugins/rate-limit.js';
import { legacyAccountBody, type LegacyCodes } from '../services/legacy-refusal.js';
import { bearer, errors, legacyErrors } from '../schemas/common.js';
import { TokenAnswer } from '../schemas/accounts.js';

export interface UserPasswordRouteOptions {
  loginLimit: { max: number; timeWindow: number };
  tokensEnabled: boolean;
}

const LEGACY_CODES: LegacyCodes = {
  API_ERR_FIELDS_REQUIRED: { status: 400 },
  ACCOUNTS_ERR_BAD_CREDENTIALS: { status: 401, text: 'Invalid password' },
  ACCOUNTS_ERR_INVALID_PASSWORD: { status: 400 },
};

// Optional here so a missing one gets the legacy-style answer, not the schema's.
const Body = Type.Object(
  { oldPassword: Type.Optional(Type.Unknown()), newPassword: Type.Optional(Type.Unknown()) },
  { examples: [{ oldPassword: 'correct horse battery staple', newPassword: 'a longer, newer passphrase' }] },
);

export default async function userPasswordRoutes(app: FastifyInstance, opts: UserPasswordRouteOptions): Promise<void> {
  app.post<{ Body: Static<typeof Body> }>(
    '/api/user/change-password',
    {
      onRequest: app.requireAuth,
      config: { rateLimit: perCaller(opts.loginLimit), legacyCodes: LEGACY_CODES, legacyBody: legacyAccountBody },
      schema: {
        summary: 'Change the password',
        operationId: 'changePassword',
        description: 'Every token issued before stops working; the answer carries a fresh one.',
        tags: ['accounts'],
        security: bearer,
        body: Body,
        response: {
          200: { ...TokenAnswer, description: 'Changed' },
          ...legacyErrors(
            [
              400,
              'A field missing or the new password refused (legacy body: API_ERR_FIELDS_REQUIRED, ACCOUNTS_ERR_INVALID_PASSWORD)',
            ],
            [
              401,
              'No token (API_ERR_TOKEN_REQUIRED), or the old password is wrong (legacy body: ACCOUNTS_ERR_BAD_CREDENTIALS)',
            ],
          ),
          ...errors(403, 429, [503, 'This api issues no tokens (API_ERR_TOKENS_DISABLED)']),
        },
      },
    },
    async (req) => {
      const { oldPassword, newPassword } = req.body;
      if (oldPassword === undefined || newPassword === undefined)
        throw new FieldsRequiredError('oldPassword and newPassword are required');
      if (!opts.tokensEnabled) throw new TokensDisabledError();
      const userId = req.auth.user!.userId;
      const account = await app.accounts.changePassword({ id: userId, oldPassword, newPassword });
      // This process refuses the old tokens from the next request on.
      app.accountStates.forget(userId);
      const token = app.jwt.sign(legacyTokenClaims(account), { expiresIn: LEGACY_TOKEN_EXPIRES_IN });
      return { success: true, message: 'Password changed successfully', token, publicKey: account.publicKey };
    },
  );
}
