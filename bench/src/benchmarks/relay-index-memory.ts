// Issue 5 / seed 001: the legacy relay kept every record body in an in-memory publisher index and
// GUN kept every node it saw, so RSS grew ~160 KB per record. gun-proxy persists the index in GUN
// (SQLite) with a bounded LRU and evicts GUN's graph after each storage flush.
import { type Benchmark, printResult, printTable } from '../benchmark.js';
import { combine, runLoad, type LoadResult } from '../relay/load.js';
import { startProxyProcess, type ProxyHealth } from '../relay/proxy-process.js';
import { recordOf, soulOf } from '../relay/records.js';

const MB = 1024 * 1024;
const mb = (b: number): string => (b / MB).toFixed(0);
const int = (v: string | undefined, d: number): number =>
  v === undefined ? d : Math.max(1, Number.parseInt(v, 10) || d);

// Measured by the team on this machine against the legacy gun-relay-server (5,000 puts of ~2 KB
// records over 500 publishers at concurrency 16, then 5,000 gets and 200 misses).
const LEGACY = {
  rssStartMB: 59,
  rssAfterPutsMB: 663,
  rssAfterGetsMB: 867,
  kbPerRecord: 160,
  putsPerSec: 46,
  putP50: 369,
  getsPerSec: 644,
  getP50: 19,
  getP99: 139,
  missP50: 3000,
};

/** Slope of y over x scaled to 10,000 records (0 with fewer than two points). */
function slopePer10k(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 10_000;
}

