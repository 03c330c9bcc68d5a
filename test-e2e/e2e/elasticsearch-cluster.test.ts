// Sync into a three-node Elasticsearch cluster with one data node SIGKILLed mid-run and brought
// back. Three Elasticsearch nodes on loopback (bounded heaps, started and stopped here), the test
// index with 3 primaries and 1 replica (an index template: every shard has a copy on a second
// node, so a node's death loses no acknowledged write); a relay with 20,000 records in one registry
// index, 1 in 25 poisoned (a mapping conflict: dead-lettered); two sync-worker processes
// (apps/sync-worker/dist/main.js, configured through the environment) on one Redis prefix, their
// store on the cluster through its first node. Mid-run the node (other than the first) holding the
// most primaries is SIGKILLed; its replicas are promoted; it is started again over its data and
// the cluster goes green. At the end every record is indexed or dead-lettered exactly once, and
// what the store saw (retries, store errors in the workers' logs) is printed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { DeadLetterCodes, purgePrefix } from '@oip/queue-contracts';
import { DeadLetterService, SyncState, invariantHolds, openRedis, type RedisConnection } from '@oip/sync-state';
import { elasticsearchSkipReason, startCluster, type EsCluster, type EsNode } from '../src/elasticsearch.js';
import { until } from '@oip/test-kit';
import { buildSyncWorker, seedRecords, startWorkerProcess, type WorkerProcess } from '../src/redis-cluster-workers.js';

