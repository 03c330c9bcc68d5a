// One discovery pass: read the deletion registry and the registry index of every configured
// record type from every relay, apply deletions, and queue one `sync-record` job per record
// whose version is new. Records already queued, indexed, gone or dead at that version are
// counted as deduplicated and not queued again (the state lives in Redis, so this survives
// restarts and BullMQ's removal of finished jobs).
//
// Indexes are read page by page (services/discover-index.ts): each page is claimed and queued
// before the next is read, and entries behind links are followed so each has its real
// timestamp and nodeId. Records gone as not found are looked at again on later passes
// (bounded, with backoff: the relook hash of SyncState).
//
// Content version = the registry entry's `timestamp`. Discovery must decide without fetching
// records (fetching every record every cycle was the legacy leak, seed 000/003); publishers
// re-register with a new timestamp when a record changes, which is what makes a new version.
import type { Queue } from 'bullmq';
import type { GunClient } from '@oip/gun-client';
import type { RecordStore } from '@oip/record-store';
import type { SyncJobOptionsInput } from '@oip/queue-contracts';
import type { Logger } from 'pino';
import type { DeadLetterService, DeletionLedger } from '@oip/sync-state';
import type { SyncState } from '@oip/sync-state';
import { applyDeletions } from './apply-deletions.js';
import { discoverIndex, emptyIndexReport, type IndexCounts, type IndexReport } from './discover-index.js';
import { PEER_UNRESOLVED, type PeerRelays, type PeerStatus } from './peer-relays.js';

export type { IndexReport } from './discover-index.js';

export interface DiscoveryDeps {
  relays: ReadonlyMap<string, GunClient>;
  state: SyncState;
  recordsQueue: Queue;
  store: RecordStore;
  deadLetters: DeadLetterService;
  /** Refused and unsigned deletions (apply-deletions.ts). */
  ledger: DeletionLedger;
  /** A refused deletion is fetched again after this long. @defaultValue 600000 */
  deletionRecheckMs?: number | undefined;
  logger: Logger;
  registryRoot: string;
  nodeId?: string | undefined;
  recordTypes: readonly string[];
  jobOptions: SyncJobOptionsInput;
  /** Resolves GUN_PEERS relays to the base that answers; absent when no relay came from a peer. */
  peers?: PeerRelays | undefined;
  /** Registry keys per page. @defaultValue 500 */
  pageSize?: number | undefined;
  /** Entry-link reads in flight per index. @defaultValue 8 */
  linkConcurrency?: number | undefined;
  now?: () => number;
}

export interface DiscoveryReport {
  /** Registry entries handled (own-node, deleted and unreadable entries excluded). */
  entries: number;
  queued: number;
  requeued: number;
  /** Records gone as not found, queued again for another look. */
  relooked: number;
  deduplicated: number;
  /** Entries skipped because the record is in the deletion registry. */
  deletedSkipped: number;
  /** Entries of our own node id, skipped. */
  ownSkipped: number;
  deletionsApplied: number;
  /** Deletion entries refused this pass (bad or foreign signatures, unsigned deletions of signed records). */
  deletionsRefused: number;
  /** Index entries that were links and were read. */
  linksFollowed: number;
  /** Index entries whose link could not be read: not queued, looked at again next pass. */
  linkReadsFailed: number;
  /** Per relay and record type: pages, entries handled, links followed and failed. */
  indexes: IndexReport[];
  /** GUN_PEERS relays and the base each resolved to (empty without peers). */
  peers: PeerStatus[];
  /** Relay reads that failed; the next pass tries again. `count` > 1 sums entries of one code. */
  errors: Array<{ relay: string; what: string; code: string; count?: number }>;
  durationMs: number;
}

const errCode = (err: unknown): string =>
  String((err as { code?: unknown } | null)?.code ?? (err as Error)?.name ?? 'ERROR');

export async function runDiscovery(deps: DiscoveryDeps, only?: readonly string[]): Promise<DiscoveryReport> {
  const now = deps.now ?? Date.now;
  const started = now();
  const report: DiscoveryReport = {
    entries: 0,
    queued: 0,
    requeued: 0,
    relooked: 0,
    deduplicated: 0,
    deletedSkipped: 0,
    ownSkipped: 0,
    deletionsApplied: 0,
    deletionsRefused: 0,
    linksFollowed: 0,
    linkReadsFailed: 0,
    indexes: [],
    peers: [],
    errors: [],
    durationMs: 0,
  };
  const counts: IndexCounts = { queued: 0, requeued: 0, relooked: 0, deduplicated: 0, deletedSkipped: 0 };
  const types = only?.length ? deps.recordTypes.filter((t) => only.includes(t)) : deps.recordTypes;

  // The keys are fixed; a peer's client may be swapped by its resolution, so look it up after.
  for (const relay of [...deps.relays.keys()]) {
    if (deps.peers && !(await deps.peers.ensure(relay))) {
      report.errors.push({ relay, what: 'peer', code: PEER_UNRESOLVED });
      continue;
    }
    const client = deps.relays.get(relay);
    if (!client) continue;
    try {
      const deleted = await client.getDeletedRecords();
      const d = await applyDeletions(
        deps,
        client,
        deleted.map((e) => e.did),
      );
      report.deletionsApplied += d.applied;
      report.deletionsRefused += d.refused;
    } catch (err) {
      report.errors.push({ relay, what: 'deletions', code: errCode(err) });
    }

    for (const recordType of types) {
      const rep = emptyIndexReport(relay, recordType);
      report.indexes.push(rep);
      try {
        await discoverIndex({ ...deps, now }, client, relay, recordType, rep, counts);
      } catch (err) {
        report.errors.push({ relay, what: `index:${recordType}`, code: errCode(err) });
      }
      report.entries += rep.entries;
      report.ownSkipped += rep.ownSkipped;
      report.linksFollowed += rep.linksFollowed;
      report.linkReadsFailed += rep.linkReadsFailed;
      for (const [code, count] of Object.entries(rep.linkFailureCodes))
        report.errors.push({ relay, what: `links:${recordType}`, code, count });
    }
  }
  Object.assign(report, counts);
  report.peers = deps.peers?.status() ?? [];
  report.durationMs = now() - started;
  // The per-index list can be long (relays x types): the log line carries the totals.
  const { indexes, ...totals } = report;
  deps.logger.info({ ...totals, indexes: indexes.length }, 'discovery pass done');
  return report;
}
