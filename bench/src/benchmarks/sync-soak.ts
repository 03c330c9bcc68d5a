// Seed 000 soak: every discovered record fails with a mapping conflict, discovery runs every
// 2 s (the BullMQ job scheduler, as in production) for 10 minutes by default. Legacy retried
// every failed record on every cycle, leaking ~250 MB per failed record per cycle; here each
// record is dead-lettered once and later passes only dedup it, so heap+external must stay flat.
// The worker runs in this process (so the bench can force GC before each sample); the fake
// legacy relay runs in a child process.
import { slopeMBPerMin, type Point } from '@oip/memory-guard';
import { type Benchmark, printResult, printTable } from '../benchmark.js';
import { startRelayProcess } from '../sync/relay-process.js';
import { sleep, startFixtureWorker } from '../sync/sync-fixture.js';

const GOAL_MB_PER_MIN = 0.5;
const LEGACY_MB_PER_FAILED_RECORD_PER_CYCLE = 250;
const MB = 1024 * 1024;

/** `600`, `600s`, `10m` → ms. */
function parseDuration(v: string | undefined, defMs: number): number {
  if (!v) return defMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) throw new Error(`--duration: cannot read "${v}" (use e.g. 600, 90s, 10m)`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

function heapPlusExternal(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

export const benchmark: Benchmark = {
  name: 'sync-soak',
  description:
    '100% mapping-conflict records, discovery every 2 s; heap+external slope vs legacy ~250 MB/failed record/cycle (seed 000)',
  async run(flags) {
    const durationMs = parseDuration(flags.duration, 600_000);
    const intervalMs = Number(flags.interval ?? 2000);
    const records = Number(flags.records ?? 500);
    const sampleMs = Number(flags['sample-ms'] ?? 2000);
    // Warm-up: the first pass dead-letters everything, V8 and SQLite settle; excluded from the slope.
    const warmupMs = Number(flags['warmup-ms'] ?? Math.min(120_000, durationMs * 0.25));
    if (!(globalThis as { gc?: unknown }).gc)
      console.log('note: run with --expose-gc (pnpm bench does) for steady samples');

    const relay = await startRelayProcess(records, 'all');
    const fx = await startFixtureWorker(relay.url, {
      syncIntervalMs: intervalMs,
      discoverOnStart: true,
      concurrency: 50,
      batchSize: 50,
      batchMs: 10,
      attempts: 5,
    });
    const points: Point[] = [];
    let afterWarmup: Awaited<ReturnType<typeof fx.worker.counters>> | null = null;
    let relayAtWarmup = { total: 0, get: 0 };
    const start = Date.now();
    try {
      while (Date.now() - start < durationMs) {
        await sleep(sampleMs);
        const t = Date.now() - start;
        if (t >= warmupMs) {
          if (!afterWarmup) {
            afterWarmup = await fx.worker.counters();
            relayAtWarmup = await relay.counts();
          }
          points.push({ t, v: heapPlusExternal() });
        }
      }
      const end = await fx.worker.counters();
      const relayEnd = await relay.counts();
      const slope = slopeMBPerMin(points);
      const w = afterWarmup ?? end;
      const passes = Math.round(end.discovered / records);
      const passesAfterWarmup = Math.round((end.discovered - w.discovered) / records);
      // Each pass reads the deletion index and one registry index; anything more is a record fetch.
      const recordFetchesAfterWarmup = relayEnd.get - relayAtWarmup.get - 2 * passesAfterWarmup;
      const minutes = durationMs / 60_000;
      const legacyPerCycleMB = records * LEGACY_MB_PER_FAILED_RECORD_PER_CYCLE;
      const dead = await fx.worker.deadLetters.list({ limit: 1000 });
      const maxAttempts = dead.reduce((m, d) => Math.max(m, d.attempts), 0);
      const first = points[0]?.v ?? 0;
      const last = points.at(-1)?.v ?? 0;

      console.log(
        `sync-soak: ${records} records, all failing with mapping conflicts; discovery every ${intervalMs / 1000} s for ${minutes.toFixed(1)} min ` +
          `(warm-up ${(warmupMs / 1000).toFixed(0)} s excluded, ${points.length} samples after forced GC)\n`,
      );
      printTable(
        ['measure', 'ours', 'legacy (seed 000)'],
        [
          [
            'heap+external slope after warm-up, MB/min',
            slope.toFixed(3),
            `~${LEGACY_MB_PER_FAILED_RECORD_PER_CYCLE} MB per failed record per cycle (30-500 MB/min seen with 1-2 failing records)`,
          ],
          [
            'heap+external first → last sample, MB',
            `${(first / MB).toFixed(1)} → ${(last / MB).toFixed(1)}`,
            `+${legacyPerCycleMB.toLocaleString('en')} MB per cycle at ${records} failing records`,
          ],
          ['discovery passes (after warm-up)', `${passes} (${passesAfterWarmup})`, 'one per cycle'],
          [
            'attempts per failed record (max)',
            `${maxAttempts} (dead-lettered: ${end.dead}, retries: ${end.retries})`,
            'one per cycle, forever',
          ],
          ['record fetches after warm-up', recordFetchesAfterWarmup, `${records} per cycle`],
          ['deduplicated entries', end.deduplicated, '0 (no dedup across cycles)'],
        ],
      );
      printResult(
        'sync-soak',
        {
          slope_mb_per_min: slope.toFixed(3),
          duration_s: (durationMs / 1000).toFixed(0),
          records,
          passes,
          dead_lettered: end.dead,
          retries: end.retries,
          max_attempts: maxAttempts,
          record_fetches_after_warmup: recordFetchesAfterWarmup,
          legacy_mb_per_failed_record_per_cycle: LEGACY_MB_PER_FAILED_RECORD_PER_CYCLE,
        },
        slope < GOAL_MB_PER_MIN &&
          end.dead === records &&
          maxAttempts === 1 &&
          end.retries === 0 &&
          recordFetchesAfterWarmup === 0,
      );
    } finally {
      await fx.close();
      await relay.close();
    }
  },
};
