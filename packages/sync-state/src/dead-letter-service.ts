// The dead-letter queue: written by the sync processor, read and acted on by operators through
// `oip dlq` and the api. Entries are BullMQ jobs that no worker consumes, one per DID.
import { Queue, type ConnectionOptions } from 'bullmq';
import {
  DEAD_LETTER_JOB_OPTIONS,
  DeadLetterPayloadSchema,
  JobNames,
  SYNC_DEAD_LETTER_QUEUE,
  SYNC_RECORDS_QUEUE,
  deadLetterJobId,
  isLegacyEsSource,
  legacyKindOfType,
  syncRecordJobId,
  syncRecordJobOptions,
  validatePayload,
  type DeadLetterPayload,
  type SyncJobOptionsInput,
  type MigrateRecordPayload,
  type SyncRecordPayload,
} from '@oip/queue-contracts';
import type { RedisConnection } from './redis-connection.js';
import { SyncState } from './sync-state.js';
import { PathGrouper, hasPath, type GroupResult } from './dead-letter-groups.js';

export interface DeadLetterServiceOptions {
  /** Borrowed ioredis connection (not closed by the service). */
  connection: RedisConnection;
  /** BullMQ key prefix shared with the workers. */
  prefix: string;
  /** Options for replayed jobs (attempts, backoff, bounds), as the worker's config sets them. */
  jobOptions?: SyncJobOptionsInput;
}

export interface DeadLetterEntry extends DeadLetterPayload {
  /** Dead-letter job id (`dl_<didKey>`). */
  id: string;
  /** When the entry was written, epoch ms. */
  deadLetteredAt: number;
}

export interface ListOptions {
  /** @defaultValue 0 */
  offset?: number;
  /** 0 returns no entries. @defaultValue 50 (max 1000) */
  limit?: number;
  /** Only entries with this code; offset and limit then count matching entries. */
  code?: string;
  /** Only entries of this record type (with `code`, both must match). */
  recordType?: string;
  /** Only entries with a reason naming this field path (`data.shoppingList.item_amounts`). */
  path?: string;
}

/** The filter of list() and replayMany(). */
export type DeadLetterFilter = Pick<ListOptions, 'code' | 'recordType' | 'path'>;

export interface GroupOptions {
  /** Most entries read (newest first). @defaultValue 100000 */
  maxScan?: number;
}

export type ReplayResult =
  | { did: string; replayed: true; jobId: string; replay: number }
  | { did: string; replayed: false; reason: 'not_found' | 'not_dead' };

const MAX_PAGE = 1000;
/** Entries read per step while filtering by code. */
const SCAN_PAGE = 500;

export class DeadLetterService {
  readonly #dlq: Queue;
  readonly #records: Queue;
  readonly #state: SyncState;
  readonly #jobOptions: SyncJobOptionsInput;

  constructor(opts: DeadLetterServiceOptions) {
    const connection = opts.connection as unknown as ConnectionOptions;
    this.#dlq = new Queue(SYNC_DEAD_LETTER_QUEUE, { connection, prefix: opts.prefix });
    this.#records = new Queue(SYNC_RECORDS_QUEUE, { connection, prefix: opts.prefix });
    this.#state = new SyncState(opts.connection, opts.prefix);
    this.#jobOptions = opts.jobOptions ?? {};
    // Queue errors surface on calls; the listener keeps them from becoming unhandled events.
    this.#dlq.on('error', () => {});
    this.#records.on('error', () => {});
  }

  /** Writes (or replaces) the dead letter of `payload.did`. */
  async write(payload: DeadLetterPayload): Promise<void> {
    const value = validatePayload(DeadLetterPayloadSchema, payload, 'dead letter');
    const id = deadLetterJobId(value.did);
    // One entry per DID: a newer failure replaces the older one (add() would return the old job).
    await this.#dlq.remove(id);
    await this.#dlq.add(JobNames.DEAD_LETTER, value, { ...DEAD_LETTER_JOB_OPTIONS, jobId: id });
  }

  async count(): Promise<number> {
    return this.#dlq.getWaitingCount();
  }

  /**
   * Entries newest first. `limit: 0` returns none (callers use count() for the total). With
   * `code` or `recordType`, the filter runs before paging: `offset`/`limit` count matching
   * entries, found by reading the queue in pages of SCAN_PAGE (memory stays bounded by one page).
   */
  async list(opts: ListOptions = {}): Promise<DeadLetterEntry[]> {
    const offset = Math.max(0, Math.trunc(opts.offset ?? 0));
    const limit = Math.min(MAX_PAGE, Math.max(0, Math.trunc(opts.limit ?? 50)));
    if (limit === 0) return [];
    if (!opts.code && !opts.recordType && opts.path === undefined) return this.#page(offset, offset + limit - 1);
    const matches = (e: DeadLetterEntry): boolean =>
      (!opts.code || e.code === opts.code) &&
      (opts.recordType === undefined || e.recordType === opts.recordType) &&
      (opts.path === undefined || hasPath(e, opts.path));
    const out: DeadLetterEntry[] = [];
    let skip = offset;
    for (let start = 0; out.length < limit; start += SCAN_PAGE) {
      const page = await this.#page(start, start + SCAN_PAGE - 1);
      for (const e of page) {
        if (!matches(e)) continue;
        if (skip > 0) skip--;
        else if (out.length < limit) out.push(e);
      }
      if (page.length < SCAN_PAGE) break;
    }
    return out;
  }