export const benchmark: Benchmark = {
  name: 'relay-index-memory',
  description: 'gun-proxy RSS/heap over 100k puts (5k publishers), 100k gets, 1k misses vs legacy relay (seed 001)',
  async run(flags) {
    const puts = int(flags.puts, 100_000);
    const gets = int(flags.gets, puts);
    const misses = int(flags.misses, 1_000);
    const publishers = int(flags.publishers, 5_000);
    const concurrency = int(flags.concurrency, 16);
    const missWaitMs = int(flags['miss-wait'], 500);
    const chunk = Math.min(10_000, puts);
    const warmup = Math.min(chunk, puts);

    const proxy = await startProxyProcess({ GUNPROXY_GET_MISS_WAIT_MS: String(missWaitMs) });
    const samples: Array<{ phase: string; records: number; h: ProxyHealth }> = [];
    const sample = async (phase: string, records: number): Promise<void> => {
      samples.push({ phase, records, h: await proxy.health() });
    };
    try {
      await sample('start', 0);
      const putParts: LoadResult[] = [];
      for (let from = 0; from < puts; from += chunk) {
        const n = Math.min(chunk, puts - from);
        putParts.push(
          await runLoad({
            url: proxy.url,
            count: n,
            concurrency,
            request: (i) => ({
              path: '/put',
              body: JSON.stringify({ soul: soulOf(from + i, publishers), data: recordOf(from + i, publishers) }),
            }),
          }),
        );
        await sample(from + n === warmup ? 'after warm-up' : `puts ${from + n}`, from + n);
      }
      const put = combine(putParts);
      const get = await runLoad({
        url: proxy.url,
        count: gets,
        concurrency,
        request: (i) => ({ path: `/get?soul=${encodeURIComponent(soulOf((i * 7919) % puts, publishers))}` }),
      });
      await sample('after gets', puts);
      const miss = await runLoad({
        url: proxy.url,
        count: misses,
        concurrency,
        request: (i) => ({ path: `/get?soul=${encodeURIComponent(`ffffffffffff:missing-${i}`)}` }),
      });
      await sample('after misses', puts);

      const warm = samples.find((s) => s.records === warmup && s.phase !== 'start')!;
      const lastPut = [...samples].reverse().find((s) => s.phase.startsWith('puts') || s.phase === 'after warm-up')!;
      // Least-squares slope over the put samples from warm-up on: one GC-timed sample cannot
      // decide the verdict the way an end-point difference lets it.
      const putSamples = samples.filter(
        (s) => s.records >= warmup && (s.phase.startsWith('puts') || s.phase === 'after warm-up'),
      );
      const growthPer10k = slopePer10k(putSamples.map((s) => [s.records, s.h.memory.rssBytes / MB]));
      const heapGrowthPer10k = slopePer10k(putSamples.map((s) => [s.records, s.h.memory.heapUsedBytes / MB]));
      void warm;
      const ok200 =
        (put.statuses[200] ?? 0) === puts && (get.statuses[200] ?? 0) === gets && (miss.statuses[404] ?? 0) === misses;

      console.log(`\ngun-proxy memory by phase (concurrency ${concurrency}, ${publishers} publishers, ~2 KB records)`);
      printTable(
        ['phase', 'records', 'RSS MB', 'heap MB', 'external MB', 'GUN graph nodes', 'dup ids', 'index LRU'],
        samples.map((s) => [
          s.phase,
          s.records,
          mb(s.h.memory.rssBytes),
          mb(s.h.memory.heapUsedBytes),
          mb(s.h.memory.externalBytes),
          s.h.gun.graphNodes,
          s.h.gun.dupEntries,
          s.h.index.lruEntries,
        ]),
      );
      console.log('');
      printTable(
        ['metric', 'gun-proxy', 'legacy relay (measured by the team, 5k records)', 'goal'],
        [
          [
            'RSS growth per 10k records after warm-up (least squares)',
            `${growthPer10k.toFixed(1)} MB`,
            `~${((LEGACY.kbPerRecord * 10_000) / 1024).toFixed(0)} MB`,
            '<= 10 MB',
          ],
          ['heap growth per 10k records after warm-up (least squares)', `${heapGrowthPer10k.toFixed(1)} MB`, '-', '-'],
          [
            'RSS start → after puts → after gets',
            `${mb(samples[0]!.h.memory.rssBytes)} → ${mb(lastPut.h.memory.rssBytes)} → ${mb(samples.at(-2)!.h.memory.rssBytes)} MB`,
            `${LEGACY.rssStartMB} → ${LEGACY.rssAfterPutsMB} → ${LEGACY.rssAfterGetsMB} MB`,
            'flat',
          ],
          [
            'puts/s (p50 / p99 ms)',
            `${put.rps.toFixed(0)} (${put.p50.toFixed(1)} / ${put.p99.toFixed(1)})`,
            `${LEGACY.putsPerSec} (${LEGACY.putP50} / -)`,
            '>= 500',
          ],
          [
            'gets/s (p50 / p99 ms)',
            `${get.rps.toFixed(0)} (${get.p50.toFixed(1)} / ${get.p99.toFixed(1)})`,
            `${LEGACY.getsPerSec} (${LEGACY.getP50} / ${LEGACY.getP99})`,
            '-',
          ],
          [
            'miss p50 / max ms',
            `${miss.p50.toFixed(1)} / ${miss.max.toFixed(1)}`,
            `${LEGACY.missP50} / ${LEGACY.missP50}`,
            `<= ${missWaitMs} (configured wait)`,
          ],
          [
            'statuses',
            `put ${JSON.stringify(put.statuses)} get ${JSON.stringify(get.statuses)} miss ${JSON.stringify(miss.statuses)}`,
            '-',
            'all 200 / 404',
          ],
        ],
      );
      const goal = ok200 && growthPer10k <= 10 && put.rps >= 500 && miss.max <= missWaitMs;
      printResult(
        'relay-index-memory',
        {
          puts,
          rss_start_mb: mb(samples[0]!.h.memory.rssBytes),
          rss_after_puts_mb: mb(lastPut.h.memory.rssBytes),
          rss_after_gets_mb: mb(samples.at(-2)!.h.memory.rssBytes),
          rss_growth_mb_per_10k: growthPer10k.toFixed(1),
          puts_per_s: put.rps.toFixed(0),
          gets_per_s: get.rps.toFixed(0),
          get_p99_ms: get.p99.toFixed(1),
          miss_p50_ms: miss.p50.toFixed(1),
          miss_max_ms: miss.max.toFixed(1),
          legacy_puts_per_s: LEGACY.putsPerSec,
          legacy_miss_ms: LEGACY.missP50,
        },
        goal,
      );
    } finally {
      const code = await proxy.stop();
      if (code !== 0) console.log(`note: gun-proxy exited with code ${code} on SIGTERM`);
    }
  },
};
