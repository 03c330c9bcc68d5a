// Seed 000's exact failure: Elasticsearch answers a bulk item with mapper_parsing_exception.
// The worker runs on the Elasticsearch adapter of @oip/record-store over @elastic/elasticsearch-mock
// (the only ES here): each rejected record is dead-lettered after one attempt and never re-sent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { Client } from '@elastic/elasticsearch';
import type * as MockModule from '@elastic/elasticsearch-mock';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { didFromSoul } from '@oip/records';
import { DeadLetterCodes } from '@oip/queue-contracts';
import { createElasticsearchRecordStore, recordsIndexMappings, type RecordStore } from '@oip/record-store';
import { startSyncWorker, type SyncWorker } from '../src/worker.js';
import { createTestEnv, silent, type TestEnv } from './helpers/env.js';
import { legacyRecord } from '@oip/test-kit';
import { seed } from './helpers/records.js';

const require = createRequire(import.meta.url);
const Mock = require('@elastic/elasticsearch-mock') as new () => MockModule.default;

let relay: FakeRelay;
let env: TestEnv;
let store: RecordStore;
let worker: SyncWorker | null = null;
const sentDocs = new Map<string, number>();

beforeEach(async () => {
  relay = await startFakeRelay();
  env = await createTestEnv([relay.url]);
  sentDocs.clear();
  const mock = new Mock();
  mock.add({ method: 'HEAD', path: '/records' }, () => '');
  mock.add({ method: 'GET', path: '/records/_mapping' }, () => ({
    records: { mappings: { properties: recordsIndexMappings.properties } },
  }));
  mock.add({ method: 'GET', path: '/records/_settings' }, () => ({
    records: { settings: { 'index.number_of_shards': '1' } },
  }));
  mock.add({ method: 'POST', path: '/_bulk' }, (params) => {
    const lines = params.body as Array<{ index?: { _id: string } }>;
    const items = [];
    for (let i = 0; i < lines.length; i += 2) {
      const id = lines[i]!.index!._id;
      sentDocs.set(id, (sentDocs.get(id) ?? 0) + 1);
      items.push(
        id.includes(':messages-')
          ? {
              index: {
                _index: 'records',
                _id: id,
                status: 400,
                error: {
                  type: 'mapper_parsing_exception',
                  reason: 'failed to parse field [data.conversationSession.messages] of type [text]',
                },
              },
            }
          : { index: { _index: 'records', _id: id, status: 201, result: 'created' } },
      );
    }
    return { errors: items.some((x) => x.index.status >= 400), took: 1, items };
  });
  const client = new Client({
    node: 'http://localhost:9200',
    Connection: mock.getConnection() as never,
    maxRetries: 0,
  });
  store = createElasticsearchRecordStore({ client });
});

afterEach(async () => {
  await worker?.close();
  worker = null;
  await store.close();
  await relay.close();
  await env.cleanup();
});

describe('sync worker on the Elasticsearch store', () => {
  it('dead-letters records ES rejects with mapper_parsing_exception once, and later passes send nothing', async () => {
    await seed(relay.store, [
      ...Array.from({ length: 8 }, (_, i) => ({ localId: `ok-${i}`, record: legacyRecord(`ok-${i}`) })),
      ...Array.from({ length: 2 }, (_, i) => ({ localId: `messages-${i}`, record: legacyRecord(`messages-${i}`) })),
    ]);
    worker = await startSyncWorker(env.config(), { redis: env.redis, store, logger: silent, memoryGuard: false });
    await worker.discoverNow();
    const c = await worker.waitIdle(10_000);
    expect(c).toMatchObject({ indexed: 8, dead: 2, retries: 0, inflight: 0 });
    expect(c.deadByCode).toEqual({ [DeadLetterCodes.MAPPING_CONFLICT]: 2 });
    const dl = await worker.deadLetters.list();
    expect(dl.map((d) => d.attempts)).toEqual([1, 1]);
    expect(dl[0]!.message).toContain('mapper_parsing_exception');
    expect([...sentDocs.values()].every((n) => n === 1)).toBe(true);

    for (let pass = 0; pass < 3; pass++) await worker.discoverNow();
    await worker.waitIdle(5000);
    expect(sentDocs.size).toBe(10);
    expect([...sentDocs.values()].every((n) => n === 1)).toBe(true); // nothing sent to ES again
    expect(sentDocs.get(didFromSoul(`${dl[0]!.soul}`))).toBe(1);
  });
});
