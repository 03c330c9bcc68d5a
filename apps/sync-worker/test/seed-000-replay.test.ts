// Seed 000's loop closed in the node, on both stores (SQLite; the ES adapter on the real node of
// ELASTICSEARCH_URL, an index of its own per test, with the guard and without it, where the node's
// own mapping errors are parsed), on the real Redis through the real record processor: 200
// shoppingLists with `item_prices` as longs, then 50 with floats → 50 dead letters under one path
// (long vs float, samples); the documented fix: stop the worker, `oip store fields widen ...
// --reindex` (a separate store, as the CLI process is; a node cannot widen long to double in
// place), start the worker, `oip dlq replay --path` → exactly those 50 indexed, counters exact. `messages` text vs object: the widening is refused
// with its reason; in degrade mode those records are indexed with `messages` set aside and found
// by name and tags.
import { describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { didFromSoul } from '@oip/records';
import { DeadLetterCodes, SYNC_RECORDS_QUEUE } from '@oip/queue-contracts';
import { createRecordStore, restoreSetAside, type RecordStore } from '@oip/record-store';
import { DeadLetterService, invariantHolds } from '@oip/sync-state';
import { runCli } from '../src/cli/run-cli.js';
import { runStoreCli } from '../src/cli/store-cli.js';
import { captureIo } from './helpers/cli-io.js';
import { legacyRecord } from '@oip/test-kit';
import { seed, soulOf } from './helpers/records.js';
import { useWorkerRun } from './helpers/worker-run.js';
import { dropIndices, noElasticsearch, realStore, uniqueIndex } from './helpers/real-elasticsearch.js';

const PRICES = 'data.shoppingList.item_prices';
const MESSAGES = 'data.conversationSession.messages';

function shoppingList(id: string, prices: number[]) {
  const r = legacyRecord(id, { shoppingList: { item: ['oats', 'milk', 'eggs'], item_prices: prices } });
  (r.data.basic as Record<string, unknown>).name = `Shopping ${id}`;
  (r.data.basic as Record<string, unknown>).tagItems = ['groceries'];
  delete r.data.workout;
  r.oip.recordType = 'shoppingList';
  return r;
}

function session(id: string, messages: unknown[]) {
  const r = legacyRecord(id, { conversationSession: { session_id: id, messages } });
  (r.data.basic as Record<string, unknown>).name = `Coaching ${id}`;
  (r.data.basic as Record<string, unknown>).tagItems = ['coaching', 'fitnessally'];
  delete r.data.workout;
  r.oip.recordType = 'conversationSession';
  return r;
}

interface StoreKind {
  name: string;
  /** Runs on the real Elasticsearch node (skipped when this run has none). */
  elasticsearch: boolean;
  /**
   * The worker's store, a second one on the same data (as the `oip store` process opens it), and
   * the cleanup of the data after the test.
   */
  open(dir: string): { worker: RecordStore; cli: () => RecordStore; drop(): Promise<void> };
}

function onElasticsearch(guard: boolean): StoreKind['open'] {
  return () => {
    const index = uniqueIndex();
    return {
      worker: realStore(index, { guard }),
      cli: () => realStore(index, { guard }),
      drop: () => dropIndices(index),
    };
  };
}

const kinds: StoreKind[] = [
  {
    name: 'sqlite',
    elasticsearch: false,
    open: (dir) => ({
      worker: createRecordStore({ kind: 'sqlite', dataDir: dir }),
      cli: () => createRecordStore({ kind: 'sqlite', dataDir: dir }),
      drop: () => Promise.resolve(),
    }),
  },
  { name: 'elasticsearch', elasticsearch: true, open: onElasticsearch(true) },
  // No guard pre-check: ES's own bulk item errors are parsed into the same structure.
  { name: 'elasticsearch without the guard', elasticsearch: true, open: onElasticsearch(false) },
];

const run = useWorkerRun({ config: { recordTypes: ['shoppingList', 'conversationSession'], attempts: 3 } });

async function withCliStore<T>(open: () => RecordStore, fn: (s: RecordStore) => Promise<T>): Promise<T> {
  const s = open();
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** The documented fix's middle step: `oip store fields widen <path> double --reindex` in a store of its own (as the CLI process is); its output. */
async function widenToDouble(open: () => RecordStore, path: string): Promise<string[]> {
  const widen = captureIo();
  expect(
    await withCliStore(open, (s) =>
      runStoreCli(['store', 'fields', 'widen', path, 'double', '--reindex'], s, widen.io),
    ),
  ).toBe(0);
  return widen.out;
}

describe.each(kinds)('seed 000 on $name', (kind) => {
  const skip = kind.elasticsearch && noElasticsearch;

  it.skipIf(skip)(
    '200 longs indexed, 50 floats dead-lettered under one path; widen to double, replay --path → those 50 indexed, nothing else re-queued',
    async () => {
      const stores = kind.open(`${run.env.dir}/records`);
      const longs = Array.from({ length: 200 }, (_, i) => ({
        localId: `shop-${i}`,
        record: shoppingList(`shop-${i}`, [i + 1, 2, 12]),
        timestamp: 1_730_505_600_000 + i,
      }));
      const floats = Array.from({ length: 50 }, (_, i) => ({
        localId: `shopf-${i}`,
        record: shoppingList(`shopf-${i}`, [i + 0.5, 0.25]),
        timestamp: 1_730_505_700_000 + i,
      }));
      await seed(run.relay.store, longs, 'shoppingList');
      let w = await run.start({}, { store: stores.worker });
      const dlq = new DeadLetterService({ connection: run.env.redis, prefix: run.env.prefix });
      const records = new Queue(SYNC_RECORDS_QUEUE, { connection: run.env.redis, prefix: run.env.prefix });
      try {
        await w.discoverNow();
        expect(await w.waitIdle(30_000)).toMatchObject({ discovered: 200, indexed: 200, dead: 0, inflight: 0 });

        await seed(run.relay.store, floats, 'shoppingList');
        await w.discoverNow();
        let c = await w.waitIdle(30_000);
        expect(c).toMatchObject({
          discovered: 450,
          deduplicated: 200,
          indexed: 200,
          dead: 50,
          degraded: 0,
          retries: 0,
          inflight: 0,
        });
        expect(c.deadByCode).toEqual({ [DeadLetterCodes.MAPPING_CONFLICT]: 50 });

        // One group: the path, long vs float, samples of the incoming values.
        const groups = await dlq.groups();
        expect(groups.groups).toHaveLength(1);
        expect(groups.groups[0]).toMatchObject({
          path: PRICES,
          kind: 'mapping_conflict',
          count: 50,
          degraded: 0,
          recordTypes: { shoppingList: 50 },
          fixedTypes: ['long'],
          incomingTypes: ['float'],
        });
        expect(groups.groups[0]!.samples).toHaveLength(3);
        for (const s of groups.groups[0]!.samples) expect(s).toMatch(/^\[\d+\.5,0\.25\]$/);
        const entry = await dlq.show(didFromSoul(soulOf('shopf-7')));
        expect(entry?.reasons).toEqual([
          { kind: 'mapping_conflict', path: PRICES, fixedType: 'long', incomingType: 'float', sample: '[7.5,0.25]' },
        ]);
        const view = captureIo();
        expect(await runCli(['dlq', 'list', '--group', 'path'], dlq, view.io)).toBe(0);
        expect(view.out[1]).toMatch(
          new RegExp(
            `^${PRICES.replace(/\./g, '\\.')}  50 records  shoppingList=50  long vs float  first \\S+  last \\S+  samples `,
          ),
        );

        // The fix, as documented: stop the worker, widen (the CLI is its own process, with a store of
        // its own), start the worker again.
        await run.stop();
        expect((await widenToDouble(stores.cli, PRICES))[0]).toMatch(
          new RegExp(`^widened ${PRICES.replace(/\./g, '\\.')} from long to double`),
        );
        w = await run.start({}, { store: stores.worker });

        const completedBefore = await records.getCompletedCount();
        const replay = captureIo();
        expect(await runCli(['dlq', 'replay', '--path', PRICES], dlq, replay.io)).toBe(0);
        expect(replay.out).toEqual([`replayed 50 of 50 (path ${PRICES})`]);
        c = await w.waitIdle(30_000);
        expect(c).toMatchObject({
          discovered: 500,
          deduplicated: 200,
          indexed: 250,
          dead: 50,
          degraded: 0,
          replayed: 50,
          retries: 0,
          inflight: 0,
        });
        expect(invariantHolds(c)).toBe(true);
        expect(await w.store.count({ recordType: 'shoppingList' })).toBe(250);
        expect(await dlq.count()).toBe(0);

        // Exactly the 50 were queued again, each once; the 200 indexed ones were not touched.
        const completed = await records.getCompleted(0, -1);
        expect(completed.length - completedBefore).toBe(50);
        const replayed = completed
          .filter((j) => String(j.id).endsWith('_r1'))
          .map((j) => (j.data as { did: string }).did)
          .sort();
        expect(replayed).toEqual(floats.map((f) => didFromSoul(soulOf(f.localId))).sort());
        expect(await records.getJobCounts('waiting', 'delayed', 'active')).toEqual({
          waiting: 0,
          delayed: 0,
          active: 0,
        });
        for (const l of longs.slice(0, 5)) {
          expect(await w.state.get(didFromSoul(soulOf(l.localId)))).toEqual({
            state: 'indexed',
            version: String(l.timestamp),
            replay: 0,
          });
          expect(run.relay.countBySoul(soulOf(l.localId))).toBe(1);
        }
        const stored = await w.store.get(didFromSoul(soulOf('shopf-7')));
        expect(stored?.data['shoppingList']?.['item_prices']).toEqual([7.5, 0.25]);
        expect(await w.state.get(didFromSoul(soulOf('shopf-7')))).toMatchObject({ state: 'indexed', replay: 1 });
      } finally {
        await records.close();
        await dlq.close();
        await run.stop();
        await stores.worker.close();
        await stores.drop();
      }
    },
    120_000,
  );

  it.skipIf(skip)(
    'messages text vs object: the widening is refused with its reason; in degrade mode the records are indexed with messages set aside, found by name and tags',
    async () => {
      const stores = kind.open(`${run.env.dir}/records`);
      const texts = Array.from({ length: 20 }, (_, i) => ({
        localId: `sess-${i}`,
        record: session(`sess-${i}`, ['hello', `set ${i}?`]),
        timestamp: 1_730_505_600_000 + i,
      }));
      const objects = Array.from({ length: 10 }, (_, i) => ({
        localId: `sesso-${i}`,
        record: session(`sesso-${i}`, [
          { role: 'user', content: `how many sets ${i}?` },
          { role: 'coach', content: 'three' },
        ]),
        timestamp: 1_730_505_700_000 + i,
      }));
      await seed(run.relay.store, texts, 'conversationSession');
      const dlq = new DeadLetterService({ connection: run.env.redis, prefix: run.env.prefix });
      try {
        // The texts first, then the objects: on a real node the first write to reach it fixes the type.
        let w = await run.start({}, { store: stores.worker });
        await w.discoverNow();
        expect(await w.waitIdle(30_000)).toMatchObject({ discovered: 20, indexed: 20, dead: 0, inflight: 0 });
        await seed(run.relay.store, objects, 'conversationSession');
        await w.discoverNow();
        let c = await w.waitIdle(30_000);
        expect(c).toMatchObject({ discovered: 50, deduplicated: 20, indexed: 20, dead: 10, degraded: 0, inflight: 0 });
        const [g] = (await dlq.groups()).groups;
        expect(g).toMatchObject({
          path: MESSAGES,
          count: 10,
          fixedTypes: ['text'],
          incomingTypes: ['object'],
          recordTypes: { conversationSession: 10 },
        });
        expect(g!.samples[0]).toMatch(/^\[\{"role":"user","content":"how many sets \d\?"\},\{"role":"coach"/);

        const refused = captureIo();
        expect(
          await withCliStore(stores.cli, (s) =>
            runStoreCli(['store', 'fields', 'widen', MESSAGES, 'object', '--reindex'], s, refused.io),
          ),
        ).toBe(1);
        expect(refused.err[0]).toMatch(
          /^oip: STORE_ERR_WIDENING_REFUSED: refusing to change data\.conversationSession\.messages from text to object: the stored documents hold text values at data\.conversationSession\.messages, which an object field cannot take; .*\(SYNC_ON_MAPPING_CONFLICT=degrade\)/,
        );

        // Degrade mode: the same dead letters replayed by path are indexed degraded.
        await run.stop();
        w = await run.start({ onMappingConflict: 'degrade' }, { store: stores.worker });
        const replay = captureIo();
        expect(await runCli(['dlq', 'replay', '--path', MESSAGES], dlq, replay.io)).toBe(0);
        expect(replay.out).toEqual([`replayed 10 of 10 (path ${MESSAGES})`]);
        c = await w.waitIdle(30_000);
        expect(c).toMatchObject({
          discovered: 60,
          indexed: 20,
          dead: 10,
          degraded: 10,
          replayed: 10,
          retries: 0,
          inflight: 0,
        });
        expect(invariantHolds(c)).toBe(true);
        expect(await w.store.count({ recordType: 'conversationSession' })).toBe(30);

        // Still visible as degraded, under the same path.
        const [dg] = (await dlq.groups()).groups;
        expect(dg).toMatchObject({ path: MESSAGES, count: 10, degraded: 10 });
        const did = didFromSoul(soulOf('sesso-3'));
        expect(await dlq.show(did)).toMatchObject({
          degraded: true,
          code: DeadLetterCodes.MAPPING_CONFLICT,
          reasons: [{ path: MESSAGES, fixedType: 'text', incomingType: 'object' }],
        });

        // Found by every other field; messages kept aside, unindexed, and restored whole. The search is
        // fuzzy as legacy's (Elasticsearch's also finds sess-3, one edit away): the degraded one is among them.
        const byName = await w.store.search({ recordType: 'conversationSession', search: 'sesso-3' });
        expect(byName.records.map((r) => r.oip.did)).toContain(did);
        expect((await w.store.search({ recordType: 'conversationSession', tags: ['fitnessally'] })).total).toBe(30);
        const stored = byName.records.find((r) => r.oip.did === did)!;
        expect(stored.oip['degraded']).toEqual([MESSAGES]);
        expect(stored.data['conversationSession']).toEqual({ session_id: 'sesso-3' });
        expect(restoreSetAside(stored).data['conversationSession']).toEqual(
          objects[3]!.record.data.conversationSession,
        );

        // A new record with object messages is degraded at once, without a dead letter first.
        await seed(
          run.relay.store,
          [
            {
              localId: 'sesso-new',
              record: session('sesso-new', [{ role: 'user', content: 'new' }]),
              timestamp: 1_730_505_800_000,
            },
          ],
          'conversationSession',
        );
        await w.discoverNow();
        c = await w.waitIdle(30_000);
        expect(c).toMatchObject({ indexed: 20, dead: 10, degraded: 11, inflight: 0 });
        expect(invariantHolds(c)).toBe(true);
      } finally {
        await dlq.close();
        await run.stop();
        await stores.worker.close();
        await stores.drop();
      }
    },
    120_000,
  );

  it.skipIf(skip)(
    'degrade mode: floats indexed degraded (item_prices set aside); after widening, replay --path stores them whole',
    async () => {
      const stores = kind.open(`${run.env.dir}/records`);
      const longs = Array.from({ length: 20 }, (_, i) => ({
        localId: `dl-${i}`,
        record: shoppingList(`dl-${i}`, [i + 1]),
        timestamp: 1_730_505_600_000 + i,
      }));
      const floats = Array.from({ length: 5 }, (_, i) => ({
        localId: `df-${i}`,
        record: shoppingList(`df-${i}`, [i + 0.5]),
        timestamp: 1_730_505_700_000 + i,
      }));
      await seed(run.relay.store, longs, 'shoppingList');
      const dlq = new DeadLetterService({ connection: run.env.redis, prefix: run.env.prefix });
      try {
        let w = await run.start({ onMappingConflict: 'degrade' }, { store: stores.worker });
        await w.discoverNow();
        await w.waitIdle(30_000);
        await seed(run.relay.store, floats, 'shoppingList');
        await w.discoverNow();
        let c = await w.waitIdle(30_000);
        expect(c).toMatchObject({ indexed: 20, degraded: 5, dead: 0, inflight: 0 });
        const did = didFromSoul(soulOf('df-2'));
        const degraded = await w.store.get(did);
        expect(degraded?.oip['degraded']).toEqual([PRICES]);
        expect(degraded?.data['shoppingList']).toEqual({ item: ['oats', 'milk', 'eggs'] });
        expect((await w.store.search({ recordType: 'shoppingList', tags: ['groceries'] })).total).toBe(25);

        await run.stop();
        await widenToDouble(stores.cli, PRICES);
        w = await run.start({ onMappingConflict: 'degrade' }, { store: stores.worker });
        const replay = captureIo();
        expect(await runCli(['dlq', 'replay', '--path', PRICES], dlq, replay.io)).toBe(0);
        expect(replay.out).toEqual([`replayed 5 of 5 (path ${PRICES})`]);
        c = await w.waitIdle(30_000);
        expect(c).toMatchObject({ indexed: 25, degraded: 5, dead: 0, replayed: 5, inflight: 0 });
        expect(invariantHolds(c)).toBe(true);
        const whole = await w.store.get(did);
        expect(whole?.oip['degraded']).toBeUndefined();
        expect(whole?.meta?.['setAside']).toBeUndefined();
        expect(whole?.data['shoppingList']?.['item_prices']).toEqual([2.5]);
        expect(await dlq.count()).toBe(0);
      } finally {
        await dlq.close();
        await run.stop();
        await stores.worker.close();
        await stores.drop();
      }
    },
    120_000,
  );
});
