// `oip migrate records` throughput and memory: a legacy-shaped `records` index (legacy mapping:
// `data` nested, text-only oip fields; FitnessAlly records, half Arweave-era without oip.storage)
// of --records documents on a real Elasticsearch (the node ELASTICSEARCH_URL names, else one
// started here with a bounded heap) is migrated into a fresh SQLite store by the sync-worker's
// CLI as a child process (dist/cli.js), its RSS sampled from /proc every 100 ms. The baseline,
// in the same run: a plain scroll of the same index (point in time + search_after, the same page
// size, nothing done with the hits). Goal (issue 27): records/s ≥ 0.5 × the scroll's, and RSS
// flat: the peak over the second half of the run at most the first half's peak + 20 % (+ 16 MB).
// `--cpu-prof DIR` starts the CLI with `--cpu-prof` and its profile written to DIR.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { purgePrefix } from '@oip/queue-contracts';
import { createEsClient } from '@oip/record-store';
import { type Benchmark, loadLine, numberFlag, printResult, printTable } from '../benchmark.js';
import { benchElasticsearch } from '../elasticsearch/es-node.js';
import { legacyIndexBody } from '@oip/test-kit';
import { fitnessRecord } from '../records/fitness-records.js';
import { readProc } from '../soak/probe.js';
import { REDIS_URL } from '../sync/sync-fixture.js';

const GOAL_RATIO = 0.5;
const CLI = resolve(import.meta.dirname, '..', '..', '..', 'apps', 'sync-worker', 'dist', 'cli.js');
/** Record i as the legacy node indexed it: odd ones Arweave-era (did:arweave, no storage). */
function legacyDoc(i: number): { id: string; doc: Record<string, unknown> } {
  const r = fitnessRecord(i);
  if (i % 2 === 0) return { id: r.oip.did, doc: r as unknown as Record<string, unknown> };
  const did = `did:arweave:tx${String(i).padStart(9, '0')}`;
  const { storage: _storage, ...oip } = r.oip;
  return { id: did, doc: { data: r.data, oip: { ...oip, did, didTx: did, recordStatus: 'original' } } };
}

type EsClient = ReturnType<typeof createEsClient>;