  /**
   * The entries grouped by field path (dead-letter-groups.ts), read in pages of SCAN_PAGE:
   * memory holds one page and the groups, never the whole queue.
   */
  async groups(opts: GroupOptions = {}): Promise<GroupResult> {
    const maxScan = Math.max(0, Math.trunc(opts.maxScan ?? 100_000));
    const grouper = new PathGrouper();
    let scanned = 0;
    let truncated = false;
    for (let start = 0; ; start += SCAN_PAGE) {
      const page = await this.#page(start, start + SCAN_PAGE - 1);
      for (const e of page) {
        if (scanned >= maxScan) {
          truncated = true;
          break;
        }
        grouper.add(e);
        scanned++;
      }
      if (truncated || page.length < SCAN_PAGE) break;
    }
    return { by: 'path', scanned, truncated, groups: grouper.groups() };
  }

  async #page(start: number, end: number): Promise<DeadLetterEntry[]> {
    const jobs = await this.#dlq.getJobs(['waiting'], start, end, false);
    const out: DeadLetterEntry[] = [];
    for (const job of jobs) {
      if (job?.id) out.push({ ...(job.data as DeadLetterPayload), id: job.id, deadLetteredAt: job.timestamp });
    }
    return out;
  }

  async show(did: string): Promise<DeadLetterEntry | null> {
    const job = await this.#dlq.getJob(deadLetterJobId(did));
    if (!job?.id) return null;
    return { ...(job.data as DeadLetterPayload), id: job.id, deadLetteredAt: job.timestamp };
  }

  /**
   * Queues the record again at its dead-lettered version (e.g. after a mapping fix) and removes
   * the entry: a sync-record job, or for a migrated record (`legacy-es:` source) a migrate-record
   * job, which reads it again from the legacy index. A degraded record's entry replays the same way: the new run stores it whole if
   * its fields now fit. The new job id carries the replay number, so it never collides with the failed job.
   */
  async replay(did: string): Promise<ReplayResult> {
    const entry = await this.show(did);
    if (!entry) return { did, replayed: false, reason: 'not_found' };
    const n = await this.#state.replay(did, entry.version);
    if (n === null) {
      // The record moved on (re-synced at a newer version, or deleted): the entry is stale.
      await this.#dlq.remove(entry.id);
      return { did, replayed: false, reason: 'not_dead' };
    }
    const jobId = syncRecordJobId(did, entry.version, n);
    const options = { ...syncRecordJobOptions(this.#jobOptions), jobId };
    if (isLegacyEsSource(entry.sourceRelay)) {
      // A migrated record: read again from the legacy index it came from (migrate-record job).
      const payload: MigrateRecordPayload = {
        did,
        docId: entry.soul,
        kind: legacyKindOfType(entry.recordType),
        source: entry.sourceRelay,
        recordType: entry.recordType,
        version: entry.version,
        discoveredAt: Date.now(),
        replay: n,
      };
      await this.#records.add(JobNames.MIGRATE_RECORD, payload, options);
    } else {
      const payload: SyncRecordPayload = {
        did,
        soul: entry.soul,
        recordType: entry.recordType,
        version: entry.version,
        relay: entry.sourceRelay,
        discoveredAt: Date.now(),
        replay: n,
      };
      await this.#records.add(JobNames.SYNC_RECORD, payload, options);
    }
    await this.#dlq.remove(entry.id);
    return { did, replayed: true, jobId, replay: n };
  }

  /**
   * Replays up to `limit` entries (optionally of one code, record type and/or field path,
   * filtered before the limit applies, as list() does); returns what happened to each.
   * `limit: 0` replays none.
   */
  async replayMany(opts: DeadLetterFilter & { limit?: number } = {}): Promise<ReplayResult[]> {
    const { limit, ...filter } = opts;
    const entries = await this.list({ ...filter, limit: limit ?? MAX_PAGE });
    const out: ReplayResult[] = [];
    for (const e of entries) out.push(await this.replay(e.did));
    return out;
  }

  /**
   * Drops the entry. The record stays dead at its version: discovery will not queue it again
   * until its content (registry version) changes.
   */
  async discard(did: string): Promise<boolean> {
    // remove() does not say whether the job existed, so look first.
    const job = await this.#dlq.getJob(deadLetterJobId(did));
    if (!job) return false;
    await this.#dlq.remove(deadLetterJobId(did));
    return true;
  }

  /** Removes the entry of a DID without other effects (deletions). */
  async forget(did: string): Promise<void> {
    await this.#dlq.remove(deadLetterJobId(did));
  }

  async close(): Promise<void> {
    await Promise.all([this.#dlq.close(), this.#records.close()]);
  }
}
