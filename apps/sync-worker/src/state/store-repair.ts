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
// without a stamp) runs the normal processor. Outside repair mode nothing extra is read.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Job } from 'bullmq';
import type { OipRecord, RecordStore } from '@oip/record-store';
import { SyncRecordPayloadSchema, validatePayload } from '@oip/queue-contracts';
import { MicroBatcher, type MicroBatcherOptions } from '../services/batcher.js';
import type { SyncState } from '@oip/sync-state';

/** The version of the job running in the current async context. */
const jobVersion = new AsyncLocalStorage<string>();

/** The store field that holds the registry version a record was synced at. */
export const SYNC_VERSION_FIELD = 'syncVersion';

/** Stamps each record added from inside a job with that job's version. */
export class StampingBatcher<R> extends MicroBatcher<OipRecord, R> {
  constructor(opts: MicroBatcherOptions<OipRecord, R>) {
    super(opts);
  }

  override add(record: OipRecord): Promise<R> {
    const version = jobVersion.getStore();
    return super.add(
      version === undefined ? record : { ...record, oip: { ...record.oip, [SYNC_VERSION_FIELD]: version } },
    );
  }
}

export interface RepairDeps {
  store: RecordStore;
  state: SyncState;
  /** Repair mode (StateWatch.repairing). */
  repairing(): boolean;
  /** Called per job finished from the store. */
  onRepaired?(): void;
}

/**
 * Wraps the record processor: runs it inside its job's version context (for the stamp) and,
 * in repair mode, finishes jobs the store already holds at their version.
 */
export function withStoreRepair<T>(
  process: (job: Job) => Promise<T>,
  deps: RepairDeps,
): (job: Job) => Promise<T | 'indexed' | 'gone' | 'stale'> {
  return async (job: Job) => {
    let p;
    try {
      p = validatePayload(SyncRecordPayloadSchema, job.data, 'sync-record payload');
    } catch {
      return process(job); // the processor fails a malformed job its own way
    }
    if (deps.repairing() && !p.replay && job.attemptsMade === 0) {
      const stored = await deps.store.get(p.did);
      if (stored && stored.oip[SYNC_VERSION_FIELD] === p.version) {
        const r = await deps.state.finish(p.did, p.version, 0, 'indexed');
        if (r === 'finished') {
          deps.onRepaired?.();
          return 'indexed';
        }
        if (r === 'stale') return 'stale';
        // Deleted meanwhile (finished as gone): the deletion wins, as in the processor.
        await deps.store.delete(p.did);
        return 'gone';
      }
    }
    const version = p.version;
    return jobVersion.run(version, () => process(job));
  };
}
