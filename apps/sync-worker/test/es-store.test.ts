// Seed 000's exact failure: Elasticsearch refuses a bulk item because a field's value does not
// parse as its mapped type (mapper_parsing_exception on seed 000's node; document_parsing_exception
// on the node the tests run, ES 8.x and later).
// The worker runs on the Elasticsearch adapter of @oip/record-store on the real node of
// ELASTICSEARCH_URL (an index of its own, `messages` mapped as text before the worker starts),
// with the guard off, so the rejection is the node's own: each rejected record is dead-lettered
// after one attempt and never re-sent (the documents of every bulk request are counted from the
// client's request events).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '@elastic/elasticsearch';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { didFromSoul } from '@oip/records';
import { DeadLetterCodes } from '@oip/queue-contracts';
import { createElasticsearchRecordStore, recordsIndexMappings, type RecordStore } from '@oip/record-store';
import { startSyncWorker, type SyncWorker } from '../src/worker.js';
import { createTestEnv, silent, type TestEnv } from './helpers/env.js';
import { legacyRecord } from '@oip/test-kit';
import { seed } from './helpers/records.js';
import { dropIndices, elasticsearchUrl, noElasticsearch, uniqueIndex } from './helpers/real-elasticsearch.js';

const textKeyword = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } } as const;

/** The documents each bulk request carried, by id (an action line names the document's _id). */
function countBulkDocs(client: Client, sent: Map<string, number>): void {
  client.diagnostic.on('request', (_err, result) => {
    const params = result?.meta.request.params;
    if (params?.path !== '/_bulk' || typeof params.body !== 'string') return;
    for (const line of params.body.split('\n')) {
      if (line === '') continue;
      const id = (JSON.parse(line) as { index?: { _id?: string } }).index?._id;
      if (id !== undefined) sent.set(id, (sent.get(id) ?? 0) + 1);
    }
  });
}

describe.skipIf(noElasticsearch)('sync worker on the Elasticsearch store', () => {
  let relay: FakeRelay;
  let env: TestEnv;
  let index: string;
  let client: Client;
  let store: RecordStore;
  let worker: SyncWorker | null = null;
  const sentDocs = new Map<string, number>();

  beforeEach(async () => {
    relay = await startFakeRelay();
    env = await createTestEnv([relay.url]);
    sentDocs.clear();
    index = uniqueIndex('es-store');
    client = new Client({ node: elasticsearchUrl!, maxRetries: 0 });
    // `messages` is text here (as seed 000's first sessions made it); object messages are refused.
    const { data } = recordsIndexMappings.properties;
    await client.indices.create({
      index,
      mappings: {
        ...recordsIndexMappings,
        properties: {
          ...recordsIndexMappings.properties,
          data: {
            properties: { ...data.properties, conversationSession: { properties: { messages: textKeyword } } },
          },
        },
      } as never,
    });
    countBulkDocs(client, sentDocs);
    store = createElasticsearchRecordStore({ client, index, guard: false, refresh: true });
  });

  afterEach(async () => {
    await worker?.close();
    worker = null;
    await store.close();
    await client.close();
    await dropIndices(index);
    await relay.close();
    await env.cleanup();
  });

  it('dead-letters records ES refuses as unparseable for their mapping once, and later passes send nothing', async () => {
    await seed(relay.store, [
      ...Array.from({ length: 8 }, (_, i) => ({ localId: `ok-${i}`, record: legacyRecord(`ok-${i}`) })),
      ...Array.from({ length: 2 }, (_, i) => ({
        localId: `messages-${i}`,
        record: legacyRecord(`messages-${i}`, { conversationSession: { messages: [{ role: 'user', content: 'hi' }] } }),
      })),
    ]);
    worker = await startSyncWorker(env.config(), { redis: env.redis, store, logger: silent, memoryGuard: false });
    await worker.discoverNow();
    const c = await worker.waitIdle(10_000);
    expect(c).toMatchObject({ indexed: 8, dead: 2, retries: 0, inflight: 0 });
    expect(c.deadByCode).toEqual({ [DeadLetterCodes.MAPPING_CONFLICT]: 2 });
    const dl = await worker.deadLetters.list();
    expect(dl.map((d) => d.attempts)).toEqual([1, 1]);
    expect(dl[0]!.message).toMatch(
      /^STORE_ERR_MAPPING: document_parsing_exception: .*failed to parse field \[data\.conversationSession\.messages\] of type \[text\]/,
    );
    expect([...sentDocs.values()].every((n) => n === 1)).toBe(true);

    for (let pass = 0; pass < 3; pass++) await worker.discoverNow();
    await worker.waitIdle(5000);
    expect(sentDocs.size).toBe(10);
    expect([...sentDocs.values()].every((n) => n === 1)).toBe(true); // nothing sent to ES again
    expect(sentDocs.get(didFromSoul(`${dl[0]!.soul}`))).toBe(1);
  });
});
