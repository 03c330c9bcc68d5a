// The read-only legacy index mode (store config legacyReadOnly) on the legacy node's own
// Elasticsearch 7.17.8 (LEGACY_ELASTICSEARCH_URL: the test command starts one beside ours), its
// `records` index made as legacy helpers/elasticsearch.js:644-679 (ensureIndexExists) makes it;
// and through a stand-in for an 8.x node in front of it (which refuses the 9.x client's
// compatible-with=9 media types): the store's own client speaks plain JSON there, one built
// without plainJson is refused.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEs8StandIn, type Es8StandIn } from '@oip/test-kit';
import { createElasticsearchRecordStore, createRecordStore, type RecordStore } from '../src/index.js';

const given = process.env['LEGACY_ELASTICSEARCH_URL'];
const legacyUrl = given === '' ? undefined : given;
if (legacyUrl === undefined && process.env['CI'])
  throw new Error('LEGACY_ELASTICSEARCH_URL is not set: CI runs this suite on a 7.17 node (node scripts/oip.mjs test)');

const index = `oip-test-legacy-cluster-${randomUUID()}`;
const did = (n: number) => `did:arweave:${String(n).padStart(43, 'q')}`;

/** The legacy `records` index: its settings and explicit mapping (helpers/elasticsearch.js:647-679). */
const LEGACY_RECORDS_INDEX = {
  settings: {
    'mapping.total_fields.limit': 5000,
    'mapping.nested_fields.limit': 100,
    'mapping.nested_objects.limit': 10000,
  },
  mappings: {
    properties: {
      data: { type: 'nested' },
      oip: {
        type: 'object',
        properties: {
          recordType: { type: 'text' },
          didTx: { type: 'keyword' },
          inArweaveBlock: { type: 'long' },
          indexedAt: { type: 'date' },
          ver: { type: 'text' },
          signature: { type: 'text' },
          creator: {
            type: 'object',
            properties: { creatorHandle: { type: 'text' }, didAddress: { type: 'text' }, didTx: { type: 'text' } },
          },
        },
      },
    },
  },
};

function legacyDoc(n: number, name: string) {
  return {
    data: { basic: { name, date: 1704000000 + n, tagItems: ['legacy'] }, exercise: { exercise_type: 'Strength' } },
    oip: {
      didTx: did(n),
      recordType: 'exercise',
      inArweaveBlock: 1500000 + n,
      indexedAt: new Date(Date.UTC(2024, 0, n)).toISOString(),
      ver: '0.8.0',
      creator: { creatorHandle: 'Coach', didAddress: 'did:arweave:coach', didTx: 'did:arweave:coach-reg' },
    },
  };
}

/** A request to the legacy node in plain JSON, as its own client sent them. */
async function legacyEs(path: string, method = 'GET', body?: string, type = 'application/json'): Promise<unknown> {
  const res = await fetch(`${legacyUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': type } }),
    signal: AbortSignal.timeout(30_000),
  });
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** What a store reads of the legacy index: one record by DID and a search by type, in block order. */
async function reads(store: RecordStore) {
  const one = await store.get(did(1));
  const found = await store.search({ recordType: 'exercise', sort: { field: 'inArweaveBlock', order: 'asc' } });
  return { one: one?.data['basic'], found: found.records.map((r) => r.oip.did) };
}

const EXPECTED = { one: { name: 'Goblet Squat', date: 1704000001, tagItems: ['legacy'] }, found: [did(1), did(2)] };

describe.skipIf(legacyUrl === undefined)("the read-only legacy index mode on a legacy node's Elasticsearch", () => {
  let standIn: Es8StandIn;

  beforeAll(async () => {
    await legacyEs(`/${index}`, 'PUT', JSON.stringify(LEGACY_RECORDS_INDEX));
    const lines = [
      [did(1), legacyDoc(1, 'Goblet Squat')],
      [did(2), legacyDoc(2, 'Plank')],
    ].flatMap(([id, doc]) => [JSON.stringify({ index: { _id: id } }), JSON.stringify(doc)]);
    const bulk = (await legacyEs(
      `/${index}/_bulk?refresh=true`,
      'POST',
      `${lines.join('\n')}\n`,
      'application/x-ndjson',
    )) as {
      errors: boolean;
    };
    expect(bulk.errors).toBe(false);
    standIn = await startEs8StandIn(legacyUrl!);
  }, 60_000);

  afterAll(async () => {
    await standIn?.close();
    await fetch(`${legacyUrl}/${index}`, { method: 'DELETE', signal: AbortSignal.timeout(30_000) }).catch(
      () => undefined,
    );
  });

  it('reads the index on the 7.17 node as it is', async () => {
    expect(((await legacyEs('/')) as { version: { number: string } }).version.number).toMatch(/^7\.17\./);
    const store = createRecordStore({ kind: 'elasticsearch', url: legacyUrl!, index, legacyReadOnly: true });
    try {
      expect(await reads(store)).toEqual(EXPECTED);
      expect(await store.count()).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('speaks plain JSON where an 8.x node refuses compatible-with=9; a client without plainJson is refused', async () => {
    const store = createRecordStore({ kind: 'elasticsearch', url: standIn.url, index, legacyReadOnly: true });
    try {
      expect(await reads(store)).toEqual(EXPECTED);
    } finally {
      await store.close();
    }
    expect(standIn.refused()).toBe(0);
    expect(standIn.seen.length).toBeGreaterThan(0);
    expect(standIn.seen.every((types) => !types.includes('compatible-with'))).toBe(true);

    const versioned = createElasticsearchRecordStore({ node: standIn.url, index, legacyIndex: true, plainJson: false });
    try {
      await expect(versioned.get(did(1))).rejects.toThrow();
    } finally {
      await versioned.close();
    }
    expect(standIn.refused()).toBeGreaterThan(0);
  });
});
