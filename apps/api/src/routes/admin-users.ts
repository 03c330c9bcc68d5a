// GET /api/user/admin/users and POST /api/user/admin/update-status, as legacy routes/user.js
// (~948, ~982) answers them, for admins only (legacy checked `req.user.isAdmin` on routes that never
// read a token; here requireAdmin reads the account's stored flag). The list is paged (legacy
// answered every account at once) and carries no secret: id, email, statuses, creation time.
// update-status flips one status as legacy does: subscriptionStatus inactive ↔ active,
// paymentStatus Inactive ↔ Active.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { MAX_ACCOUNTS_LISTED, MAX_LIST_WINDOW, type PublicAccount } from '@oip/accounts';
import { InvalidQueryError, InvalidStatusFieldError } from '../errors.js';
import { legacyAccountBody, type LegacyCodes } from '../services/legacy-refusal.js';
import { bearer, errors, legacyErrors, requireAuthErrors } from '../schemas/common.js';
import { StatusAnswer, UsersPage } from '../schemas/accounts.js';

/** Accounts per page unless `limit` says otherwise. */
export const DEFAULT_USERS_PAGE = 100;

const LEGACY_CODES: LegacyCodes = {
  API_ERR_INVALID_FIELD: { status: 400 },
  ACCOUNTS_ERR_NOT_FOUND: { status: 404, text: 'User not found' },
};

const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST_WINDOW })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ACCOUNTS_LISTED })),
});
const StatusBody = Type.Object(
  {
    userId: Type.String({ minLength: 1, maxLength: 200 }),
    field: Type.Unknown({ description: 'subscriptionStatus or paymentStatus' }),
  },
  { examples: [{ userId: 'u_1', field: 'subscriptionStatus' }] },
);

const STATUS_FIELDS: ReadonlySet<unknown> = new Set(['subscriptionStatus', 'paymentStatus']);

/** The legacy list entry, plus when the account was made. */
const listed = (a: PublicAccount) => ({
  userId: a.id,
  email: a.email,
  subscriptionStatus: a.subscriptionStatus,
  paymentStatus: a.paymentStatus,
  createdAt: a.createdAt,
});

export default async function adminUserRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/user/admin/users',
    {
      onRequest: app.requireAdmin,
      schema: {
        summary: 'List accounts (admin)',
        operationId: 'listUsers',
        tags: ['admin'],
        security: bearer,
        querystring: ListQuery,
        response: {
          200: { ...UsersPage, description: 'A page of accounts' },
          ...errors([400, 'Invalid page or limit (API_VALIDATION, API_ERR_INVALID_QUERY)']),
          ...requireAuthErrors(),
        },
      },
    },
    async (req) => {
      const page = req.query.page ?? 1;
      const limit = req.query.limit ?? DEFAULT_USERS_PAGE;
      if (page * limit > MAX_LIST_WINDOW)
        throw new InvalidQueryError('page', `page × limit must not exceed ${MAX_LIST_WINDOW}`);
      const [users, total] = await Promise.all([
        app.accounts.list({ offset: (page - 1) * limit, limit }),
        app.accounts.count(),
      ]);
      return {
        success: true,
        users: users.map(listed),
        total,
        page,
        limit,
        totalPages: Math.ceil(total / limit),
      };
    },
  );

  app.post<{ Body: Static<typeof StatusBody> }>(
    '/api/user/admin/update-status',
    {
      onRequest: app.requireAdmin,
      config: { legacyCodes: LEGACY_CODES, legacyBody: legacyAccountBody },
      schema: {
        summary: "Toggle an account's status (admin)",
        operationId: 'updateUserStatus',
        description: 'subscriptionStatus inactive ↔ active, paymentStatus Inactive ↔ Active.',
        tags: ['admin'],
        security: bearer,
        body: StatusBody,
        response: {
          200: { ...StatusAnswer, description: 'Toggled' },
          ...legacyErrors(
            [400, 'Not a status field (legacy body: API_ERR_INVALID_FIELD), or an invalid request'],
            [404, 'No such account (legacy body: ACCOUNTS_ERR_NOT_FOUND)'],
          ),
          ...requireAuthErrors(),
        },
      },
    },
    async (req) => {
      const { userId, field } = req.body;
      if (!STATUS_FIELDS.has(field)) throw new InvalidStatusFieldError();
      const account = await app.accounts.toggleStatus(userId, field as 'subscriptionStatus' | 'paymentStatus');
      return { success: true, message: 'User status updated successfully', user: listed(account) };
    },
  );
}