async function fill(client: EsClient, index: string, n: number): Promise<void> {
  await client.indices.create({
    index,
    // The legacy records index (helpers/elasticsearch.js ensureIndexExists), no refresh while filling.
    settings: { ...legacyIndexBody('records').settings, refresh_interval: '-1', number_of_replicas: 0 },
    mappings: legacyIndexBody('records').mappings as never,
  });
  const t = performance.now();
  for (let i = 0; i < n; i += 2000) {
    const operations = [];
    for (let k = i; k < Math.min(n, i + 2000); k++) {
      const { id, doc } = legacyDoc(k);
      operations.push({ index: { _index: index, _id: id } }, doc);
    }
    const res = await client.bulk({ operations });
    if (res.errors) throw new Error('filling the legacy index: a bulk item was refused');
  }
  await client.indices.putSettings({ index, settings: { refresh_interval: '1s' } });
  await client.indices.refresh({ index });
  await client.indices.forcemerge({ index, max_num_segments: 1 });
  console.log(`legacy index filled: ${n} documents in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}

/** The baseline: every document read with a point in time and search_after, nothing else. */
async function scroll(client: EsClient, index: string, size: number): Promise<{ docs: number; seconds: number }> {
  const t = performance.now();
  let pit = (await client.openPointInTime({ index, keep_alive: '2m' })).id;
  let after: unknown[] | undefined;
  let docs = 0;
  try {
    for (;;) {
      const res = await client.search({
        pit: { id: pit, keep_alive: '2m' },
        size,
        sort: [{ _shard_doc: 'asc' }] as never,
        track_total_hits: false,
        ...(after === undefined ? {} : { search_after: after as never }),
      });
      if (res.pit_id) pit = res.pit_id;
      const hits = res.hits.hits;
      docs += hits.length;
      if (hits.length < size) break;
      after = hits[hits.length - 1]!.sort;
    }
  } finally {
    await client.closePointInTime({ id: pit }).catch(() => {});
  }
  return { docs, seconds: (performance.now() - t) / 1000 };
}

interface MigrateRun {
  seconds: number;
  written: number;
  failed: number;
  /** RSS samples, bytes, with the time since start. */
  rss: Array<{ t: number; bytes: number }>;
}

async function migrate(
  url: string,
  index: string,
  batch: number,
  dir: string,
  prefix: string,
  cpuProfDir: string | undefined,
): Promise<MigrateRun> {
  const args = ['migrate', 'records', '--from-elasticsearch', url, '--index', index, '--batch', String(batch)];
  // --cpu-prof DIR: the CLI writes a V8 CPU profile there (open it in Chrome's DevTools).
  const prof = cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', resolve(cpuProfDir)];
  const t = performance.now();
  const child = spawn(process.execPath, [...prof, CLI, ...args, '--state-dir', join(dir, 'state'), '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env['PATH'],
      REDIS_URL,
      SYNC_QUEUE_PREFIX: prefix,
      STORE_KIND: 'sqlite',
      STORE_DATA_DIR: join(dir, 'records'),
      SYNC_RELAYS: 'http://127.0.0.1:1',
      LOG_LEVEL: 'warn',
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
  const rss: MigrateRun['rss'] = [];
  const timer = setInterval(() => {
    const r = readProc(child.pid!).rss;
    if (r !== null) rss.push({ t: performance.now() - t, bytes: r });
  }, 100);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(timer);
  const seconds = (performance.now() - t) / 1000;
  if (code !== 0) throw new Error(`migrate exited ${code}: ${err}`);
  const report = JSON.parse(out.trim().split('\n').at(-1)!) as { totals: { written: number; failed: number } };
  return { seconds, written: report.totals.written, failed: report.totals.failed, rss };
}

const mb = (b: number) => (b / 1024 / 1024).toFixed(0);

export const benchmark: Benchmark = {
  name: 'migrate',
  description: 'oip migrate records: records/s and RSS migrating a legacy index into SQLite vs a plain scroll of it',
  async run(flags) {
    const records = numberFlag(flags, 'records', 200_000, 1000, 5_000_000);
    const batch = numberFlag(flags, 'batch', 500, 10, 5000);
    console.log(loadLine());
    const es = await benchElasticsearch(flags['heap'] ?? '1g');
    const client = createEsClient({ node: es.url, requestTimeoutMs: 120_000 });
    const index = `oip-bench-legacy-${randomUUID().slice(0, 8)}`;
    const prefix = `bench-migrate-${randomUUID().slice(0, 8)}`;
    const dir = await mkdtemp(join(tmpdir(), 'oip-bench-migrate-'));
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    try {
      await fill(client, index, records);
      const base = await scroll(client, index, batch);
      if (base.docs !== records) throw new Error(`the scroll read ${base.docs} of ${records}`);
      const run = await migrate(es.url, index, batch, dir, prefix, flags['cpu-prof']);
      if (run.written !== records) throw new Error(`migrate wrote ${run.written} of ${records} (${run.failed} failed)`);
      const scrollRate = base.docs / base.seconds;
      const rate = run.written / run.seconds;
      const ratio = rate / scrollRate;
      const half = run.seconds * 500;
      const peak = (xs: MigrateRun['rss']) => xs.reduce((m, s) => Math.max(m, s.bytes), 0);
      const firstPeak = peak(run.rss.filter((s) => s.t <= half));
      const secondPeak = peak(run.rss.filter((s) => s.t > half));
      const flat = secondPeak <= firstPeak * 1.2 + 16 * 1024 * 1024;
      printTable(
        ['measure', 'plain scroll (same run)', 'oip migrate records', 'ratio'],
        [
          ['records/s', scrollRate.toFixed(0), rate.toFixed(0), ratio.toFixed(2)],
          ['seconds', base.seconds.toFixed(1), run.seconds.toFixed(1), '-'],
          ['peak RSS, first / second half (MB)', '-', `${mb(firstPeak)} / ${mb(secondPeak)}`, flat ? 'flat' : 'grew'],
        ],
      );
      console.log(loadLine());
      printResult(
        'migrate',
        {
          records,
          batch,
          migrate_per_s: rate.toFixed(0),
          scroll_per_s: scrollRate.toFixed(0),
          ratio: ratio.toFixed(2),
          peak_rss_mb: mb(Math.max(firstPeak, secondPeak)),
          rss_first_half_mb: mb(firstPeak),
          rss_second_half_mb: mb(secondPeak),
        },
        ratio >= GOAL_RATIO && flat,
      );
    } finally {
      await client.indices.delete({ index }, { ignore: [404] }).catch(() => {});
      await client.close();
      await purgePrefix(redis, prefix).catch(() => {});
      redis.disconnect();
      await rm(dir, { recursive: true, force: true });
      await es.stop();
    }
  },
};
