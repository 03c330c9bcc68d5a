// A migrated record refused for a field type is dead-lettered with its mapping-conflict reason
// and held dead in the sync state at its content hash. After `oip store fields widen`,
// `oip dlq replay` queues a migrate-record job, which the record processor (the worker's, here on
// its own) runs by reading the document again from the legacy index: stored, the entry gone, the
// state indexed. Without a worker, `oip migrate records --replay-dead-letters` does the same.
// Real SQLite store, real Redis, legacy index on the real Elasticsearch of ELASTICSEARCH_URL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { DeadLetterCodes, SYNC_RECORDS_QUEUE } from '@oip/queue-contracts';
import {
  createEsClient,
  createRecordStore,
  type BulkItemResult,
  type OipRecord,
  type RecordStore,
} from '@oip/record-store';
import { DeadLetterService, DeletionLedger, SyncState } from '@oip/sync-state';
import { runCli } from '../../src/cli/run-cli.js';
import { runStoreCli } from '../../src/cli/store-cli.js';
import { runMigrateCli } from '../../src/migrate/migrate-cli.js';
import { legacyUrlKey } from '../../src/migrate/legacy-sources.js';
import { createSyncRecordProcessor } from '../../src/processors/sync-record.js';
import { MicroBatcher } from '../../src/services/batcher.js';
import { captureIo } from '../helpers/cli-io.js';
import { createTestEnv, silent, type TestEnv } from '../helpers/env.js';
import { noLegacyElasticsearch } from '../helpers/real-elasticsearch.js';
import { PUB, createLegacyNode, gunDoc, type LegacyNode } from './legacy-node.js';

const DID = `did:gun:${PUB}:b-half-hour`;
const WIDEN = ['store', 'fields', 'widen', 'data.workout.rest_seconds', 'double'];

