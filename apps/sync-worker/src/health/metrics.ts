// Prometheus metrics of the sync pipeline. Totals come from the shared Redis counters (so every
// worker's /metrics shows the cluster-wide totals, and nothing accumulates here), read through
// a source that answers at once with the last-known values while Redis is down.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { withDeadline } from '@oip/service-kit';
import { invariantHolds, type SyncCounters } from '@oip/sync-state';
import { RedisTimeoutError } from '../errors.js';

export interface SyncMetrics {
  registry: Registry;
  /** The counters read by the last scrape (or null before the first). */
  last(): SyncCounters | null;
  /** Counts a lost Redis state (oip_sync_state_lost_total). */
  stateLost(): void;
  /** Counts a job finished from the store after a loss (oip_sync_repaired_total). */
  repaired(): void;
  /** Time one record spent in one stage of this process (oip_sync_stage_seconds). */
  observeStage(stage: SyncStage, seconds: number): void;
}

/**
 * Where a record's time goes in this process, one observation per record: `queue_wait` (created
 * → picked up, backoff included), `relay_fetch` (record and its links), `validate_convert`,
 * `store_write` (its batched write, batch wait included), `state_finish` (the state script),
 * `dead_letter` (its entry). And one per batch: `store_flush` (the store's bulk write itself).
 */
export type SyncStage =
  'queue_wait' | 'relay_fetch' | 'validate_convert' | 'store_write' | 'state_finish' | 'dead_letter' | 'store_flush';

/** Runs `fn`, telling `observe` (when given) how long it took in `stage`, also when it throws. */
export async function timeStage<T>(
  observe: ((stage: SyncStage, seconds: number) => void) | undefined,
  stage: SyncStage,
  fn: () => Promise<T>,
): Promise<T> {
  if (!observe) return fn();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    observe(stage, (performance.now() - t0) / 1000);
  }
}

/** Where the counters come from: SyncState (always reads Redis) or StateWatch (cached while down). */
export interface CountersSource {
  counters(): Promise<SyncCounters | null>;
}

export interface SyncMetricsOptions {
  /** 1/0 for oip_sync_redis_up; absent = the gauge is not registered. */
  redisUp?: () => boolean;
  /**
   * Entries in the dead-letter queue now, for oip_sync_dead_letters (null while not known: the
   * gauge keeps its value); must answer within a scrape's bounds (lastKnownCount). Absent = the
   * gauge is not registered.
   */
  deadLetters?: () => Promise<number | null>;
}

/**
 * A count read fresh while Redis is up (bounded by `timeoutMs`), the last value read while it is
 * down or slow: a scrape never waits on a Redis that does not answer.
 */
export function lastKnownCount(
  read: () => Promise<number>,
  up: () => boolean,
  timeoutMs: number,
): () => Promise<number | null> {
  let last: number | null = null;
  return async () => {
    if (!up()) return last;
    try {
      last = await withDeadline(read(), timeoutMs, () => new RedisTimeoutError(timeoutMs));
    } catch {
      // Down or slow: the last value read stands.
    }
    return last;
  };
}

// Cumulative counts (counters; a lost Redis state restarts them, which Prometheus reads as a reset).
const TOTALS: Array<[Exclude<keyof SyncCounters, 'inflight'>, string]> = [
  ['discovered', 'Registry entries seen by discovery passes (replays included)'],
  ['queued', 'Records queued as new sync jobs'],
  ['indexed', 'Records written to the store'],
  ['gone', 'Records that were not found, deleted or encrypted'],
  ['dead', 'Records dead-lettered'],
  ['degraded', 'Records indexed degraded (conflicting fields set aside, SYNC_ON_MAPPING_CONFLICT=degrade)'],
  ['deduplicated', 'Discovered entries not queued again (already handled at that version)'],
  ['retries', 'Transient failures retried'],
  ['replayed', 'Dead letters replayed'],
  ['deleted', 'Deletions applied from the deletion registry'],
];

export function createSyncMetrics(
  source: CountersSource,
  registry: Registry = new Registry(),
  opts: SyncMetricsOptions = {},
): SyncMetrics {
  let last: SyncCounters | null = null;
  let pending: Promise<SyncCounters | null> | null = null;
  // One read per scrape, shared by every metric's collect(). Null (never read) leaves them unset.
  const read = (): Promise<SyncCounters | null> => {
    pending ??= source.counters().then(
      (c) => {
        if (c) last = c;
        queueMicrotask(() => (pending = null));
        return c;
      },
      (err: unknown) => {
        pending = null;
        throw err;
      },
    );
    return pending;
  };

  for (const [key, help] of TOTALS) {
    new Counter({
      name: `oip_sync_${key}_total`,
      help,
      registers: [registry],
      async collect() {
        const c = await read();
        if (!c) return;
        this.reset();
        this.inc(c[key] as number);
      },
    });
  }
  new Gauge({
    name: 'oip_sync_inflight',
    help: 'Records queued and not yet finished',
    registers: [registry],
    async collect() {
      const c = await read();
      if (c) this.set(c.inflight);
    },
  });
  const byLabel = (name: string, help: string, label: string, pick: (c: SyncCounters) => Record<string, number>) =>
    new Counter({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      async collect() {
        const c = await read();
        if (!c) return;
        this.reset();
        for (const [value, n] of Object.entries(pick(c))) this.inc({ [label]: value }, n);
      },
    });
  byLabel('oip_sync_dead_by_code_total', 'Records dead-lettered, by dead-letter code', 'code', (c) => c.deadByCode);
  byLabel(
    'oip_sync_gone_by_reason_total',
    'Records gone, by reason (not_found, deleted, encrypted)',
    'reason',
    (c) => c.goneByReason,
  );
  new Gauge({
    name: 'oip_sync_invariant_ok',
    help: '1 when discovered = indexed + gone + dead + deduplicated + inflight',
    registers: [registry],
    async collect() {
      const c = await read();
      if (c) this.set(invariantHolds(c) ? 1 : 0);
    },
  });
  const redisUp = opts.redisUp;
  if (redisUp) {
    new Gauge({
      name: 'oip_sync_redis_up',
      help: '1 while Redis answers; 0 while down (the sync totals are then the last known values)',
      registers: [registry],
      collect() {
        this.set(redisUp() ? 1 : 0);
      },
    });
  }
  const deadLetters = opts.deadLetters;
  if (deadLetters) {
    new Gauge({
      name: 'oip_sync_dead_letters',
      help: 'Entries in the dead-letter queue now (a replay or discard takes one out)',
      registers: [registry],
      async collect() {
        const n = await deadLetters();
        if (n !== null) this.set(n);
      },
    });
  }
  const lost = new Counter({
    name: 'oip_sync_state_lost_total',
    help: 'Times this worker found the Redis state lost (restarted empty or flushed)',
    registers: [registry],
  });
  const repaired = new Counter({
    name: 'oip_sync_repaired_total',
    help: 'Records found in the store at their version after a state loss, marked indexed without a relay fetch',
    registers: [registry],
  });
  // Per process (not shared through Redis): a scraper sums the workers' series.
  const stages = new Histogram({
    name: 'oip_sync_stage_seconds',
    help: 'Time records spent in each stage of this worker process (per record: queue_wait, relay_fetch, validate_convert, store_write, state_finish, dead_letter; per batch: store_flush)',
    labelNames: ['stage'],
    buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10, 60],
    registers: [registry],
  });
  return {
    registry,
    last: () => last,
    stateLost: () => lost.inc(),
    repaired: () => repaired.inc(),
    observeStage: (stage, seconds) => stages.observe({ stage }, Math.max(0, seconds)),
  };
}
