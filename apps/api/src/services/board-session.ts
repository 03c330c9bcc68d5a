// The dashboard's browser session. An admin who logs in at /admin/login gets a JWT signed with the
// node's secret like every token, but scoped to the board ('admin-board') and valid 30 minutes,
// in an HttpOnly, SameSite=Strict cookie on /admin (Secure when the request came over https, as
// Fastify reads it, so behind a trusted proxy too). The auth plugin's requireBoardAdmin is the one
// place that reads it, for /admin/queues only; as a bearer token it is refused everywhere (its
// scope is not 'full'). It carries the account's token stamp, so a password change ends it, and
// the admin flag is read from the account on every request, so a revoked admin is out at once
// (within the account cache's TTL).
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { PublicAccount } from '@oip/accounts';

export const BOARD_PATH = '/admin/queues';
export const LOGIN_PATH = '/admin/login';
export const LOGOUT_PATH = '/admin/logout';
export const BOARD_COOKIE = 'oip_board_session';
export const BOARD_SCOPE = 'admin-board';
/** How long a board session lasts, in seconds (the token's `exp` and the cookie's Max-Age). */
export const BOARD_SESSION_SECONDS = 30 * 60;

/** What a board session token says; the signer adds `iat` and `exp`. */
export interface BoardSessionClaims {
  userId: string;
  email: string;
  scope: typeof BOARD_SCOPE;
  tokenStamp?: string;
}

export function boardSessionClaims(account: PublicAccount): BoardSessionClaims {
  return {
    userId: account.id,
    email: account.email,
    scope: BOARD_SCOPE,
    ...(account.tokenStamp === null ? {} : { tokenStamp: account.tokenStamp }),
  };
}

/** The cookie's attributes; `secure: 'auto'` sets Secure for a request Fastify sees as https. */
export function boardCookieOptions(): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/admin', secure: 'auto', maxAge: BOARD_SESSION_SECONDS };
}

/** The longest `next` the login takes (its query and body schemas say the same). */
export const MAX_NEXT_LENGTH = 2048;

/**
 * Where to send the browser after a login: `next` when it is a page of the board, else the board
 * itself (never another origin or another part of the api).
 */
export function boardTarget(next: unknown): string {
  if (typeof next !== 'string' || next.length > MAX_NEXT_LENGTH) return BOARD_PATH;
  const onBoard = next === BOARD_PATH || next.startsWith(`${BOARD_PATH}/`) || next.startsWith(`${BOARD_PATH}?`);
  return onBoard && !/[\\\s]/.test(next) ? next : BOARD_PATH;
}

/** The login page's address that comes back to `target` after the login. */
export function loginUrl(target: string): string {
  return `${LOGIN_PATH}?next=${encodeURIComponent(boardTarget(target))}`;
}

/** Whether the client asked for an HTML page (a browser's navigation), not JSON. */
export function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('text/html');
}