describe.skipIf(noLegacyElasticsearch)('a migrated record in the dead-letter queue', () => {
  let legacy: LegacyNode;
  let env: TestEnv;
  let store: RecordStore;
  let dlq: DeadLetterService;
  let state: SyncState;

  beforeEach(async () => {
    legacy = await createLegacyNode('replay');
    env = await createTestEnv();
    // Read in DID order: the first workout fixes rest_seconds (no preset type) as long; 27.5 then conflicts.
    await legacy.put('records', [
      { id: `did:gun:${PUB}:a-hour`, doc: gunDoc(`${PUB}:a-hour`, 'workout', { rest_seconds: 60 }) },
      { id: DID, doc: gunDoc(`${PUB}:b-half-hour`, 'workout', { rest_seconds: 27.5 }) },
    ]);
    store = createRecordStore({ kind: 'sqlite', dataDir: join(env.dir, 'records') });
    dlq = new DeadLetterService({ connection: env.redis, prefix: env.prefix });
    state = new SyncState(env.redis, env.prefix);
  });

  afterEach(async () => {
    await dlq.close();
    await store.close();
    await legacy.drop();
    await env.cleanup();
  });

  async function migrate(extra: string[] = []) {
    const t = captureIo();
    const config = env.config({ store: { kind: 'sqlite', dataDir: join(env.dir, 'records') } });
    const argv = ['migrate', 'records', '--from-elasticsearch', legacy.url, ...legacy.flags, '--json', ...extra];
    expect(await runMigrateCli(argv, config, t.io, { isTTY: false, write: () => {} })).toBe(0);
    return JSON.parse(t.out.at(-1)!) as { totals: { read: number; written: number; skipped: number; failed: number } };
  }

  async function deadLettered(): Promise<void> {
    expect((await migrate()).totals).toEqual({ read: 2, written: 1, skipped: 0, failed: 1 });
    expect(await dlq.show(DID)).toMatchObject({
      code: DeadLetterCodes.MAPPING_CONFLICT,
      reasons: [
        {
          kind: 'mapping_conflict',
          path: 'data.workout.rest_seconds',
          fixedType: 'long',
          incomingType: 'float',
          sample: '27.5',
        },
      ],
    });
    expect(await state.get(DID)).toMatchObject({ state: 'dead' });
    const grouped = captureIo();
    expect(await runCli(['dlq', 'list', '--group', 'path', '--json'], dlq, grouped.io)).toBe(0);
    expect(JSON.parse(grouped.out[0]!)).toMatchObject({
      groups: [expect.objectContaining({ path: 'data.workout.rest_seconds', count: 1 })],
    });
  }

  it('oip dlq replay queues a migrate-record job that reads it again from the legacy index', async () => {
    await deadLettered();
    const queue = new Queue(SYNC_RECORDS_QUEUE, { connection: env.redis, prefix: env.prefix });
    const legacyClient = createEsClient({ node: legacyUrlKey(legacy.url) });
    const batcher = new MicroBatcher<OipRecord, BulkItemResult>({ flush: (rs) => store.bulkUpsert(rs), maxWaitMs: 0 });
    const processor = (sources: Map<string, typeof legacyClient>) =>
      createSyncRecordProcessor({
        relays: new Map(),
        batcher,
        store,
        state,
        deadLetters: dlq,
        logger: silent,
        trust: { unsigned: 'refuse', keys: null, ledger: new DeletionLedger(env.redis, env.prefix) },
        legacySources: sources,
      });
    /** `oip dlq replay`, then the queued job as the worker would fetch it. */
    const replay = async (): Promise<Job> => {
      const t = captureIo();
      expect(await runCli(['dlq', 'replay', DID], dlq, t.io)).toBe(0);
      const jobId = /as job (\S+)/.exec(t.out[0]!)![1]!;
      const job = await Job.fromId(queue, jobId);
      expect(job!.name).toBe('migrate-record');
      return job!;
    };
    try {
      // A worker without the legacy URL configured dead-letters the job, saying what to set.
      await expect(processor(new Map())(await replay())).rejects.toMatchObject({ code: 'SYNC_ERR_DEAD_LETTERED' });
      expect((await dlq.show(DID))!.message).toContain('MIGRATE_ELASTICSEARCH_URL');
      // Configured, before the widening: refused again for the same field.
      const sources = new Map([[legacyUrlKey(legacy.url), legacyClient]]);
      await expect(processor(sources)(await replay())).rejects.toMatchObject({ code: 'SYNC_ERR_DEAD_LETTERED' });
      expect(await dlq.show(DID)).toMatchObject({ code: DeadLetterCodes.MAPPING_CONFLICT });
      // After the widening: stored, the entry gone, the state indexed.
      expect(await runStoreCli(WIDEN, store, captureIo().io)).toBe(0);
      expect(await processor(sources)(await replay())).toBe('indexed');
      expect(await dlq.show(DID)).toBeNull();
      expect(await state.get(DID)).toMatchObject({ state: 'indexed' });
      expect((await store.get(DID))!.data['workout']!['rest_seconds']).toBe(27.5);
      // A full run after it finds both stored as it would have written them.
      expect((await migrate()).totals).toEqual({ read: 2, written: 0, skipped: 2, failed: 0 });
    } finally {
      await batcher.close();
      await queue.close();
      await legacyClient.close();
    }
  });

  it('without a worker, oip migrate records --replay-dead-letters reads it again after the widening', async () => {
    await deadLettered();
    // Before the widening a replay fails again, the entry kept.
    expect((await migrate(['--replay-dead-letters'])).totals).toMatchObject({ read: 1, written: 0, failed: 1 });
    expect(await dlq.show(DID)).not.toBeNull();
    expect(await runStoreCli(WIDEN, store, captureIo().io)).toBe(0);
    expect((await migrate(['--replay-dead-letters'])).totals).toEqual({ read: 1, written: 1, skipped: 0, failed: 0 });
    expect(await dlq.show(DID)).toBeNull();
    expect((await store.get(DID))!.data['workout']!['rest_seconds']).toBe(27.5);
    expect((await migrate()).totals).toEqual({ read: 2, written: 0, skipped: 2, failed: 0 });
  });
});
