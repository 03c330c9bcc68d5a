// The dashboard's login: GET /admin/login serves a form, POST /admin/login checks the email and
// password with the accounts service (as POST /api/user/login does), requires the account's admin
// flag and sets the board session cookie (services/board-session.ts) before sending the browser to
// the board; POST /admin/logout clears it (GET /admin/logout: a page with that button, linked from
// the board). The login is rate limited per client address like the user login.
// A browser (Accept: text/html) gets a refusal as the form again with the reason, at the refusal's
// status; other clients get the house error body. The form posts urlencoded; JSON works too.
// CSRF: the cookie is SameSite=Strict, so no other site's page can make the browser send it, and
// the board is read-only (see docs/security.md).
import fastifyCookie from '@fastify/cookie';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ERROR_CODE_HEADER } from '@oip/service-kit/fastify';
import { AdminRequiredError, LoginFailedError, TokensDisabledError } from '../errors.js';
import { ErrorBody, errors } from '../schemas/common.js';
import {
  BOARD_COOKIE,
  BOARD_SESSION_SECONDS,
  LOGIN_PATH,
  LOGOUT_PATH,
  MAX_NEXT_LENGTH,
  boardCookieOptions,
  boardSessionClaims,
  boardTarget,
  wantsHtml,
} from '../services/board-session.js';
import { loginPage, logoutPage } from './admin-login-page.js';

export interface AdminLoginOptions {
  loginLimit: { max: number; timeWindow: number };
  tokensEnabled: boolean;
}

const Next = Type.String({
  maxLength: MAX_NEXT_LENGTH,
  description: 'The board page to open after the login (default /admin/queues)',
});
const LoginQuery = Type.Object({ next: Type.Optional(Next) });
const LoginBody = Type.Object({
  email: Type.String({ maxLength: 320 }),
  password: Type.String({ maxLength: 1024 }),
  next: Type.Optional(Next),
});
const html = (description: string) => ({ description, content: { 'text/html': { schema: Type.String() } } });
const refusal = (description: string) => ({
  description: `${description}: the form again with the reason (HTML) or the error body (JSON)`,
  content: { 'text/html': { schema: Type.String() }, 'application/json': { schema: ErrorBody } },
});
const seeOther = (description: string) => ({ description, type: 'null' });

/** A urlencoded body as the form sends it, in a null-prototype object (the body schema picks the fields). */
function formFields(body: string): Record<string, string> {
  const fields = Object.create(null) as Record<string, string>;
  for (const [name, value] of new URLSearchParams(body)) fields[name] = value;
  return fields;
}

export default async function adminLoginRoutes(app: FastifyInstance, opts: AdminLoginOptions): Promise<void> {
  // Setting and clearing the cookie only; the one place that reads it is the auth plugin.
  await app.register(fastifyCookie, { hook: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, formFields(body as string));
  });
  const page = 'text/html; charset=utf-8';

  app.get<{ Querystring: Static<typeof LoginQuery> }>(
    LOGIN_PATH,
    {
      schema: {
        summary: 'The login form of the BullMQ dashboard',
        operationId: 'getAdminLogin',
        tags: ['admin'],
        querystring: LoginQuery,
        response: { 200: html('The login form') },
      },
    },
    async (req, reply) => reply.type(page).send(loginPage({ next: boardTarget(req.query.next) })),
  );

  app.post<{ Body: Static<typeof LoginBody> }>(
    LOGIN_PATH,
    {
      config: { rateLimit: opts.loginLimit },
      schema: {
        summary: 'Log in to the BullMQ dashboard (an admin account): sets its session cookie',
        operationId: 'adminLogin',
        description: `Sets the ${BOARD_COOKIE} cookie (HttpOnly, SameSite=Strict, Path=/admin, ${BOARD_SESSION_SECONDS / 60} minutes), which /admin/queues accepts in place of a bearer token, and redirects to the board.`,
        tags: ['admin'],
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        body: LoginBody,
        response: {
          303: seeOther('Logged in: the cookie is set and Location is the board'),
          401: refusal('Wrong email or password (API_ERR_LOGIN_FAILED)'),
          403: refusal('The account is not an admin (API_ERR_ADMIN_REQUIRED)'),
          ...errors(
            [400, 'A field missing or too long (API_VALIDATION)'],
            [429, 'Too many logins from this address (API_ERR_RATE_LIMITED)'],
          ),
          ...errors([503, 'The api has no JWT secret and cannot sign sessions (API_ERR_TOKENS_DISABLED)']),
        },
      },
    },
    async (req, reply) => {
      const next = boardTarget(req.body.next);
      try {
        if (!opts.tokensEnabled) throw new TokensDisabledError();
        const account = await app.accounts
          .authenticate({ email: req.body.email, password: req.body.password })
          .catch((err: unknown) => {
            throw (err as { code?: unknown }).code === 'ACCOUNTS_ERR_BAD_CREDENTIALS' ? new LoginFailedError() : err;
          });
        if (!account.isAdmin) throw new AdminRequiredError();
        // The board's first request reads the flag just checked, not an older cached one.
        app.accountStates.forget(account.id);
        const session = app.jwt.sign(boardSessionClaims(account), { expiresIn: BOARD_SESSION_SECONDS });
        return reply.setCookie(BOARD_COOKIE, session, boardCookieOptions()).redirect(next, 303);
      } catch (err) {
        const { statusCode, code, message } = err as { statusCode?: number; code?: unknown; message?: string };
        if (!wantsHtml(req.headers.accept) || statusCode === undefined || statusCode >= 500) throw err;
        if (typeof code === 'string') reply.header(ERROR_CODE_HEADER, code);
        return reply
          .code(statusCode)
          .type(page)
          .send(loginPage({ next, email: req.body.email, message }));
      }
    },
  );

  app.get(
    LOGOUT_PATH,
    {
      schema: {
        summary: 'A page with the button that ends the dashboard session',
        operationId: 'getAdminLogout',
        tags: ['admin'],
        response: { 200: html('The logout form') },
      },
    },
    async (_req, reply) => reply.type(page).send(logoutPage()),
  );

  app.post(
    LOGOUT_PATH,
    {
      schema: {
        summary: 'End the dashboard session: clears its cookie',
        operationId: 'adminLogout',
        tags: ['admin'],
        response: { 303: seeOther('The cookie is cleared and Location is the login page') },
      },
    },
    async (_req, reply) => {
      const { maxAge: _ignored, ...attributes } = boardCookieOptions();
      return reply.clearCookie(BOARD_COOKIE, attributes).redirect(LOGIN_PATH, 303);
    },
  );
}
