// The access and schedule facts a store indexes beside a record (SQLite columns and grant rows;
// the same rules as the schema backfills: v2 for the columns, v7 for restriction and grants).
import { recordGrants } from './access.js';
import type { AccessOption, OipRecord } from './types.js';

export interface AccessColumns {
  /** Restricted (access.ts), not only `private`: the column keeps its v2 name. */
  accessPrivate: boolean;
  /** record_grants rows of a restricted record (grantee strings, grantee()). */
  grantees: string[];
  ownerKey: string | null;
  createdBy: string | null;
  /** workoutSchedule.scheduled_date / mealPlan.meal_date, unix seconds. */
  scheduledDate: number | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function accessColumns(record: OipRecord): AccessColumns {
  const ac = record.data['accessControl'] ?? {};
  const type = record.oip.recordType;
  const scheduledDate =
    type === 'workoutSchedule'
      ? num(record.data['workoutSchedule']?.['scheduled_date'])
      : type === 'mealPlan'
        ? num(record.data['mealPlan']?.['meal_date'])
        : null;
  const grants = recordGrants(record);
  return {
    accessPrivate: grants.restricted,
    grantees: [...grants.keys.map((k) => grantee('key', k)), ...grants.orgs.map((o) => grantee('org', o))],
    ownerKey: text(ac['owner_public_key']),
    createdBy: text(ac['created_by']),
    scheduledDate,
  };
}

/**
 * A record_grants grantee: `k:` + a public key or `o:` + an organization DID, so a key never
 * matches an organization's entry or the other way round.
 */
export function grantee(kind: 'key' | 'org', value: string): string {
  return `${kind === 'key' ? 'k' : 'o'}:${value}`;
}

/** The grantees a viewer reads through, or null for an anonymous viewer (public records only). */
export function viewerGrantees(access: AccessOption): string[] | null {
  const viewer = access.viewerPublicKey;
  if (viewer === null || viewer === '') return null;
  return [grantee('key', viewer), ...(access.viewerOrgDids ?? []).map((o) => grantee('org', o))];
}
