// Bounds both account stores apply the same way.

/** The most admins `listAdmins` answers, whatever the caller asks. */
export const MAX_ADMINS_LISTED = 1000;

/** `limit` clamped to 0..MAX_ADMINS_LISTED (default the maximum). */
export function adminListLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return MAX_ADMINS_LISTED;
  return Math.max(0, Math.min(MAX_ADMINS_LISTED, Math.floor(limit)));
}
