// One registry index of one relay, discovered page by page: each page's entries are claimed in
// Redis and queued before the next page is read, so a 50,000-entry index never sits in memory
// as payloads. Entries behind links the relay would not give us are counted, never queued at a
// made-up version: the next pass looks at them again.
import type { GunClient } from '@oip/gun-client';
import { didFromSoul, type RegistryIndexEntry, soulProblem } from '@oip/records';
import {
  JobNames,
  syncRecordJobId,
  syncRecordJobOptions,
  type SyncJobOptionsInput,
  type SyncRecordPayload,
} from '@oip/queue-contracts';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { SyncState } from '@oip/sync-state';

/** What one pass did with one relay's index of one record type. */
export interface IndexReport {
  relay: string;
  recordType: string;
  /** Pages read (a legacy relay's single answer counts as the slices it was cut into). */
  pages: number;
  /** True when the relay paged (`next` cursor); false for a single legacy answer. */
  paged: boolean;
  /** Entries handled: queued, relooked or deduplicated (deleted and own-node entries excluded). */
  entries: number;
  /** Entries of our own node id, skipped. */
  ownSkipped: number;
  /** Entries whose soul breaks the relays' soul rules (too long, control characters…), skipped. */
  invalidSouls: number;
  /** Entries that were links and were read. */
  linksFollowed: number;
  /** Entries whose link could not be read: not queued this pass. */
  linkReadsFailed: number;
  /** Link read failures by code. */
  linkFailureCodes: Record<string, number>;
}

export interface IndexCounts {
  queued: number;
  requeued: number;
  relooked: number;
  deduplicated: number;
  deletedSkipped: number;
}

export interface DiscoverIndexDeps {
  state: SyncState;
  recordsQueue: Queue;
  logger: Logger;
  registryRoot: string;
  nodeId?: string | undefined;
  jobOptions: SyncJobOptionsInput;
  /** Keys per page. @defaultValue 500 */
  pageSize?: number | undefined;
  /** Link reads in flight per index. @defaultValue 8 */
  linkConcurrency?: number | undefined;
  now: () => number;
}

const ADD_CHUNK = 1000;

const errCode = (err: unknown): string =>
  String((err as { code?: unknown } | null)?.code ?? (err as Error)?.name ?? 'ERROR');

/**
 * A record still "queued" in our state whose job sits in BullMQ's failed set (its processor died
 * before it could dead-letter, e.g. Redis dropped mid-write) would never finish: re-adding the
 * same id returns the failed job. Retry those, so in-flight always drains. Only requeued ids are
 * checked, so a quiet pass costs nothing.
 */
async function reviveFailed(
  deps: Pick<DiscoverIndexDeps, 'recordsQueue' | 'logger'>,
  jobIds: readonly string[],
): Promise<void> {
  for (const id of jobIds) {
    if ((await deps.recordsQueue.getJobState(id)) !== 'failed') continue;
    const job = await deps.recordsQueue.getJob(id);
    await job?.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }).catch((err: unknown) => {
      deps.logger.warn({ jobId: id, code: errCode(err) }, 'could not retry a failed job of a queued record');
    });
  }
}

function candidatesOf(
  entries: readonly RegistryIndexEntry[],
  deps: DiscoverIndexDeps,
  ctx: { relay: string; recordType: string; started: number },
  rep: IndexReport,
): SyncRecordPayload[] {
  const seen = new Set<string>();
  const out: SyncRecordPayload[] = [];
  for (const e of entries) {
    if (deps.nodeId && e.nodeId === deps.nodeId) {
      rep.ownSkipped++;
      continue;
    }
    if (!e.soul || seen.has(e.soul)) continue;
    // The relays' own soul rules (gun-client's souls module): a soul no relay would serve is counted, not fetched.
    if (soulProblem(e.soul) !== null) {
      rep.invalidSouls++;
      continue;
    }
    seen.add(e.soul);
    // An inline entry without a timestamp (never a link: those are followed or failed) is version 0.
    const ts =
      typeof e.timestamp === 'number' && Number.isFinite(e.timestamp) ? Math.max(0, Math.trunc(e.timestamp)) : 0;
    out.push({
      did: didFromSoul(e.soul),
      soul: e.soul,
      recordType: ctx.recordType,
      version: String(ts),
      relay: ctx.relay,
      discoveredAt: ctx.started,
    });
  }
  return out;
}

