// The sync-worker's state as the legacy /api/health/gun-sync reports it, read from Redis: the
// counters (SyncState), dead letters (DeadLetterService), the last finished discovery pass (the
// discovery queue keeps its last jobs) and whether any worker is connected to the records queue.
import { Queue } from 'bullmq';
import { SYNC_DISCOVERY_QUEUE, SYNC_RECORDS_QUEUE } from '@oip/queue-contracts';
import { withDeadline } from '@oip/service-kit';
import {
  SyncState,
  invariantHolds,
  type DeadLetterService,
  type RedisConnection,
  type SyncCounters,
} from '@oip/sync-state';
import { SyncStatusUnavailableError } from '../errors.js';

export interface LastDiscovery {
  finishedAt: string;
  durationMs: number | null;
  report: Record<string, unknown> | null;
}

export interface SyncStatus {
  workers: number;
  counters: SyncCounters;
  deadLetters: number;
  lastDiscovery: LastDiscovery | null;
  discoveryPasses: number;
  /** Mean duration of the passes the discovery queue still keeps (its last 20). */
  averagePassMs: number | null;
}

export class SyncStatusReader {
  readonly #state: SyncState;
  readonly #dlq: DeadLetterService;
  readonly #records: Queue;
  readonly #discovery: Queue;
  readonly #timeoutMs: number;

  /** `dlq` is borrowed (not closed here). */
  constructor(redis: RedisConnection, prefix: string, timeoutMs: number, dlq: DeadLetterService) {
    const connection = redis as never;
    this.#state = new SyncState(redis, prefix);
    this.#dlq = dlq;
    this.#records = new Queue(SYNC_RECORDS_QUEUE, { connection, prefix });
    this.#discovery = new Queue(SYNC_DISCOVERY_QUEUE, { connection, prefix });
    // Errors surface on the calls below; the listeners keep them from being unhandled events.
    this.#records.on('error', () => {});
    this.#discovery.on('error', () => {});
    this.#timeoutMs = timeoutMs;
  }

  /** Throws API_ERR_SYNC_STATUS_UNAVAILABLE when Redis does not answer within the timeout. */
  async read(): Promise<SyncStatus> {
    try {
      return await withDeadline(this.#read(), this.#timeoutMs, () => new SyncStatusUnavailableError(this.#timeoutMs));
    } catch (err) {
      if ((err as { code?: unknown }).code === 'API_ERR_SYNC_STATUS_UNAVAILABLE') throw err;
      throw new SyncStatusUnavailableError(this.#timeoutMs, { cause: err });
    }
  }

  async #read(): Promise<SyncStatus> {
    const [workers, counters, deadLetters, last, passes] = await Promise.all([
      this.#records.getWorkersCount(),
      this.#state.counters(),
      this.#dlq.count(),
      this.#discovery.getJobs(['completed'], 0, 19, false),
      this.#discovery.getCompletedCount(),
    ]);
    const job = last[0];
    const lastDiscovery: LastDiscovery | null =
      job && job.finishedOn
        ? {
            finishedAt: new Date(job.finishedOn).toISOString(),
            durationMs: job.processedOn ? job.finishedOn - job.processedOn : null,
            report:
              typeof job.returnvalue === 'object' && job.returnvalue !== null
                ? (job.returnvalue as Record<string, unknown>)
                : null,
          }
        : null;
    const durations = last.filter((j) => j.finishedOn && j.processedOn).map((j) => j.finishedOn! - j.processedOn!);
    const averagePassMs = durations.length ? Math.round(durations.reduce((a, b) => a + b, 0) / durations.length) : null;
    return { workers, counters, deadLetters, lastDiscovery, discoveryPasses: passes, averagePassMs };
  }

  async close(): Promise<void> {
    await Promise.all([this.#records.close(), this.#discovery.close()]);
  }
}

/** The legacy answer (service, status, running, metrics{…}) with our counters beside it. */
export function legacySyncHealth(s: SyncStatus, now = Date.now()): Record<string, unknown> {
  const c = s.counters;
  const finished = c.indexed + c.gone + c.dead;
  const lastAt = s.lastDiscovery ? Date.parse(s.lastDiscovery.finishedAt) : null;
  const healthy = s.workers > 0 && invariantHolds(c);
  return {
    service: 'gun-sync',
    status: healthy ? 'healthy' : 'unhealthy',
    running: s.workers > 0,
    workers: s.workers,
    metrics: {
      totalDiscovered: c.discovered,
      totalSynced: c.indexed,
      totalErrors: c.dead,
      successRate: `${finished === 0 ? 100 : Math.round((c.indexed / finished) * 1000) / 10}%`,
      lastSyncTime: s.lastDiscovery?.finishedAt ?? null,
      lastSyncAgo: lastAt === null ? 'never' : `${Math.round((now - lastAt) / 1000)}s ago`,
      averageSyncTime: s.averagePassMs === null ? null : `${s.averagePassMs}ms`,
      syncCycles: s.discoveryPasses,
    },
    deadLetters: s.deadLetters,
    invariantOk: invariantHolds(c),
    counters: c,
    lastDiscovery: s.lastDiscovery,
  };
}
