// `records-query --store elasticsearch` (issue 26): the five FitnessAlly queries through HTTP
// (GET /api/records, an api process each) on a real Elasticsearch beside SQLite, on the same
// records in the same run: req/s and p99 for both and their ratio. The bench starts its own
// Elasticsearch node (bounded heap) unless ELASTICSEARCH_URL names one, and stops it.
// Flags: --records N (default 200,000), --seconds per measurement, --concurrency, --total-cap,
// --heap (the node's JVM heap, default 1g).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteRecordStore } from '@oip/record-store';
import { loadLine, numberFlag, printResult, printTable } from '../benchmark.js';
import { benchElasticsearch } from '../elasticsearch/es-node.js';
import { loadIntoElasticsearch } from '../elasticsearch/es-load.js';
import { type ApiProcess, startApiProcess } from './api-process.js';
import { fitnessRecord } from './fitness-records.js';
import { CASES, overHttp } from './query-cases.js';
import { buildSqlite } from './sqlite-build.js';

const INDEX = 'oip-bench-records-query';
const BUILD_BOUND_MS = 20 * 60_000;

/**
 * Whether two searchResults agree: equal, or a lower bound ("1000+") at or below the other's
 * exact count (the SQLite store counts exactly where Elasticsearch stops at the cap).
 */
export function sameMatches(a: string, b: string): boolean {
  if (a === b) return true;
  const bound = (s: string) => ({ n: Number(s.replace('+', '')), lower: s.endsWith('+') });
  const x = bound(a);
  const y = bound(b);
  if (x.lower && !y.lower) return x.n <= y.n;
  if (y.lower && !x.lower) return y.n <= x.n;
  return false;
}

export async function compareStores(flags: Record<string, string>, totalCap: number): Promise<void> {
  const records = Math.round(numberFlag(flags, 'records', 200_000, 10_000, 5_000_000));
  const ms = numberFlag(flags, 'seconds', 5, 0.5, 60) * 1000;
  const concurrency = Math.round(numberFlag(flags, 'concurrency', 8, 1, 64));
  const heap = flags['heap'] ?? '1g';
  if (!/^\d+[mg]$/.test(heap)) throw new Error(`--heap must look like 512m or 1g, got "${heap}"`);
  console.log(`start: ${loadLine()}`);
  const es = await benchElasticsearch(heap);
  const dir = await mkdtemp(join(tmpdir(), 'oip-bench-query-es-'));
  const servers: ApiProcess[] = [];
  try {
    console.log(`loading ${records.toLocaleString()} records into SQLite (bound 20 min) …`);
    const sqlite = createSqliteRecordStore({ dataDir: dir });
    let sqliteSeconds: number;
    try {
      sqliteSeconds = await buildSqlite(sqlite, records, BUILD_BOUND_MS);
    } finally {
      await sqlite.close();
    }
    console.log(`  SQLite: ${Math.round(records / sqliteSeconds).toLocaleString()} records/s; ${loadLine()}`);
    console.log(`loading the same records into Elasticsearch index ${INDEX} (bound 20 min) …`);
    const load = await loadIntoElasticsearch(es.url, INDEX, records, fitnessRecord, BUILD_BOUND_MS);
    console.log(
      load.seconds === null
        ? `  Elasticsearch: index already held ${records.toLocaleString()} records (reused)`
        : `  Elasticsearch: ${Math.round(records / load.seconds).toLocaleString()} records/s; ${loadLine()}`,
    );

    const onSqlite = await startApiProcess(dir, { connections: concurrency, totalCap });
    servers.push(onSqlite);
    const onEs = await startApiProcess(
      { kind: 'elasticsearch', url: es.url, index: INDEX },
      { connections: concurrency, totalCap },
    );
    servers.push(onEs);

    console.log(`measuring: ${loadLine()}`);
    const rows: Array<Array<string | number>> = [];
    const values: Record<string, string | number> = {
      records,
      concurrency,
      total_cap: totalCap,
      es_heap: es.heap ?? 'given',
      sqlite_load_rps: Math.round(records / sqliteSeconds),
      es_load_rps: load.seconds === null ? 'reused' : Math.round(records / load.seconds),
    };
    let agree = true;
    for (const [i, c] of CASES.entries()) {
      // Alternate which store goes first, so a drift in the box's load does not favour one.
      const order: Array<[string, ApiProcess]> = [
        ['sqlite', onSqlite],
        ['es', onEs],
      ];
      if (i % 2 === 1) order.reverse();
      const runs = new Map<string, Awaited<ReturnType<typeof overHttp>>>();
      for (const [name, server] of order) {
        await overHttp(server, c.path, concurrency, 1000); // warm-up
        runs.set(name, await overHttp(server, c.path, concurrency, ms));
      }
      const s = runs.get('sqlite')!;
      const e = runs.get('es')!;
      agree &&= sameMatches(s.results, e.results);
      const rate = e.perSecond / s.perSecond;
      const p99 = e.p99 / s.p99;
      rows.push([
        c.name,
        s.results === e.results ? s.results : `${s.results} / ${e.results}`,
        s.perSecond.toFixed(0),
        s.p99.toFixed(2),
        e.perSecond.toFixed(0),
        e.p99.toFixed(2),
        rate.toFixed(2),
        p99.toFixed(2),
      ]);
      const key = c.name.replace(/\W+/g, '_');
      values[`${key}_sqlite_rps`] = s.perSecond.toFixed(0);
      values[`${key}_es_rps`] = e.perSecond.toFixed(0);
      values[`${key}_es_over_sqlite`] = rate.toFixed(2);
    }
    console.log(
      `\n${records.toLocaleString()} records, HTTP concurrency ${concurrency}, searchResults cap ${totalCap > 0 ? totalCap.toLocaleString() : 'none'} ("+": a lower bound)`,
    );
    printTable(
      [
        'query',
        'matches (SQLite / ES)',
        'SQLite req/s',
        'SQLite p99 ms',
        'ES req/s',
        'ES p99 ms',
        'ES/SQLite req/s',
        'ES/SQLite p99',
      ],
      rows,
    );
    console.log(`end: ${loadLine()}`);
    // No speed goal is set for Elasticsearch against SQLite; the run is good when both stores
    // answer every query with agreeing match counts (the same work measured on both).
    printResult('records-query-es', values, agree);
  } finally {
    for (const s of servers) await s.close();
    await es.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
