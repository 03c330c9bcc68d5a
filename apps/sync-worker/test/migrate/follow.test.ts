// Keep mirroring: with MIGRATE_FOLLOW_ELASTICSEARCH_URL the worker's follow passes (a BullMQ job
// scheduler, one pass a second here) read the legacy records index's documents written since the
// last pass and queue migrate-record jobs for the new and changed Arweave-origin ones. A record
// added to and one changed in the legacy index after the first pass reach the store on a later
// pass; the unchanged ones, read again inside the lookback, are not queued again; GUN-origin
// records are never pulled. Real worker, real Redis, SQLite store, the legacy node's own
// Elasticsearch 7.17.8 (LEGACY_ELASTICSEARCH_URL).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { convertLegacyIndexDoc } from '@oip/records';
import { createRecordStore, type RecordStore } from '@oip/record-store';
import { until } from '@oip/test-kit';
import { MIGRATE_FOLLOW_QUEUE, type FollowReport } from '../../src/migrate/follow-pass.js';
import { MIGRATION_HASH_FIELD } from '../../src/migrate/migrate-batch.js';
import { legacyElasticsearchUrl } from '../helpers/real-elasticsearch.js';
import { useWorkerRun } from '../helpers/worker-run.js';
import { PUB, arweaveDoc, createLegacyNode, gunDoc, type LegacyNode } from './legacy-node.js';

const ex = (tx: string, instructions: string, indexedAt?: string) => {
  const doc = arweaveDoc(tx, 'exercise', { instructions, muscleGroups: ['chest'], exercise_type: 'Main' });
  if (indexedAt !== undefined) (doc['oip'] as Record<string, unknown>)['indexedAt'] = indexedAt;
  return { id: `did:arweave:${tx}`, doc };
};
const gun = (name: string, indexedAt: string) => {
  const doc = gunDoc(`${PUB}:${name}`, 'post', { articleText: name });
  (doc['oip'] as Record<string, unknown>)['indexedAt'] = indexedAt;
  return { id: `did:gun:${PUB}:${name}`, doc };
};

describe.skipIf(legacyElasticsearchUrl === undefined)('following a legacy records index', () => {
  const run = useWorkerRun();
  let legacy: LegacyNode;
  let passes: Queue;

  beforeEach(async () => {
    legacy = await createLegacyNode('follow');
    passes = new Queue(MIGRATE_FOLLOW_QUEUE, { connection: run.env.redis, prefix: run.env.prefix });
  });

  afterEach(async () => {
    await passes.close();
    await legacy.drop();
  });

  /** The reports of the passes that have finished, oldest first. */
  async function reports(): Promise<FollowReport[]> {
    const jobs = await passes.getJobs(['completed'], 0, -1, true);
    return jobs.map((j) => j.returnvalue as FollowReport);
  }

  it('pulls new and changed Arweave records on later passes, not unchanged or GUN ones', async () => {
    await legacy.put('records', [
      ex('EX1', 'Push'),
      ex('EX2', 'Pull'),
      ex('EX3', 'Squat'),
      gun('first', '2024-06-01T10:00:00.000Z'),
    ]);
    const worker = await run.start({
      migrateFollowUrl: legacy.url,
      migrateFollowIndex: legacy.names.records,
      migrateFollowIntervalMs: 1000,
      migrateFollowPageSize: 2,
    });
    const store = worker.store;
    await until(async () => (await store.getMany(['did:arweave:EX1', 'did:arweave:EX2', 'did:arweave:EX3'])).size, {
      what: 'the three Arweave records stored by the first pass',
      ok: (n) => n === 3,
      timeoutMs: 20_000,
    });
    expect((await store.get('did:arweave:EX2'))!.oip[MIGRATION_HASH_FIELD]).toMatch(/^[0-9a-f]{40}$/);
    // A pass has moved the mark past the first documents before the legacy index changes.
    await until(reports, { what: 'a finished pass with a mark', ok: (r) => r.some((p) => p.mark !== null) });

    const now = new Date().toISOString();
    await legacy.put('records', [ex('EX9', 'Row', now), ex('EX2', 'Pull harder', now), gun('second', now)]);
    await until(async () => (await store.getMany(['did:arweave:EX9'])).size, {
      what: 'the record added to the legacy index stored',
      timeoutMs: 20_000,
    });
    await until(async () => (await store.get('did:arweave:EX2'))?.data['exercise']?.['instructions'], {
      what: 'the changed record stored changed',
      ok: (v) => v === 'Pull harder',
      timeoutMs: 20_000,
    });
    // One more whole pass after both landed: nothing else is queued.
    const seen = (await reports()).length;
    await until(reports, { what: 'another finished pass', ok: (r) => r.length >= seen + 2, timeoutMs: 10_000 });

    const all = await reports();
    // Three at the first pass, then the added and the changed one: the unchanged ones were read
    // again (inside the lookback) and found unchanged, never queued twice.
    expect(all.reduce((n, r) => n + r.queued + r.requeued, 0)).toBe(5);
    expect(all.some((r) => r.unchanged >= 2)).toBe(true);
    expect((await worker.counters()).queued).toBe(5);
    expect((await worker.counters()).indexed).toBe(5);
    expect(await store.get(`did:gun:${PUB}:first`)).toBeNull();
    expect(await store.get(`did:gun:${PUB}:second`)).toBeNull();
    expect(await store.get('did:arweave:EX1')).toMatchObject({ oip: { storage: 'arweave' } });
  }, 60_000);

  it('leaves a record the store holds from elsewhere alone, and a restarted worker goes on from the mark in Redis', async () => {
    await legacy.put('records', [ex('EX1', 'Push'), ex('EX2', 'Pull')]);
    // EX2 is here already without a migration hash (published or synced here): never overwritten.
    const store: RecordStore = createRecordStore({ kind: 'sqlite', dataDir: join(run.env.dir, 'held') });
    try {
      const own = convertLegacyIndexDoc('records', ex('EX2', 'Our own words').doc, 'did:arweave:EX2');
      if (!own.ok) throw new Error(own.message);
      expect((await store.bulkUpsert([own.record]))[0]).toMatchObject({ ok: true });
      const config = {
        migrateFollowUrl: legacy.url,
        migrateFollowIndex: legacy.names.records,
        migrateFollowIntervalMs: 1000,
      };
      await run.start(config, { store });
      await until(async () => (await store.getMany(['did:arweave:EX1'])).size, {
        what: 'EX1 stored by the first pass',
        timeoutMs: 20_000,
      });
      const first = await until(reports, { what: 'a finished pass', ok: (r) => r.length >= 1 });
      expect(first[0]).toMatchObject({ from: null, read: 2, queued: 1, held: 1 });
      expect((await store.get('did:arweave:EX2'))!.data['exercise']!['instructions']).toBe('Our own words');
      expect((await store.get('did:arweave:EX2'))!.oip[MIGRATION_HASH_FIELD]).toBeUndefined();

      // Another worker on the prefix starts where the mark says (its indexedAt minus the lookback).
      await run.stop();
      const seen = (await reports()).length;
      await run.start(config, { store });
      const later = await until(reports, { what: 'a pass of the restarted worker', ok: (r) => r.length > seen });
      const mark = Date.parse('2024-06-01T10:00:00.000Z');
      expect(later[seen]).toMatchObject({ from: mark - 60_000, mark, queued: 0, unchanged: 1, held: 1 });
      await run.stop();
    } finally {
      await store.close();
    }
  }, 60_000);
});