/**
 * Claims and queues one page's candidates as `name` jobs (sync-record; migrate-record for the
 * legacy follow passes); adds to `counts`, returns entries handled.
 */
export async function claimAndQueue<P extends { did: string; version: string; replay?: number }>(
  deps: Pick<DiscoverIndexDeps, 'state' | 'recordsQueue' | 'logger' | 'jobOptions' | 'now'>,
  candidates: P[],
  counts: IndexCounts,
  name: string = JobNames.SYNC_RECORD,
): Promise<number> {
  if (candidates.length === 0) return 0;
  const outcomes = await deps.state.claim(candidates, deps.now());
  const opts = syncRecordJobOptions(deps.jobOptions);
  const jobs: Array<{
    name: string;
    data: P;
    opts: ReturnType<typeof syncRecordJobOptions> & { jobId: string };
  }> = [];
  const requeuedIds: string[] = [];
  let handled = 0;
  outcomes.forEach((o, i) => {
    const c = candidates[i]!;
    if (o.kind === 'deleted') {
      counts.deletedSkipped++;
      return;
    }
    handled++;
    if (o.kind === 'dedup') {
      counts.deduplicated++;
      return;
    }
    let replay = 0;
    if (o.kind === 'requeue') {
      replay = o.replay;
      counts.deduplicated++;
      counts.requeued++;
    } else if (o.kind === 'relook') {
      // A fresh replay number, so BullMQ does not return the finished job of the earlier look.
      replay = o.replay;
      counts.relooked++;
    } else counts.queued++;
    const data = replay ? { ...c, replay } : c;
    // A requeue re-adds the same id: BullMQ keeps the existing job if it is still there and
    // recreates it if it was lost (a crash between claim and add).
    const jobId = syncRecordJobId(c.did, c.version, replay || undefined);
    if (o.kind === 'requeue') requeuedIds.push(jobId);
    jobs.push({ name, data, opts: { ...opts, jobId } });
  });
  for (let i = 0; i < jobs.length; i += ADD_CHUNK) await deps.recordsQueue.addBulk(jobs.slice(i, i + ADD_CHUNK));
  await reviveFailed(deps, requeuedIds);
  return handled;
}

/**
 * Discovers one index. Throws when a page read fails (pages before it stay handled); `rep`
 * and `counts` hold what was done up to there either way.
 */
export async function discoverIndex(
  deps: DiscoverIndexDeps,
  client: GunClient,
  relay: string,
  recordType: string,
  rep: IndexReport,
  counts: IndexCounts,
): Promise<void> {
  const ctx = { relay, recordType, started: deps.now() };
  const pages = client.registryIndexPages(recordType, {
    root: deps.registryRoot,
    ...(deps.pageSize ? { pageSize: deps.pageSize } : {}),
    ...(deps.linkConcurrency ? { linkConcurrency: deps.linkConcurrency } : {}),
  });
  for await (const page of pages) {
    rep.pages++;
    rep.paged = page.paged;
    rep.linksFollowed += page.linksFollowed;
    rep.linkReadsFailed += page.linkFailures.length;
    for (const f of page.linkFailures) rep.linkFailureCodes[f.code] = (rep.linkFailureCodes[f.code] ?? 0) + 1;
    rep.entries += await claimAndQueue(deps, candidatesOf(page.entries, deps, ctx, rep), counts);
  }
}

export function emptyIndexReport(relay: string, recordType: string): IndexReport {
  return {
    relay,
    recordType,
    pages: 0,
    paged: false,
    entries: 0,
    ownSkipped: 0,
    invalidSouls: 0,
    linksFollowed: 0,
    linkReadsFailed: 0,
    linkFailureCodes: {},
  };
}