const TOTAL = 20_000;
const POISON_EVERY = 25;
const WORKERS = 2;
/** The whole test's bound (the cluster's start included): it took 258 s on a loaded 2-core box (load ~18), 70 s of it starting the cluster. */
const TEST_TIMEOUT_MS = 900_000;
const run = randomUUID().slice(0, 8);
const prefix = `e2e-es-${run}`;
const index = `oip-e2e-cluster-${run}`;
const started = Date.now();
const log = (line: string) => console.log(`[es-cluster +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);

const skip = elasticsearchSkipReason(true);
if (skip !== undefined) log(`skipped: ${skip}`);

let es: EsCluster | undefined;
let relay: FakeRelay | undefined;
let redis: RedisConnection | undefined;
let dlq: DeadLetterService | undefined;
const workers: WorkerProcess[] = [];
let expected: { good: Set<string>; poisoned: Set<string> };

async function esJson<T>(path: string, init: { method?: string; body?: unknown } = {}, url = es!.url): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    ...(init.body === undefined
      ? {}
      : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
    signal: AbortSignal.timeout(60_000),
  });
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

function workerEnv(): Record<string, string> {
  return {
    REDIS_URL: 'redis://127.0.0.1:6379',
    SYNC_QUEUE_PREFIX: prefix,
    SYNC_RELAYS: relay!.url,
    // The fake relay's fixtures are legacy-style unsigned records.
    SYNC_UNSIGNED_RECORDS: 'accept',
    SYNC_RECORD_TYPES: 'workout',
    STORE_KIND: 'elasticsearch',
    ELASTICSEARCH_URL: es!.url,
    ELASTICSEARCH_INDEX: index,
    SYNC_ACCOUNTS_INDEX: `${index}-accounts`,
    SYNC_INTERVAL_MS: '3600000',
    SYNC_CONCURRENCY: '20',
    SYNC_BATCH_SIZE: '50',
    SYNC_BATCH_MS: '20',
    // Writes refused while a dead node's primaries are promoted are retried for well over that.
    SYNC_ATTEMPTS: '10',
    SYNC_BACKOFF_MS: '500',
    SYNC_BACKOFF_CAP_MS: '4000',
    SYNC_LOCK_DURATION_MS: '30000',
    SYNC_STALLED_INTERVAL_MS: '5000',
    SYNC_STATE_CHECK_MS: '1000',
    SYNC_SHUTDOWN_TIMEOUT_MS: '10000',
    SYNC_HEALTH_PORT: '-1',
    LOG_LEVEL: 'warn',
  };
}

const tails = () =>
  workers.map((w) => `--- ${w.name} (pid ${w.pid}, ${w.alive() ? 'running' : 'exited'}) ---\n${w.tail()}`).join('\n');

/** Primaries of the test index per node name. */
async function primariesByNode(): Promise<Map<string, number>> {
  const shards = await esJson<Array<{ prirep: string; node: string | null; state: string }>>(
    `/_cat/shards/${index}?format=json`,
  );
  const out = new Map<string, number>();
  for (const s of shards) if (s.prirep === 'p' && s.node) out.set(s.node, (out.get(s.node) ?? 0) + 1);
  return out;
}

/** Codes of the store errors in the workers' logs (what they retried or gave up on), counted. */
function storeErrorsSeen(): Record<string, number> {
  const seen = Object.create(null) as Record<string, number>;
  for (const w of workers) {
    for (const m of w.tail().matchAll(/STORE_ERR_[A-Z_]+|ETIMEDOUT|TimeoutError|ECONNREFUSED|ECONNRESET/g))
      seen[m[0]] = (seen[m[0]] ?? 0) + 1;
  }
  return seen;
}

describe.skipIf(skip !== undefined)('sync into a three-node Elasticsearch cluster with a data node killed', () => {
  beforeAll(async () => {
    buildSyncWorker();
    es = await startCluster({ nodes: 3, heap: '256m', log });
    log(`cluster up at ${es.urls.join(' ')}`);
    // Every shard of the test index on two nodes; 3 primaries spread over the three.
    await esJson(`/_index_template/${index}`, {
      method: 'PUT',
      body: {
        index_patterns: [`${index}*`],
        template: { settings: { number_of_shards: 3, number_of_replicas: 1 } },
      },
    });
    relay = await startFakeRelay();
    expected = seedRecords(relay, TOTAL, (i) => i % POISON_EVERY === 0);
    redis = openRedis({ redisUrl: 'redis://127.0.0.1:6379' }, { maxRetriesPerRequest: 3, commandTimeout: 5000 });
    redis.on('error', () => {});
    dlq = new DeadLetterService({ connection: redis, prefix });
  }, 420_000);

  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.stop(10_000)));
    await dlq?.close().catch(() => {});
    if (redis) await purgePrefix(redis, prefix).catch(() => 0);
    redis?.disconnect();
    await relay?.close();
    await es?.stop();
    log('cluster stopped');
  }, 180_000);

  it(
    'indexes or dead-letters every record exactly once across the kill and the return',
    async () => {
      const r = redis!;
      const state = new SyncState(r, prefix);
      const t0 = Date.now();
      for (let i = 0; i < WORKERS; i++) workers.push(startWorkerProcess(`worker-${i + 1}`, workerEnv()));
      const finished = async () => {
        const c = await state.counters();
        return c.indexed + c.dead;
      };

      await until(finished, {
        what: 'a quarter of the records finished',
        ok: (n) => {
          if (workers.some((w) => !w.alive())) throw new Error(`a worker exited:\n${tails()}`);
          return n >= TOTAL / 4;
        },
        timeoutMs: 300_000,
        intervalMs: 250,
      });
      const primaries = await primariesByNode();
      const victim: EsNode = es!.nodes
        .slice(1)
        .sort((a, b) => (primaries.get(b.name) ?? 0) - (primaries.get(a.name) ?? 0))[0]!;
      const master = (await esJson<Array<{ node: string }>>('/_cat/master?format=json'))[0]?.node;
      const atKill = await state.counters();
      await victim.kill();
      const killedAt = Date.now();
      log(
        `SIGKILL ${victim.name} (${primaries.get(victim.name) ?? 0} primaries of ${index}${master === victim.name ? ', the elected master' : ''}) at ${((killedAt - t0) / 1000).toFixed(1)} s: ${atKill.indexed + atKill.dead} finished, ${atKill.retries} retries so far`,
      );
      expect(atKill.indexed + atKill.dead).toBeLessThan(TOTAL - 2000);

      // Sync goes on while the node is down; then it comes back over its data.
      await until(finished, {
        what: 'more records finished with the node down',
        ok: (n) => n >= atKill.indexed + atKill.dead + 2000 || n >= TOTAL,
        timeoutMs: 300_000,
        intervalMs: 250,
      });
      const down = await state.counters();
      victim.start();
      await es!.waitForHealth({ status: 'yellow', nodes: 3, timeoutMs: 240_000 });
      log(
        `${victim.name} back after ${((Date.now() - killedAt) / 1000).toFixed(1)} s down: ${down.indexed + down.dead - atKill.indexed - atKill.dead} finished meanwhile`,
      );

      const final = await until(() => state.counters(), {
        what: 'every record finished and nothing in flight',
        ok: (c) => {
          if (workers.some((w) => !w.alive())) throw new Error(`a worker exited:\n${tails()}`);
          return c.indexed + c.dead + c.gone + c.degraded >= TOTAL && c.inflight === 0;
        },
        timeoutMs: 480_000,
        intervalMs: 250,
      });
      await es!.waitForHealth({ status: 'green', nodes: 3, timeoutMs: 240_000 });
      log(`all finished ${((Date.now() - t0) / 1000).toFixed(1)} s after the start; cluster green`);

      // Exactly once: counters, the index and the dead-letter queue agree record by record.
      expect(final).toMatchObject({ indexed: expected.good.size, dead: expected.poisoned.size, gone: 0, degraded: 0 });
      expect(final.deadByCode).toEqual({ [DeadLetterCodes.MAPPING_CONFLICT]: expected.poisoned.size });
      expect(invariantHolds(final)).toBe(true);

      await esJson(`/${index}/_refresh`, { method: 'POST' });
      // Asked of every node: each answers from its shard copies, the returned one's included.
      for (const url of es!.urls) {
        const { count } = await esJson<{ count: number }>(`/${index}/_count`, {}, url);
        expect(count).toBe(expected.good.size);
      }
      const good = [...expected.good];
      let found = 0;
      for (let i = 0; i < good.length; i += 1000) {
        const res = await esJson<{ docs: Array<{ found: boolean }> }>(`/${index}/_mget?_source=false`, {
          method: 'POST',
          body: { ids: good.slice(i, i + 1000) },
        });
        found += res.docs.filter((d) => d.found).length;
      }
      expect(found).toBe(expected.good.size);
      const poisonedInEs = await esJson<{ docs: Array<{ found: boolean }> }>(`/${index}/_mget?_source=false`, {
        method: 'POST',
        body: { ids: [...expected.poisoned] },
      });
      expect(poisonedInEs.docs.filter((d) => d.found)).toEqual([]);

      const dead: string[] = [];
      for (let offset = 0; offset < TOTAL; offset += 1000) {
        const page = await dlq!.list({ offset, limit: 1000 });
        dead.push(...page.map((e) => e.did));
        if (page.length < 1000) break;
      }
      expect(await dlq!.count()).toBe(expected.poisoned.size);
      expect(dead).toHaveLength(expected.poisoned.size);
      expect(new Set(dead)).toEqual(expected.poisoned);
      log(
        `exact: ${final.indexed} in Elasticsearch + ${final.dead} dead-lettered = ${TOTAL}; discovered ${final.discovered} (${final.deduplicated} deduplicated); ` +
          `the store saw: ${final.retries} retries (${final.retries - atKill.retries} from the kill on), worker log errors ${JSON.stringify(storeErrorsSeen())}`,
      );
    },
    TEST_TIMEOUT_MS,
  );
});
