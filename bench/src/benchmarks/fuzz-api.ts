// Issue 23: the api fuzz at any length. The same stack and generator as test-e2e/test/api-fuzz.test.ts
// (tooling/api-fuzz: gun-proxy, media and the api as processes on loopback, requests from the
// api's OpenAPI document through fast-check, five identities, 8 in flight), run for --requests
// (CI runs 10,000 in the test; here e.g. 200,000) from --seed after a warm-up of --warmup requests
// (seed + 1). The api's heap is read after forced full collections (its inspector) after the
// warm-up (the baseline), at every tenth of the run and at the end. Goal: no 5xx, no unanswered
// request, no process exit, and the heap at the end within 30 MB of the baseline.
import { fileURLToPath } from 'node:url';
import {
  ApiStack,
  FuzzSender,
  describeFailures,
  describeRequest,
  fuzzRequests,
  operationsOf,
  runFuzz,
  type FuzzRequest,
  type HeapReading,
} from '@oip/api-fuzz';
import { type Benchmark, numberFlag, printResult, printTable } from '../benchmark.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const HEAP_GROWTH_BOUND_MB = 30;
const mb = (n: number) => n / 1024 / 1024;

export const benchmark: Benchmark = {
  name: 'fuzz-api',
  description:
    'the api fuzz (test-e2e api-fuzz) at any length: no 5xx, no exit, heap back within 30 MB; --requests (10000) --seed (230023) --warmup (1000) --concurrency (8)',
  async run(flags) {
    const requests = Math.round(numberFlag(flags, 'requests', 10_000, 1, 100_000_000));
    const seed = Math.round(numberFlag(flags, 'seed', 230_023, 0, 2 ** 31 - 1));
    const warmupRequests = Math.round(numberFlag(flags, 'warmup', 1_000, 0, 1_000_000));
    const concurrency = Math.round(numberFlag(flags, 'concurrency', 8, 1, 256));

    const stack = await ApiStack.start({
      repoRoot,
      baseEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', LANG: 'C.UTF-8' },
    });
    const sender = new FuzzSender(stack.target, { connections: concurrency });
    const describe = (r: FuzzRequest) => describeRequest(r, stack.target.fixtures);
    try {
      const arbitrary = fuzzRequests(operationsOf(await stack.openApi()));
      const send = (r: FuzzRequest) => sender.send(r);
      const warmup = await runFuzz({
        arbitrary,
        send,
        seed: seed + 1,
        requests: Math.max(1, warmupRequests),
        concurrency,
      });
      await new Promise((r) => setTimeout(r, 3000));
      const baseline = await stack.heap();
      // Read while the run goes on; a failed reading is shown, not thrown later as an unhandled rejection.
      const readings: Array<{ at: number; heap: Promise<HeapReading | Error> }> = [];
      const every = Math.max(1, Math.floor(requests / 10));
      const report = await runFuzz({
        arbitrary,
        send,
        seed,
        requests,
        concurrency,
        progressEvery: every,
        onProgress: (n) => {
          if (n < requests)
            readings.push({
              at: n,
              heap: stack.heap().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
            });
        },
      });
      await new Promise((r) => setTimeout(r, 3000));
      const end = await stack.heap();
      const exited = stack.exited();
      const failures = warmup.failureCount + report.failureCount;

      if (failures > 0) {
        if (warmup.failureCount > 0) console.log(describeFailures(warmup, describe));
        if (report.failureCount > 0) console.log(describeFailures(report, describe));
      }
      const rows: Array<Array<string | number>> = [
        ['after warm-up (baseline)', warmup.sent, mb(baseline.heapUsed).toFixed(1), mb(baseline.rss).toFixed(1)],
      ];
      for (const r of readings) {
        const h = await r.heap;
        rows.push(
          h instanceof Error
            ? [`at ${r.at}`, r.at, `unread: ${h.message}`, '']
            : [`at ${r.at}`, r.at, mb(h.heapUsed).toFixed(1), mb(h.rss).toFixed(1)],
        );
      }
      rows.push(['end (after 3 s idle)', report.sent, mb(end.heapUsed).toFixed(1), mb(end.rss).toFixed(1)]);
      printTable(['api heap, forced GC', 'requests', 'heapUsed MB', 'rss MB'], rows);
      console.log('');
      const statuses = [...report.byStatus].sort((a, b) => a[0] - b[0]);
      printTable(
        ['status', 'answers'],
        statuses.map(([s, n]) => [s === 0 ? 'none' : s, n]),
      );
      console.log('');
      const growth = mb(end.heapUsed - baseline.heapUsed);
      const rps = report.sent / (report.durationMs / 1000);
      printTable(
        ['', 'fuzz', 'goal'],
        [
          ['requests (seed)', `${report.sent} (${seed})`, `${requests}`],
          ['failing requests (5xx, unanswered)', failures, 0],
          ['processes exited', exited.length === 0 ? 'none' : exited.join(', '), 'none'],
          ['heap growth over baseline', `${growth.toFixed(1)} MB`, `< ${HEAP_GROWTH_BOUND_MB} MB`],
          ['req/s, p50 / p99 ms', `${rps.toFixed(0)}, ${report.latency.p50} / ${report.latency.p99}`, '(figures)'],
        ],
      );
      const met = failures === 0 && exited.length === 0 && growth < HEAP_GROWTH_BOUND_MB;
      printResult(
        'fuzz-api',
        {
          requests: report.sent,
          seed,
          failures,
          exited: exited.length,
          heap_growth_mb: growth.toFixed(1),
          rps: rps.toFixed(0),
          p99_ms: report.latency.p99,
        },
        met,
      );
    } finally {
      await sender.close();
      await stack.stop();
    }
  },
};
