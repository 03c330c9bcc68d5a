// Repairing the Redis state from the store after a loss, without fetching again what the store
// already holds.
//
// Every record the worker writes carries `oip.syncVersion`: the registry version (entry
// timestamp) its job was queued at. The registry timestamp is the only version discovery
// knows, and the store keeps it beside the record, so "already indexed at this version" is one
// store read and a string compare. `indexedAt` would not do: it is our clock, the registry
// timestamp the publisher's, and comparing them trusts both clocks.
//
// While repair mode is on (StateWatch, after a loss), a fresh job (not a replay, first
// attempt) whose record is in the store at the same version is finished as indexed straight
// away: no relay GET, no store write. Anything else (absent, other version, older record
// without a stamp) runs the whole pipeline. Outside repair mode nothing extra is read.
import type { OipRecord, RecordStore } from '@oip/record-store';
import type { SyncRecordPayload } from '@oip/queue-contracts';
import type { SyncState } from '@oip/sync-state';

/** The store field that holds the registry version a record was synced at. */
const SYNC_VERSION_FIELD = 'syncVersion';

/** `record` stamped with the registry version its job was queued at. */
export function withSyncVersion(record: OipRecord, version: string): OipRecord {
  return { ...record, oip: { ...record.oip, [SYNC_VERSION_FIELD]: version } };
}

export interface RepairDeps {
  store: RecordStore;
  state: SyncState;
  /** Called per job finished from the store. */
  onRepaired?(): void;
}

/**
 * Finishes the job of `p` from the store when the store holds its record at its version (the
 * caller asks only in repair mode, for a fresh job); null when the pipeline must run.
 */
export async function finishFromStore(
  p: SyncRecordPayload,
  deps: RepairDeps,
): Promise<'indexed' | 'gone' | 'stale' | null> {
  const stored = await deps.store.get(p.did);
  if (!stored || stored.oip[SYNC_VERSION_FIELD] !== p.version) return null;
  const r = await deps.state.finish(p.did, p.version, 0, 'indexed');
  if (r === 'finished') {
    deps.onRepaired?.();
    return 'indexed';
  }
  if (r === 'stale') return 'stale';
  // Deleted meanwhile (finished as gone): the deletion wins, as in the pipeline.
  await deps.store.delete(p.did);
  return 'gone';
}
