// The sync-record processor on its own (no worker around it), on the real Redis, SQLite and a fake
// relay: its door refuses a malformed payload once, and a job naming a relay it has no client for
// is dead-lettered, never read from the relay it does have (the old first-relay fallback).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { GunClient } from '@oip/gun-client';
import { didFromSoul } from '@oip/records';
import { createSqliteRecordStore, type BulkItemResult, type OipRecord, type RecordStore } from '@oip/record-store';
import { DeadLetterCodes, JobNames, SYNC_RECORDS_QUEUE, syncRecordJobId } from '@oip/queue-contracts';
import { DeadLetterService, DeletionLedger, SyncState } from '@oip/sync-state';
import { createSyncRecordProcessor } from '../../src/processors/sync-record.js';
import { MicroBatcher } from '../../src/services/batcher.js';
import { createTestEnv, silent, type TestEnv } from '../helpers/env.js';
import { legacyRecord } from '@oip/test-kit';
import { seed } from '../helpers/records.js';

const VERSION = '1730505600000';

let env: TestEnv;
let relay: FakeRelay;
let client: GunClient;
let store: RecordStore;
let state: SyncState;
let deadLetters: DeadLetterService;
let batcher: MicroBatcher<OipRecord, BulkItemResult>;
let queue: Queue;

beforeEach(async () => {
  relay = await startFakeRelay();
  env = await createTestEnv([relay.url]);
  client = new GunClient({ baseUrl: relay.url, retry: { attempts: 1 } });
  store = createSqliteRecordStore({ dataDir: join(env.dir, 'records') });
  state = new SyncState(env.redis, env.prefix);
  deadLetters = new DeadLetterService({ connection: env.redis, prefix: env.prefix });
  batcher = new MicroBatcher({ flush: (rs) => store.bulkUpsert(rs), maxWaitMs: 0 });
  queue = new Queue(SYNC_RECORDS_QUEUE, { connection: env.redis, prefix: env.prefix });
});

afterEach(async () => {
  await batcher.close();
  await queue.close();
  await deadLetters.close();
  await client.close();
  await store.close();
  await relay.close();
  await env.cleanup();
});

const processor = () =>
  createSyncRecordProcessor({
    relays: new Map([[relay.url, client]]),
    batcher,
    store,
    state,
    deadLetters,
    logger: silent,
    trust: { unsigned: 'accept', keys: null, ledger: new DeletionLedger(env.redis, env.prefix) },
  });

/** Queues a job with `data` (claimed first when it names a record, as discovery does) and reads it back. */
async function jobWith(data: Record<string, unknown>, id: string): Promise<Job> {
  if (typeof data.did === 'string') await state.claim([{ did: data.did, version: VERSION }]);
  await queue.add(JobNames.SYNC_RECORD, data, { jobId: id, attempts: 3 });
  const job = await Job.fromId(queue, id);
  if (!job) throw new Error(`job ${id} not found`);
  return job;
}

describe('sync-record processor', () => {
  it('fails a job whose payload breaks the contract once, as SYNC_ERR_INVALID_PAYLOAD, unrecoverable', async () => {
    const job = await jobWith({ did: 42, soul: 'x' }, 'malformed');
    const err = await processor()(job).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect(err).toMatchObject({ code: 'SYNC_ERR_INVALID_PAYLOAD' });
    expect((err as Error).message).toMatch(/sync-record payload/);
    expect(relay.log()).toHaveLength(0);
  });

  it('dead-letters a job naming a relay without a client, reading nothing from the configured relay', async () => {
    // The configured relay holds the soul: the old fallback to the first relay would have indexed it from here.
    const [soul] = await seed(relay.store, [{ localId: 'elsewhere', record: legacyRecord('elsewhere') }]);
    const did = didFromSoul(soul!);
    const other = 'http://127.0.0.1:9/not-configured';
    const job = await jobWith(
      { did, soul, recordType: 'workout', version: VERSION, relay: other, discoveredAt: 1 },
      syncRecordJobId(did, VERSION),
    );

    const err = await processor()(job).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect(err).toMatchObject({ code: 'SYNC_ERR_DEAD_LETTERED' });
    expect((err as Error).message).toMatch(new RegExp(`^${DeadLetterCodes.RELAY_NOT_CONFIGURED}: relay ${other}`));
    expect(relay.countBySoul(soul!)).toBe(0);
    expect(await store.count()).toBe(0);
    expect(await deadLetters.show(did)).toMatchObject({
      code: DeadLetterCodes.RELAY_NOT_CONFIGURED,
      sourceRelay: other,
      attempts: 1,
    });
    expect(await state.counters()).toMatchObject({ dead: 1, inflight: 0 });
  });
});
