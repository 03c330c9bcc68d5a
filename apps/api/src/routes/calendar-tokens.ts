// POST /api/user/generate-calendar-token and /revoke-calendar-token, as legacy routes/user.js
// (~1486, ~1594) answers them: a JWT with the legacy calendar claims (read-only scope,
// workoutSchedule and mealPlan, 365 days) and its SHA-256 (`tokenHash`, which FitnessAlly keeps as
// the token's id). The account keeps the hash of its one live calendar token: generating a new one
// replaces it (the previous token stops working), revoking clears it, and the auth plugin checks
// the hash on every use, uncached (plugins/auth.ts), so both take effect at once everywhere.
// Only a standard token may ask (a calendar token cannot mint or revoke one). Legacy's
// /generate-calendar-jwt and /revoke-calendar-jwt pair is not served: no legacy client or
// FitnessAlly document calls it.
import type { FastifyInstance } from 'fastify';
import {
  CALENDAR_RECORD_TYPES,
  CALENDAR_SCOPE,
  CALENDAR_TOKEN_EXPIRES_IN,
  CALENDAR_TOKEN_TTL_SECONDS,
  calendarTokenClaims,
  tokenHash,
} from '@oip/accounts';
import { TokenInvalidError, TokensDisabledError } from '../errors.js';
import { perCaller } from '../plugins/rate-limit.js';
import { bearer, errors, requireAuthErrors, SuccessMessage } from '../schemas/common.js';
import { CalendarTokenAnswer } from '../schemas/accounts.js';

export interface CalendarTokenRouteOptions {
  /** The write rate limit (API_WRITE_RATE_LIMIT per minute), per account. */
  writeLimit: { max: number; timeWindow: number };
  tokensEnabled: boolean;
}

export default async function calendarTokenRoutes(
  app: FastifyInstance,
  opts: CalendarTokenRouteOptions,
): Promise<void> {
  const rateLimit = perCaller(opts.writeLimit);

  app.post(
    '/api/user/generate-calendar-token',
    {
      onRequest: app.requireAuth,
      config: { rateLimit },
      schema: {
        summary: 'Generate a calendar token',
        operationId: 'generateCalendarToken',
        description:
          'A read-only token (365 days) for GET /api/records of workoutSchedule and mealPlan; it replaces the previous one.',
        tags: ['accounts'],
        security: bearer,
        response: {
          200: { ...CalendarTokenAnswer, description: 'The new calendar token' },
          ...requireAuthErrors(),
          ...errors(429, [503, 'This api issues no tokens (API_ERR_TOKENS_DISABLED)']),
        },
      },
    },
    async (req) => {
      if (!opts.tokensEnabled) throw new TokensDisabledError();
      const account = await app.accounts.get(req.auth.user!.userId);
      // The auth hook read this account a moment ago; gone since is a token that no longer works.
      if (account === null) throw new TokenInvalidError();
      const calendarJWT = app.jwt.sign(calendarTokenClaims(account), { expiresIn: CALENDAR_TOKEN_EXPIRES_IN });
      const hash = tokenHash(calendarJWT);
      const createdAt = new Date();
      await app.accounts.setCalendarToken(account.id, hash, createdAt);
      return {
        success: true,
        calendarJWT,
        tokenHash: hash,
        scope: CALENDAR_SCOPE,
        allowedRecordTypes: [...CALENDAR_RECORD_TYPES],
        expiresIn: CALENDAR_TOKEN_TTL_SECONDS,
        createdAt: createdAt.getTime(),
        message:
          'Calendar token generated successfully. This token provides read-only access to workouts and meal plans for 1 year.',
      };
    },
  );

  app.post(
    '/api/user/revoke-calendar-token',
    {
      onRequest: app.requireAuth,
      config: { rateLimit },
      schema: {
        summary: 'Revoke the calendar token',
        operationId: 'revokeCalendarToken',
        tags: ['accounts'],
        security: bearer,
        response: { 200: { ...SuccessMessage, description: 'Revoked' }, ...requireAuthErrors(), ...errors(429) },
      },
    },
    async (req) => {
      const revoked = await app.accounts.revokeCalendarToken(req.auth.user!.userId).then(
        () => true,
        (err: unknown) => {
          if ((err as { code?: unknown }).code === 'ACCOUNTS_ERR_NOT_FOUND') return false;
          throw err;
        },
      );
      if (!revoked) throw new TokenInvalidError();
      return {
        success: true,
        message: 'Calendar token revoked successfully. Generate a new token to restore calendar access.',
      };
    },
  );
}
