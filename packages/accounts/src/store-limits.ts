// Bounds both account stores apply the same way.
import type { ListOptions } from './types.js';

/** The most admins `listAdmins` answers, whatever the caller asks. */
export const MAX_ADMINS_LISTED = 1000;

/** The most accounts one `list` page holds. */
export const MAX_ACCOUNTS_LISTED = 1000;

/**
 * How deep `list` pages reach (offset + limit): Elasticsearch's default `index.max_result_window`.
 * Both stores answer nothing past it, so they agree.
 */
export const MAX_LIST_WINDOW = 10_000;

/** The most accounts `listByPublicKey` answers. */
export const MAX_KEY_HOLDERS_LISTED = 1000;

const clamp = (n: number, min: number, max: number): number => Math.max(min, Math.min(max, Math.floor(n)));

/** `limit` clamped to 0..MAX_ADMINS_LISTED (default the maximum). */
export function adminListLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return MAX_ADMINS_LISTED;
  return clamp(limit, 0, MAX_ADMINS_LISTED);
}

/** `limit` of listByPublicKey clamped to 1..MAX_KEY_HOLDERS_LISTED. */
export function keyHoldersLimit(limit: number): number {
  return Number.isFinite(limit) ? clamp(limit, 1, MAX_KEY_HOLDERS_LISTED) : MAX_KEY_HOLDERS_LISTED;
}

/** A `list` page as both stores read it: offset 0.., limit 0..MAX_ACCOUNTS_LISTED, never past MAX_LIST_WINDOW. */
export function listWindow(options: ListOptions = {}): { offset: number; limit: number } {
  const offset =
    options.offset === undefined || !Number.isFinite(options.offset) ? 0 : clamp(options.offset, 0, MAX_LIST_WINDOW);
  const wanted =
    options.limit === undefined || !Number.isFinite(options.limit)
      ? MAX_ACCOUNTS_LISTED
      : clamp(options.limit, 0, MAX_ACCOUNTS_LISTED);
  return { offset, limit: Math.min(wanted, MAX_LIST_WINDOW - offset) };
}
