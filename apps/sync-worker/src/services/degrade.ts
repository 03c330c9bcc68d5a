// SYNC_ON_MAPPING_CONFLICT=degrade: a record whose only problems are fields that conflict with
// the store's fixed types is stored with those fields set aside (@oip/record-store's
// setAsideFields: kept as an unindexed JSON string under meta.setAside, flagged oip.degraded)
// instead of being dropped. The store names one conflict per write, so each round sets aside
// the field it named and writes again, up to MAX_SET_ASIDE_PATHS rounds.
import {
  MAX_SET_ASIDE_PATHS,
  setAsideFields,
  type BulkItemResult,
  type FieldConflict,
  type OipRecord,
} from '@oip/record-store';

export type DegradeOutcome =
  | { ok: true; record: OipRecord; conflicts: FieldConflict[] }
  /** Not degradable: a path that may not be set aside, a non-field failure, or too many fields. `result` is the last store answer. */
  | { ok: false; conflicts: FieldConflict[]; result: BulkItemResult | null };

/** Writes `record` with its conflicting fields set aside, starting from the store's first conflict. */
export async function storeDegraded(
  write: (r: OipRecord) => Promise<BulkItemResult>,
  record: OipRecord,
  first: FieldConflict,
): Promise<DegradeOutcome> {
  const conflicts: FieldConflict[] = [first];
  let current = record;
  for (let round = 0; round < MAX_SET_ASIDE_PATHS; round++) {
    const next = setAsideFields(current, [conflicts.at(-1)!.path]);
    if (next === null) return { ok: false, conflicts, result: null };
    current = next;
    const result = await write(current);
    if (result.ok) return { ok: true, record: current, conflicts };
    const c = result.error?.code === 'STORE_ERR_MAPPING' ? result.error.conflict : undefined;
    // Another kind of failure (limits, invalid, transient) is not a conflicting field.
    if (c === undefined || conflicts.some((x) => x.path === c.path)) return { ok: false, conflicts, result };
    conflicts.push(c);
  }
  return { ok: false, conflicts, result: null };
}
