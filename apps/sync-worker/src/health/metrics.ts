// Prometheus metrics of the sync pipeline, read from the shared Redis counters at scrape time
// (so every worker's /metrics shows the cluster-wide totals, and nothing accumulates here).
import { Gauge, Registry } from 'prom-client';
import { invariantHolds, type SyncCounters, type SyncState } from '../state/sync-state.js';

export interface SyncMetrics {
  registry: Registry;
  /** The counters read by the last scrape (or null before the first). */
  last(): SyncCounters | null;
}

const TOTALS: Array<[keyof SyncCounters, string]> = [
  ['discovered', 'Registry entries seen by discovery passes (replays included)'],
  ['queued', 'Records queued as new sync jobs'],
  ['indexed', 'Records written to the store'],
  ['gone', 'Records that were not found, deleted or encrypted'],
  ['dead', 'Records dead-lettered'],
  ['deduplicated', 'Discovered entries not queued again (already handled at that version)'],
  ['inflight', 'Records queued and not yet finished'],
  ['retries', 'Transient failures retried'],
  ['replayed', 'Dead letters replayed'],
  ['deleted', 'Deletions applied from the deletion registry'],
];

export function createSyncMetrics(state: SyncState, registry: Registry = new Registry()): SyncMetrics {
  let last: SyncCounters | null = null;
  let pending: Promise<SyncCounters> | null = null;
  // One Redis read per scrape, shared by every gauge's collect().
  const read = (): Promise<SyncCounters> => {
    pending ??= state.counters().then(
      (c) => {
        last = c;
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
    new Gauge({
      name: `oip_sync_${key}`,
      help,
      registers: [registry],
      async collect() {
        this.set((await read())[key] as number);
      },
    });
  }
  new Gauge({
    name: 'oip_sync_dead_by_code',
    help: 'Records dead-lettered, by dead-letter code',
    labelNames: ['code'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [code, n] of Object.entries((await read()).deadByCode)) this.set({ code }, n);
    },
  });
  new Gauge({
    name: 'oip_sync_gone_by_reason',
    help: 'Records gone, by reason (not_found, deleted, encrypted)',
    labelNames: ['reason'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [reason, n] of Object.entries((await read()).goneByReason)) this.set({ reason }, n);
    },
  });
  new Gauge({
    name: 'oip_sync_invariant_ok',
    help: '1 when discovered = indexed + gone + dead + deduplicated + inflight',
    registers: [registry],
    async collect() {
      this.set(invariantHolds(await read()) ? 1 : 0);
    },
  });
  return { registry, last: () => last };
}
