// Keep mirroring (issue 27): one follow pass reads the legacy records index's documents written
// since the high-water mark (follow-mark.ts, minus a lookback), and queues a migrate-record job
// (processors/migrate-record.ts: read again by id, converted and validated as `oip migrate records`
// converts, written through the worker's batcher) for each new or changed one, claimed in the
// sync state at its content hash like discovery claims a relay's record (services/discover-index.ts
// claimAndQueue). A document whose hash the store already holds (oip.migrationHash) is unchanged
// and not queued; a record the store holds without that hash (synced from a relay, published here)
// is never overwritten; by default only Arweave-origin documents are followed (`oip.storage`, else
// the DID's method, as the conversion reads them). The mark moves after each page is queued.
// The passes run on a BullMQ job scheduler, one at a time across the workers on the prefix
// (services/discovery-scheduler.ts with the follow queue).
import { JobNames, LEGACY_ES_SOURCE_PREFIX, type MigrateRecordPayload } from '@oip/queue-contracts';
import type { RecordStore } from '@oip/record-store';
import type { SyncState } from '@oip/sync-state';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { claimAndQueue, type IndexCounts } from '../services/discover-index.js';
import type { LegacyClient } from '../processors/migrate-record.js';
import type { SyncJobOptionsInput } from '@oip/queue-contracts';
import { changedSince, type FollowHit } from './follow-reader.js';
import type { FollowMark } from './follow-mark.js';
import { MIGRATION_HASH_FIELD, contentHash } from './migrate-batch.js';

/** The queue, job scheduler and job of the follow passes (only this worker produces and runs them). */
export const MIGRATE_FOLLOW_QUEUE = 'migrate-follow';
export const MIGRATE_FOLLOW_SCHEDULER_ID = 'migrate-follow-every';
export const MIGRATE_FOLLOW_JOB = 'migrate-follow';

export interface FollowPassDeps {
  client: LegacyClient;
  /** The legacy URL without credentials (legacy-sources.ts legacyUrlKey). */
  url: string;
  index: string;
  store: RecordStore;
  state: SyncState;
  recordsQueue: Queue;
  mark: FollowMark;
  jobOptions: SyncJobOptionsInput;
  logger: Logger;
  origin: 'arweave' | 'all';
  lookbackMs: number;
  pageSize: number;
  now?: () => number;
}

export interface FollowReport {
  /** Where the pass started (epoch ms of indexedAt; null: from the start). */
  from: number | null;
  /** The mark after the pass. */
  mark: number | null;
  read: number;
  /** Queued as new versions, or again for a record still in flight. */
  queued: number;
  requeued: number;
  /** The store holds this content already. */
  unchanged: number;
  /** The store holds the record from elsewhere (no migration hash): never overwritten. */
  held: number;
  /** GUN-origin (or other) documents left out; documents without a DID. */
  otherOrigin: number;
  noDid: number;
  /** Claimed by the sync state at the same version already, or deleted on this node. */
  deduplicated: number;
  deleted: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDid = (v: unknown): v is string => typeof v === 'string' && /^did:[a-z0-9]+:./.test(v) && v.length <= 1100;

/** The DID and origin the conversion gives a legacy document (convertLegacyIndexDoc's reading). */
function identify(hit: FollowHit): { did: string; storage: string; recordType: string } | null {
  const oip = isObj(hit.source) && isObj(hit.source['oip']) ? hit.source['oip'] : {};
  const did = isDid(oip['did']) ? oip['did'] : isDid(oip['didTx']) ? oip['didTx'] : isDid(hit.id) ? hit.id : null;
  if (did === null) return null;
  const storage = typeof oip['storage'] === 'string' && oip['storage'] !== '' ? oip['storage'] : did.split(':')[1]!;
  return { did, storage, recordType: typeof oip['recordType'] === 'string' ? oip['recordType'] : '' };
}

/** One follow pass; throws when the legacy index or Redis fails (the pages before stay queued). */
export async function runFollowPass(deps: FollowPassDeps): Promise<FollowReport> {
  const now = deps.now ?? Date.now;
  const started = now();
  const prev = await deps.mark.load();
  const from = prev === null ? null : prev.at - deps.lookbackMs;
  const rep: FollowReport = {
    from,
    mark: prev?.at ?? null,
    read: 0,
    queued: 0,
    requeued: 0,
    unchanged: 0,
    held: 0,
    otherOrigin: 0,
    noDid: 0,
    deduplicated: 0,
    deleted: 0,
  };
  const source = `${LEGACY_ES_SOURCE_PREFIX}${deps.url}/${deps.index}`;
  const arweaveOnly = deps.origin === 'arweave';
  for await (const page of changedSince(deps.client, deps.index, deps.pageSize, { from, arweaveOnly })) {
    rep.read += page.length;
    const found: Array<MigrateRecordPayload & { hash: string }> = [];
    for (const hit of page) {
      const who = identify(hit);
      if (who === null) rep.noDid++;
      else if (arweaveOnly && who.storage !== 'arweave') rep.otherOrigin++;
      else {
        const hash = contentHash(hit.source);
        found.push({
          did: who.did,
          docId: hit.id,
          kind: 'records',
          source,
          recordType: who.recordType,
          version: hash,
          discoveredAt: started,
          hash,
        });
      }
    }
    const held = await deps.store.getMany(found.map((c) => c.did));
    const candidates: MigrateRecordPayload[] = [];
    for (const { hash, ...c } of found) {
      const stored = held.get(c.did)?.oip[MIGRATION_HASH_FIELD];
      if (held.has(c.did) && stored === undefined) rep.held++;
      else if (stored === hash) rep.unchanged++;
      else candidates.push(c);
    }
    const counts: IndexCounts = { queued: 0, requeued: 0, relooked: 0, deduplicated: 0, deletedSkipped: 0 };
    await claimAndQueue({ ...deps, now }, candidates, counts, JobNames.MIGRATE_RECORD);
    rep.queued += counts.queued + counts.relooked;
    rep.requeued += counts.requeued;
    rep.deduplicated += counts.deduplicated - counts.requeued;
    rep.deleted += counts.deletedSkipped;
    const last = page[page.length - 1]!.at;
    if (rep.mark === null || last > rep.mark) {
      rep.mark = last;
      await deps.mark.save(last, now());
    }
  }
  deps.logger.info({ source, ...rep }, 'legacy follow pass finished');
  return rep;
}
