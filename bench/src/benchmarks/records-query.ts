// Issue 12: five typical FitnessAlly queries over 1,000,000 records in SQLite, through HTTP
// (GET /api/records on a real server, undici pool) beside the same store.search() calls
// in-process on the same data in the same run (goal ≥ 0.5× the in-process rate), and the same
// HTTP queries over 10,000 records (goal: p99 at 1M ≤ 3× p99 at 10k). The api runs in its own
// process so the load generator's CPU is not charged to it; the in-process loop runs while it idles.
// Flags: --records N (≥ 10,000), --seconds per measurement, --concurrency, --dir D (keep the big
// store in D and reuse it on the next run when it already holds N records), --total-cap N (the
// api's searchResults cap for both sides; default the api's own, 0 = exact counts).
// --store elasticsearch runs records/store-compare.ts instead: the same queries on a real
// Elasticsearch beside SQLite.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteRecordStore, type RecordStore, type SearchQuery } from '@oip/record-store';
import { type Benchmark, numberFlag, printResult, printTable } from '../benchmark.js';
import { parseConfig } from '@oip/api';
import { type ApiProcess, startApiProcess } from '../records/api-process.js';
import { percentile } from '../records/api-server.js';
import { buildSqlite as build } from '../records/sqlite-build.js';
import { CASES, type Run, overHttp } from '../records/query-cases.js';
import { compareStores } from '../records/store-compare.js';

const ANONYMOUS = { viewerPublicKey: null };

/** The api's default searchResults cap (API_RECORDS_TOTAL_CAP); --total-cap runs another (0: exact). */
function defaultTotalCap(): number {
  return parseConfig({ port: 0, store: { kind: 'sqlite', dataDir: tmpdir() }, relayUrl: 'http://127.0.0.1:9' })
    .recordsTotalCap;
}

/** The store calls one GET /api/records makes (anonymous): search (with the api's count cap) and the type's count, with the access filter. */
async function inProcess(store: RecordStore, query: SearchQuery, totalCap: number, ms: number): Promise<Run> {
  const q: SearchQuery = { ...query, access: ANONYMOUS, ...(totalCap > 0 ? { totalCap } : {}) };
  const count = { access: ANONYMOUS, ...(query.recordType ? { recordType: query.recordType } : {}) };
  const latencies: number[] = [];
  const end = performance.now() + ms;
  const started = performance.now();
  while (performance.now() < end && latencies.length < 1_000_000) {
    const t = performance.now();
    await Promise.all([store.search(q), store.count(count)]);
    latencies.push(performance.now() - t);
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: latencies.length,
  };
}

export const benchmark: Benchmark = {
  name: 'records-query',
  description:
    'five FitnessAlly queries over 1M SQLite records: HTTP req/s + p99 vs in-process store.search(), and p99 at 1M vs 10k; --store elasticsearch: real ES beside SQLite',
  async run(flags) {
    const storeFlag = flags['store'] ?? 'sqlite';
    if (storeFlag === 'elasticsearch')
      return compareStores(flags, Math.round(numberFlag(flags, 'total-cap', defaultTotalCap(), 0, 10_000)));
    if (storeFlag !== 'sqlite') throw new Error(`--store must be sqlite or elasticsearch, got "${storeFlag}"`);
    const big = Math.round(numberFlag(flags, 'records', 1_000_000, 10_000, 5_000_000));
    const small = 10_000;
    const ms = numberFlag(flags, 'seconds', 5, 0.5, 60) * 1000;
    const concurrency = Math.round(numberFlag(flags, 'concurrency', 8, 1, 64));
    const totalCap = Math.round(numberFlag(flags, 'total-cap', defaultTotalCap(), 0, 10_000));
    const ownDir = flags['dir'] === undefined;
    const bigDir = flags['dir'] ?? (await mkdtemp(join(tmpdir(), 'oip-bench-query-big-')));
    const smallDir = await mkdtemp(join(tmpdir(), 'oip-bench-query-small-'));
    await mkdir(bigDir, { recursive: true });
    const bigStore = createSqliteRecordStore({ dataDir: bigDir });
    const smallStore = createSqliteRecordStore({ dataDir: smallDir });
    const servers: ApiProcess[] = [];
    try {
      const have = await bigStore.count({});
      // Records are numbered: a reused store of fewer records is topped up from where it ends.
      const from = have >= big ? big : Math.floor(have / 5000) * 5000;
      console.log(
        `building ${(big - from).toLocaleString()} of ${big.toLocaleString()} records (bound 20 min; ${from.toLocaleString()} already in ${bigDir}) and ${small.toLocaleString()} …`,
      );
      const buildSeconds = await build(bigStore, big, 20 * 60_000, from);
      await build(smallStore, small, 5 * 60_000);
      if (from < big)
        console.log(
          `built ${(big - from).toLocaleString()} records in ${buildSeconds.toFixed(0)} s (${Math.round((big - from) / buildSeconds).toLocaleString()} records/s)`,
        );
      const bigServer = await startApiProcess(bigDir, { connections: concurrency, totalCap });
      servers.push(bigServer);
      const smallServer = await startApiProcess(smallDir, { connections: concurrency, totalCap });
      servers.push(smallServer);

      const rows: Array<Array<string | number>> = [];
      const values: Record<string, string | number> = {
        records: big,
        build_s: from < big ? buildSeconds.toFixed(0) : 'reused',
        concurrency,
        total_cap: totalCap,
      };
      console.log(
        `searchResults cap (API_RECORDS_TOTAL_CAP): ${totalCap > 0 ? totalCap.toLocaleString() : 'none (exact)'}; "+" marks a lower bound`,
      );
      let goal = true;
      for (const c of CASES) {
        await overHttp(bigServer, c.path, concurrency, 500); // warm-up
        const http = await overHttp(bigServer, c.path, concurrency, ms);
        const local = await inProcess(bigStore, c.query, totalCap, ms);
        await overHttp(smallServer, c.path, concurrency, 500);
        const smallHttp = await overHttp(smallServer, c.path, concurrency, ms);
        const rateRatio = http.perSecond / local.perSecond;
        const p99Ratio = http.p99 / smallHttp.p99;
        goal &&= rateRatio >= 0.5 && p99Ratio <= 3;
        rows.push([
          c.name,
          http.results,
          http.perSecond.toFixed(0),
          http.p99.toFixed(2),
          local.perSecond.toFixed(0),
          local.p99.toFixed(2),
          rateRatio.toFixed(2),
          smallHttp.p99.toFixed(2),
          p99Ratio.toFixed(2),
        ]);
        const key = c.name.replace(/\W+/g, '_');
        values[`${key}_http_rps`] = http.perSecond.toFixed(0);
        values[`${key}_rate_ratio`] = rateRatio.toFixed(2);
        values[`${key}_p99_ratio`] = p99Ratio.toFixed(2);
      }
      printTable(
        [
          'query',
          'matches',
          'HTTP req/s',
          'HTTP p99 ms',
          'in-process q/s',
          'in-process p99 ms',
          'HTTP/in-process',
          `p99 ms at ${small / 1000}k`,
          `p99 ${big / 1_000_000}M/${small / 1000}k`,
        ],
        rows,
      );
      printResult('records-query', values, goal);
    } finally {
      for (const s of servers) await s.close();
      await bigStore.close();
      await smallStore.close();
      await rm(smallDir, { recursive: true, force: true });
      if (ownDir) await rm(bigDir, { recursive: true, force: true });
    }
  },
};
