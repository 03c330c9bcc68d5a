// POST /api/health/gun-sync/force (legacy routes/health.js): a discovery pass now. The sync-worker
// runs discovery as BullMQ `discover` jobs (apps/sync-worker services/discovery-scheduler.ts); a
// forced pass is one more such job. Coalesced across every api process through Redis: one key per
// queue prefix, set with NX for the interval, so at most one forced pass starts per interval
// whichever process is asked; no pass is added while one is running or waiting; and the discovery
// queue's global concurrency is 1, so a forced pass never runs beside a scheduled one.
import { Queue } from 'bullmq';
import { DISCOVERY_SCHEDULER_ID, DISCOVER_JOB_OPTIONS, JobNames, SYNC_DISCOVERY_QUEUE } from '@oip/queue-contracts';
import { withDeadline } from '@oip/service-kit';
import type { RedisConnection } from '@oip/sync-state';
import { QueueUnavailableError, SyncNotRunningError } from '../errors.js';

export interface ForceSyncOptions {
  /** The sync-worker's BullMQ prefix. */
  prefix: string;
  /** Forced passes start at least this far apart. */
  intervalMs: number;
  /** How long Redis may take to answer (503 API_ERR_QUEUE_UNAVAILABLE past it). */
  timeoutMs: number;
}

/** What a force request did. */
export type ForceOutcome =
  | { kind: 'started'; jobId: string; nextForceAt: number; nextScheduledAt: number | null }
  | { kind: 'running'; nextForceAt: number; nextScheduledAt: number | null }
  | { kind: 'coalesced'; nextForceAt: number; nextScheduledAt: number | null };

export class ForceSync {
  readonly #redis: RedisConnection;
  readonly #queue: Queue;
  readonly #o: ForceSyncOptions;
  readonly #key: string;

  /** `redis` is borrowed (the api's fail-fast connection, not closed here). */
  constructor(redis: RedisConnection, opts: ForceSyncOptions) {
    this.#redis = redis;
    this.#o = opts;
    this.#queue = new Queue(SYNC_DISCOVERY_QUEUE, { connection: redis as never, prefix: opts.prefix });
    // Errors surface on the calls; the listener keeps them from being unhandled events.
    this.#queue.on('error', () => {});
    // The prefix's own key: in the prefix's hash slot on a cluster (a `{tag}` prefix).
    this.#key = `${opts.prefix}:api:force-sync`;
  }

  /**
   * Asks for a pass. SYNC_NOT_RUNNING (400, as legacy) when no sync-worker listens on the discovery
   * queue; QUEUE_UNAVAILABLE (503) when Redis does not answer in time.
   */
  async request(now = Date.now()): Promise<ForceOutcome> {
    try {
      return await withDeadline(
        this.#request(now),
        this.#o.timeoutMs,
        () => new QueueUnavailableError(this.#o.timeoutMs),
      );
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'API_ERR_QUEUE_UNAVAILABLE' || code === 'API_ERR_SYNC_NOT_RUNNING') throw err;
      throw new QueueUnavailableError(this.#o.timeoutMs, { cause: err });
    }
  }

  async #request(now: number): Promise<ForceOutcome> {
    if ((await this.#queue.getWorkersCount()) === 0) throw new SyncNotRunningError();
    const nextScheduledAt = await this.#nextScheduled();
    const won = await this.#redis.set(this.#key, String(now), 'PX', this.#o.intervalMs, 'NX');
    if (won !== 'OK') {
      const ttl = await this.#redis.pttl(this.#key);
      return { kind: 'coalesced', nextForceAt: now + Math.max(0, ttl), nextScheduledAt };
    }
    const nextForceAt = now + this.#o.intervalMs;
    try {
      await this.#queue.setGlobalConcurrency(1);
      const counts = await this.#queue.getJobCounts('active', 'waiting', 'prioritized');
      if ((counts['active'] ?? 0) + (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0) > 0)
        return { kind: 'running', nextForceAt, nextScheduledAt };
      const jobId = `discover-force-${now}`;
      await this.#queue.add(JobNames.DISCOVER, {}, { ...DISCOVER_JOB_OPTIONS, jobId });
      return { kind: 'started', jobId, nextForceAt, nextScheduledAt };
    } catch (err) {
      // No pass was added: the next request may try at once.
      await this.#redis.del(this.#key).catch(() => 0);
      throw err;
    }
  }

  /** When the sync-worker's scheduler runs its next pass (null when no worker ever scheduled one). */
  async #nextScheduled(): Promise<number | null> {
    const scheduler = await this.#queue.getJobScheduler(DISCOVERY_SCHEDULER_ID);
    return typeof scheduler?.next === 'number' ? scheduler.next : null;
  }

  close(): Promise<void> {
    return this.#queue.close();
  }
}

/** The answer of the route: legacy's message and timestamp, and when the next pass may run. */
export function forceAnswer(o: ForceOutcome, now = Date.now()): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const common = {
    timestamp: new Date(now).toISOString(),
    nextForceAt: iso(o.nextForceAt),
    nextScheduledPassAt: iso(o.nextScheduledAt),
  };
  if (o.kind === 'started')
    return { message: 'Sync cycle triggered successfully', triggered: true, jobId: o.jobId, ...common };
  if (o.kind === 'running')
    return {
      message: 'A sync cycle is already running or queued; it serves this request',
      triggered: false,
      ...common,
    };
  // The next pass: a forced one once the interval is over, or the scheduled one if sooner.
  const next = o.nextScheduledAt === null ? o.nextForceAt : Math.min(o.nextScheduledAt, o.nextForceAt);
  return {
    message: `A sync cycle was triggered less than the interval ago; the next pass runs at ${iso(next)}`,
    triggered: false,
    nextPassAt: iso(next),
    retryAfterSeconds: Math.ceil(Math.max(0, o.nextForceAt - now) / 1000),
    ...common,
  };
}
