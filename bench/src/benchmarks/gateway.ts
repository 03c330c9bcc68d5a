// Issue 13: the api as the public gateway. `/gun-relay/get?soul=` through the api (Fastify +
// @fastify/reply-from) → gun-proxy, beside the same requests through Debian nginx `proxy_pass`
// (one worker, upstream keep-alive), both started here, in one run; gun-proxy hit directly is
// shown for reference. Each side gets a fixed concurrency for a fixed time per round; rounds
// alternate and each side keeps its best round. Goal: ≥ 0.6× nginx req/s and p99 ≤ 2× nginx.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { type Benchmark, numberFlag, printResult, printTable } from '../benchmark.js';
import { runTimedLoad, type TimedLoadResult } from '../gateway/load.js';
import { findNginx, startNginx, type NginxProcess } from '../gateway/nginx.js';
import { startApiProcess, type ApiProcess } from '../records/api-process.js';
import { startProxyProcess, type ProxyProcess } from '../relay/proxy-process.js';
import { recordOf, soulOf } from '../relay/records.js';

const PUBLISHERS = 50;
const GOAL_RPS = 0.6;
const GOAL_P99 = 2;

/** Puts `records` ~2 KB records through gun-proxy's HTTP API, 16 in flight. */
async function seed(relayUrl: string, records: number): Promise<void> {
  const pool = new Pool(relayUrl, { connections: 16 });
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < records; i = next++) {
      const res = await pool.request({
        method: 'POST',
        path: '/put',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ soul: soulOf(i, PUBLISHERS), data: recordOf(i, PUBLISHERS) }),
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`seeding record ${i}: ${res.statusCode} ${text}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: 16 }, worker));
  } finally {
    await pool.close();
  }
}

const row = (name: string, r: TimedLoadResult): Array<string | number> => [
  name,
  r.rps.toFixed(0),
  r.p50.toFixed(2),
  r.p99.toFixed(2),
  r.max.toFixed(1),
  r.requests,
];

export const benchmark: Benchmark = {
  name: 'gateway',
  description:
    '/gun-relay/get through the api gateway vs Debian nginx proxy_pass to the same gun-proxy (req/s, p99; goal ≥0.6× rps, p99 ≤2×); --seconds --concurrency --records --rounds --nginx',
  async run(flags) {
    const seconds = numberFlag(flags, 'seconds', 5, 1, 120);
    const concurrency = Math.round(numberFlag(flags, 'concurrency', 32, 1, 512));
    const records = Math.round(numberFlag(flags, 'records', 500, 1, 20_000));
    const rounds = Math.round(numberFlag(flags, 'rounds', 2, 1, 10));
    const nginxBin = findNginx(flags.nginx);
    if (!nginxBin) {
      console.log(
        `gateway: skipped, nginx not found (${flags.nginx ? `--nginx ${flags.nginx}` : 'looked on PATH and in /usr/sbin'}); the nginx baseline cannot run.`,
      );
      console.log('gateway: install it with `apt-get install -y nginx` and run `pnpm bench gateway` again.');
      printResult('gateway', { skipped: 'nginx_missing' }, false);
      return;
    }

    let relay: ProxyProcess | undefined;
    let api: ApiProcess | undefined;
    let nginx: NginxProcess | undefined;
    const storeDir = await mkdtemp(path.join(os.tmpdir(), 'bench-gateway-store-'));
    try {
      relay = await startProxyProcess();
      const relayPort = Number(new URL(relay.url).port);
      const t0 = performance.now();
      await seed(relay.url, records);
      console.log(
        `seeded ${records} records (~2 KB) into gun-proxy in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      api = await startApiProcess(storeDir, { connections: 1, relayUrl: relay.url });
      nginx = await startNginx(nginxBin, { upstreamPort: relayPort, keepalive: 64 });

      const sides = {
        api: { url: api.url, prefix: '/gun-relay' },
        nginx: { url: nginx.url, prefix: '/gun-relay' },
        direct: { url: relay.url, prefix: '' },
      } as const;
      type Side = keyof typeof sides;
      const load = (side: Side, secs: number): Promise<TimedLoadResult> =>
        runTimedLoad({
          url: sides[side].url,
          seconds: secs,
          concurrency,
          path: (i) => `${sides[side].prefix}/get?soul=${encodeURIComponent(soulOf((i * 7919) % records, PUBLISHERS))}`,
        });

      // Warm every side (JIT, pools, gun-proxy's caches) one after the other; they must answer the same body.
      const warm: Array<[Side, TimedLoadResult]> = [];
      for (const side of ['direct', 'api', 'nginx'] as const) warm.push([side, await load(side, 2)]);
      const bodies = new Set(warm.map(([, r]) => r.firstBody));
      if (bodies.size !== 1)
        throw new Error(
          `the three paths answered different bodies: ${[...bodies].map((b) => b.slice(0, 120)).join(' | ')}`,
        );

      const best: Partial<Record<Side, TimedLoadResult>> = {};
      for (let r = 0; r < rounds; r++) {
        for (const side of ['api', 'nginx', 'direct'] as const) {
          const res = await load(side, seconds);
          const ok = res.statuses[200] ?? 0;
          if (ok !== res.requests) throw new Error(`${side}: not all 200: ${JSON.stringify(res.statuses)}`);
          if (!best[side] || res.rps > best[side].rps) best[side] = res;
        }
      }
      const a = best.api!;
      const n = best.nginx!;
      const d = best.direct!;
      const rpsRatio = a.rps / n.rps;
      const p99Ratio = a.p99 / n.p99;
      console.log(
        `\n/gun-relay/get?soul=…, ${records} records (~2 KB), concurrency ${concurrency}, ${seconds} s per side per round, best of ${rounds} rounds, ${os.cpus().length} cores shared by client, proxy and gun-proxy`,
      );
      printTable(
        ['path', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'requests'],
        [
          row('api gateway (Fastify + @fastify/reply-from) → gun-proxy', a),
          row('Debian nginx proxy_pass, 1 worker, keepalive (baseline, this run)', n),
          row('gun-proxy directly (reference)', d),
          ['ratio api / nginx', rpsRatio.toFixed(2), (a.p50 / n.p50).toFixed(2), p99Ratio.toFixed(2), '', ''],
        ],
      );
      printResult(
        'gateway',
        {
          api_rps: a.rps.toFixed(0),
          api_p99_ms: a.p99.toFixed(2),
          nginx_rps: n.rps.toFixed(0),
          nginx_p99_ms: n.p99.toFixed(2),
          direct_rps: d.rps.toFixed(0),
          rps_ratio: rpsRatio.toFixed(2),
          p99_ratio: p99Ratio.toFixed(2),
          goal_rps_ratio: GOAL_RPS,
          goal_p99_ratio: GOAL_P99,
        },
        rpsRatio >= GOAL_RPS && p99Ratio <= GOAL_P99,
      );
    } finally {
      await nginx?.stop();
      await api?.close();
      await relay?.stop();
      await rm(storeDir, { recursive: true, force: true });
    }
  },
};
