// Records the sync worker indexed degraded (SYNC_ON_MAPPING_CONFLICT=degrade) keep their
// conflicting fields as an unindexed JSON string under meta.setAside; readers get the record as
// published: the fields back in place (oip.degraded still says they are not searchable).
import { restoreSetAside, type OipRecord } from '@oip/record-store';

/** The store's records with set-aside fields restored (records stored whole are returned as they are). */
export function restoreDegraded(records: OipRecord[]): OipRecord[] {
  return records.map(restoreSetAside);
}

/** The same for a getMany answer. */
export function restoreDegradedMap(records: Map<string, OipRecord>): Map<string, OipRecord> {
  for (const [did, r] of records) records.set(did, restoreSetAside(r));
  return records;
}
