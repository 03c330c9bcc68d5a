// One discovery pass: read the deletion registry and the registry index of every configured
// record type from every relay, apply deletions, and queue one `sync-record` job per record
// whose version is new. Records already queued, indexed, gone or dead at that version are
// counted as deduplicated and not queued again (the state lives in Redis, so this survives
// restarts and BullMQ's removal of finished jobs).
//
// Content version = the registry entry's `timestamp`. Discovery must decide without fetching
// records (fetching every record every cycle was the legacy leak, seed 000/003); publishers
// re-register with a new timestamp when a record changes, which is what makes a new version.
import type { Queue } from 'bullmq';
import { didFromSoul, type GunClient } from '@oip/gun-client';
import type { RecordStore } from '@oip/record-store';
import { JobNames, syncRecordJobId, syncRecordJobOptions, type SyncJobOptionsInput, type SyncRecordPayload } from '@oip/queue-contracts';
import type { Logger } from 'pino';
import type { DeadLetterService } from '../dlq/dead-letter-service.js';
import type { SyncState } from '../state/sync-state.js';

export interface DiscoveryDeps {
  relays: ReadonlyMap<string, GunClient>;
  state: SyncState;
  recordsQueue: Queue;
  store: RecordStore;
  deadLetters: DeadLetterService;
  logger: Logger;
  registryRoot: string;
  nodeId?: string | undefined;
  recordTypes: readonly string[];
  jobOptions: SyncJobOptionsInput;
  now?: () => number;
}

export interface DiscoveryReport {
  /** Registry entries seen (own-node and unreadable entries excluded). */
  entries: number;
  queued: number;
  requeued: number;
  deduplicated: number;
  /** Entries skipped because the record is in the deletion registry. */
  deletedSkipped: number;
  deletionsApplied: number;
  /** Relay reads that failed; the next pass tries again. */
  errors: Array<{ relay: string; what: string; code: string }>;
  durationMs: number;
}

const ADD_CHUNK = 1000;
const MAX_SOUL = 1024;
const BAD_SOUL = /[\u0000-\u001f\u007f]/;

const errCode = (err: unknown): string => String((err as { code?: unknown } | null)?.code ?? (err as Error)?.name ?? 'ERROR');

/** Applies deletion-registry entries: removed from the store and the DLQ, then marked deleted. */
export async function applyDeletions(deps: Pick<DiscoveryDeps, 'state' | 'store' | 'deadLetters' | 'logger'>, dids: readonly string[]): Promise<number> {
  const unique = [...new Set(dids.filter((d) => d.startsWith('did:')))];
  if (unique.length === 0) return 0;
  const known = await deps.state.deletedAmong(unique);
  const fresh = unique.filter((d) => !known.has(d));
  const done: string[] = [];
  for (const did of fresh) {
    try {
      // Store first: if this fails the DID is not marked and the next pass tries again.
      await deps.store.delete(did);
      await deps.deadLetters.forget(did);
      done.push(did);
    } catch (err) {
      deps.logger.warn({ did, code: errCode(err) }, 'deletion not applied; will retry next pass');
    }
  }
  return deps.state.markDeleted(done);
}

/**
 * A record still "queued" in our state whose job sits in BullMQ's failed set (its processor died
 * before it could dead-letter, e.g. Redis dropped mid-write) would never finish: re-adding the
 * same id returns the failed job. Retry those, so in-flight always drains. Only requeued ids are
 * checked, so a quiet pass costs nothing.
 */
async function reviveFailed(deps: Pick<DiscoveryDeps, 'recordsQueue' | 'logger'>, jobIds: readonly string[]): Promise<void> {
  for (const id of jobIds) {
    if ((await deps.recordsQueue.getJobState(id)) !== 'failed') continue;
    const job = await deps.recordsQueue.getJob(id);
    await job?.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }).catch((err: unknown) => {
      deps.logger.warn({ jobId: id, code: errCode(err) }, 'could not retry a failed job of a queued record');
    });
  }
}

export async function runDiscovery(deps: DiscoveryDeps, only?: readonly string[]): Promise<DiscoveryReport> {
  const now = deps.now ?? Date.now;
  const started = now();
  const report: DiscoveryReport = { entries: 0, queued: 0, requeued: 0, deduplicated: 0, deletedSkipped: 0, deletionsApplied: 0, errors: [], durationMs: 0 };
  const types = only?.length ? deps.recordTypes.filter((t) => only.includes(t)) : deps.recordTypes;

  for (const [relay, client] of deps.relays) {
    try {
      const deleted = await client.getDeletedRecords();
      report.deletionsApplied += await applyDeletions(deps, deleted.map((d) => d.did));
    } catch (err) {
      report.errors.push({ relay, what: 'deletions', code: errCode(err) });
    }

    for (const recordType of types) {
      let entries;
      try {
        entries = await client.getRegistryIndex(recordType, deps.registryRoot);
      } catch (err) {
        report.errors.push({ relay, what: `index:${recordType}`, code: errCode(err) });
        continue;
      }
      const seen = new Set<string>();
      const candidates: SyncRecordPayload[] = [];
      for (const e of entries) {
        if (deps.nodeId && e.nodeId === deps.nodeId) continue;
        if (!e.soul || e.soul.length > MAX_SOUL || BAD_SOUL.test(e.soul) || seen.has(e.soul)) continue;
        seen.add(e.soul);
        const ts = typeof e.timestamp === 'number' && Number.isFinite(e.timestamp) ? Math.max(0, Math.trunc(e.timestamp)) : 0;
        candidates.push({ did: didFromSoul(e.soul), soul: e.soul, recordType, version: String(ts), relay, discoveredAt: started });
      }
      if (candidates.length === 0) continue;

      const outcomes = await deps.state.claim(candidates);
      const jobs: Array<{ name: string; data: SyncRecordPayload; opts: ReturnType<typeof syncRecordJobOptions> & { jobId: string } }> = [];
      const opts = syncRecordJobOptions(deps.jobOptions);
      const requeuedIds: string[] = [];
      outcomes.forEach((o, i) => {
        const c = candidates[i]!;
        if (o.kind === 'deleted') {
          report.deletedSkipped++;
          return;
        }
        report.entries++;
        if (o.kind === 'dedup') {
          report.deduplicated++;
          return;
        }
        const replay = o.kind === 'requeue' ? o.replay : 0;
        if (o.kind === 'requeue') {
          report.deduplicated++;
          report.requeued++;
        } else report.queued++;
        const data = replay ? { ...c, replay } : c;
        // A requeue re-adds the same id: BullMQ keeps the existing job if it is still there and
        // recreates it if it was lost (a crash between claim and add).
        const jobId = syncRecordJobId(c.did, c.version, replay || undefined);
        if (o.kind === 'requeue') requeuedIds.push(jobId);
        jobs.push({ name: JobNames.SYNC_RECORD, data, opts: { ...opts, jobId } });
      });
      for (let i = 0; i < jobs.length; i += ADD_CHUNK) await deps.recordsQueue.addBulk(jobs.slice(i, i + ADD_CHUNK));
      await reviveFailed(deps, requeuedIds);
    }
  }
  report.durationMs = now() - started;
  deps.logger.info(report, 'discovery pass done');
  return report;
}
