// The calendar week (Monday 00:00 to Sunday 23:59:59, UTC) a moment falls in.

const DAY_MS = 86_400_000;

export interface Week {
  /** Monday 00:00:00 UTC. */
  start: Date;
  /** Sunday 23:59:59 UTC. */
  end: Date;
}

export function weekOf(moment: Date): Week {
  const midnight = Date.UTC(moment.getUTCFullYear(), moment.getUTCMonth(), moment.getUTCDate());
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  const start = midnight - sinceMonday * DAY_MS;
  return { start: new Date(start), end: new Date(start + 7 * DAY_MS - 1000) };
}

/** `days` days after the week's Monday, at `hour`:00 UTC, in unix seconds (as records date days). */
export function dayOf(week: Week, days: number, hour = 12): number {
  return Math.floor((week.start.getTime() + days * DAY_MS + hour * 3_600_000) / 1000);
}

/** YYYY-MM-DD of a unix-seconds time. */
export const isoDay = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString().slice(0, 10);
