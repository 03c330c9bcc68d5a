// /get hits through gun-proxy (Fastify: schema, hooks, metrics, error handling) vs a bare
// node:http server answering the same lookups from the same GUN peer and store, in one run.
// Both servers live in one child process; the load generator runs here, on the other core.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Benchmark, printResult, printTable } from '../benchmark.js';
import { runLoad, type LoadResult } from '../relay/load.js';
import { soulOf } from '../relay/records.js';

const int = (v: string | undefined, d: number): number =>
  v === undefined ? d : Math.max(1, Number.parseInt(v, 10) || d);

export const benchmark: Benchmark = {
  name: 'relay-get',
  description: '/get hits: gun-proxy vs a bare node:http server over the same GUN instance (req/s, p99)',
  async run(flags) {
    const requests = int(flags.requests, 20_000);
    const concurrency = int(flags.concurrency, 32);
    const records = int(flags.records, 2_000);
    const rounds = int(flags.rounds, 2);

    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('../relay/get-servers.js', import.meta.url)), String(records)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout! });
        rl.once('line', (l) => {
          rl.close();
          resolve(l);
        });
        child.once('exit', (c) => reject(new Error(`servers exited early (${c})`)));
        setTimeout(() => reject(new Error('servers did not start in 60 s')), 60_000).unref();
      });
      const { proxyUrl, bareUrl, publishers } = JSON.parse(line) as {
        proxyUrl: string;
        bareUrl: string;
        publishers: number;
      };
      const target = (url: string, count: number): Promise<LoadResult> =>
        runLoad({
          url,
          count,
          concurrency,
          request: (i) => ({ path: `/get?soul=${encodeURIComponent(soulOf((i * 7919) % records, publishers))}` }),
        });

      // warm both (JIT, SQLite page cache), then alternate rounds and keep each server's best
      await target(proxyUrl, 2_000);
      await target(bareUrl, 2_000);
      const best: Record<'proxy' | 'bare', LoadResult | undefined> = { proxy: undefined, bare: undefined };
      for (let r = 0; r < rounds; r++) {
        for (const [name, url] of [
          ['proxy', proxyUrl],
          ['bare', bareUrl],
        ] as const) {
          const res = await target(url, requests);
          if ((res.statuses[200] ?? 0) !== requests)
            throw new Error(`${name}: not all 200: ${JSON.stringify(res.statuses)}`);
          if (!best[name] || res.rps > best[name].rps) best[name] = res;
        }
      }
      const p = best.proxy!;
      const b = best.bare!;
      const ratio = p.rps / b.rps;
      console.log(
        `\n/get hits, ${records} records (~2 KB), concurrency ${concurrency}, ${requests} requests per round, best of ${rounds}`,
      );
      printTable(
        ['server', 'req/s', 'p50 ms', 'p99 ms', 'max ms'],
        [
          ['gun-proxy (Fastify)', p.rps.toFixed(0), p.p50.toFixed(2), p.p99.toFixed(2), p.max.toFixed(1)],
          [
            'bare node:http, same GUN instance (baseline, this run)',
            b.rps.toFixed(0),
            b.p50.toFixed(2),
            b.p99.toFixed(2),
            b.max.toFixed(1),
          ],
          ['ratio gun-proxy / bare', ratio.toFixed(2), '', '', ''],
        ],
      );
      printResult(
        'relay-get',
        {
          proxy_rps: p.rps.toFixed(0),
          proxy_p99_ms: p.p99.toFixed(2),
          bare_rps: b.rps.toFixed(0),
          bare_p99_ms: b.p99.toFixed(2),
          ratio: ratio.toFixed(2),
          goal_ratio: 0.7,
        },
        ratio >= 0.7,
      );
    } finally {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  },
};
