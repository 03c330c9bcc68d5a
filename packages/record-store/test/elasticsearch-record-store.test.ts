// The adapter against @elastic/elasticsearch-mock: what the real node (elasticsearch-contract.test.ts)
// cannot give at a chosen moment — bulk items failing with 429/503/409, request-level errors, a
// mapping ES rejects after the guard allowed it — and the exact requests sent for them.
import { afterEach, describe, expect, it } from 'vitest';
import { createElasticsearchRecordStore, recordsIndexMappings, type ElasticsearchRecordStore } from '../src/index.js';
import { createEsMock, esErrorBody, esResponseError, type EsMock } from './helpers/es-mock.js';
import { makeRecord, seed000Records } from './helpers/records.js';

function bulkItem(id: string, status: number, error?: { type: string; reason: string }) {
  return {
    index: { _index: 'records', _id: id, status, ...(error === undefined ? { result: 'created' } : { error }) },
  };
}

describe('ElasticsearchRecordStore with @elastic/elasticsearch-mock', () => {
  let es: EsMock;
  let store: ElasticsearchRecordStore;

  function open(opts: Parameters<typeof createElasticsearchRecordStore>[0] = {}): ElasticsearchRecordStore {
    es = createEsMock();
    store = createElasticsearchRecordStore({ client: es.client, ...opts });
    return store;
  }

  afterEach(async () => {
    // The mock's Connection has no close(); injected clients are not closed by the store.
    await store.close();
  });

  it('bulkUpsert sends one _bulk with index actions keyed by DID and the legacy record as source', async () => {
    open({ refresh: 'wait_for' });
    const a = makeRecord({ soul: 'aaa:one' });
    const b = makeRecord({ soul: 'aaa:two' });
    es.mock.add({ method: 'POST', path: '/_bulk' }, () => ({
      errors: false,
      took: 1,
      items: [bulkItem(a.oip.did, 201), bulkItem(b.oip.did, 200)],
    }));
    const results = await store.bulkUpsert([a, b]);
    expect(results).toEqual([
      { did: a.oip.did, ok: true },
      { did: b.oip.did, ok: true },
    ]);
    const calls = es.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.querystring).toMatchObject({ refresh: 'wait_for' });
    expect(calls[0]!.body).toEqual([
      { index: { _index: 'records', _id: a.oip.did } },
      a,
      { index: { _index: 'records', _id: b.oip.did } },
      b,
    ]);
  });

  it('maps item-level errors: mapping types permanent, 429/503/409 transient, others by status', async () => {
    open();
    const cases: Array<[number, string, string, boolean]> = [
      [400, 'mapper_parsing_exception', 'STORE_ERR_MAPPING', true],
      [400, 'illegal_argument_exception', 'STORE_ERR_MAPPING', true],
      [400, 'document_parsing_exception', 'STORE_ERR_MAPPING', true],
      [400, 'strict_dynamic_mapping_exception', 'STORE_ERR_MAPPING', true],
      [429, 'es_rejected_execution_exception', 'STORE_ERR_UNAVAILABLE', false],
      [503, 'unavailable_shards_exception', 'STORE_ERR_UNAVAILABLE', false],
      [409, 'version_conflict_engine_exception', 'STORE_ERR_UNAVAILABLE', false],
      [500, 'internal_server_error', 'STORE_ERR_UPSTREAM', false],
      [400, 'action_request_validation_exception', 'STORE_ERR_UPSTREAM', true],
    ];
    const records = cases.map((_, i) => makeRecord({ soul: `err:${i}` }));
    const ok = makeRecord({ soul: 'err:ok' });
    es.mock.add({ method: 'POST', path: '/_bulk' }, () => ({
      errors: true,
      took: 1,
      items: [
        ...cases.map(([status, type], i) => bulkItem(records[i]!.oip.did, status, { type, reason: `${type} reason` })),
        bulkItem(ok.oip.did, 201),
      ],
    }));
    const results = await store.bulkUpsert([...records, ok]);
    cases.forEach(([, type, code, permanent], i) => {
      expect(results[i], type).toMatchObject({ ok: false, error: { code, permanent } });
      expect(results[i]!.error!.message).toContain(type);
    });
    expect(results.at(-1)).toEqual({ did: ok.oip.did, ok: true });
  });

  it('the guard, seeded from the index mapping, rejects seed-000 conflicts before sending them', async () => {
    const s = seed000Records();
    const mapping = {
      ...recordsIndexMappings.properties,
      data: {
        properties: {
          ...recordsIndexMappings.properties.data.properties,
          shoppingList: { properties: { item_prices: { type: 'long' } } },
          conversationSession: { properties: { messages: { type: 'text' } } },
        },
      },
    };
    es = createEsMock(mapping);
    store = createElasticsearchRecordStore({ client: es.client });
    const other = makeRecord({ soul: 'ok:1' });
    es.mock.add({ method: 'POST', path: '/_bulk' }, () => ({
      errors: false,
      took: 1,
      items: [bulkItem(other.oip.did, 201)],
    }));
    const results = await store.bulkUpsert([s.shoppingFloat, other, s.sessionObject]);
    expect(results[0]).toMatchObject({
      ok: false,
      error: { code: 'STORE_ERR_MAPPING', permanent: true, message: expect.stringContaining('[long] to [float]') },
    });
    expect(results[1]).toEqual({ did: other.oip.did, ok: true });
    expect(results[2]).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING', permanent: true } });
    const bulk = es.calls().filter((c) => c.path === '/_bulk');
    expect(bulk).toHaveLength(1);
    expect(bulk[0]!.body).toEqual([{ index: { _index: 'records', _id: other.oip.did } }, other]);
  });

  it('with guard: false, conflicts go to ES and come back mapped', async () => {
    open({ guard: false });
    const s = seed000Records();
    es.mock.add({ method: 'POST', path: '/_bulk' }, () => ({
      errors: true,
      took: 1,
      items: [
        bulkItem(s.shoppingFloat.oip.did, 400, {
          type: 'illegal_argument_exception',
          reason: 'mapper [data.shoppingList.item_prices] cannot be changed from type [long] to [float]',
        }),
      ],
    }));
    const [r] = await store.bulkUpsert([s.shoppingFloat]);
    expect(r).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING', permanent: true } });
    expect(es.seen.some((c) => c.path.endsWith('/_mapping'))).toBe(false);
  });

  it('after ES rejects a mapping the guard allowed, the next bulk reloads the index mapping first', async () => {
    open();
    const a = makeRecord({ soul: 'r:a' });
    let fail = true;
    es.mock.add({ method: 'POST', path: '/_bulk' }, () => ({
      errors: fail,
      took: 1,
      items: [
        fail
          ? bulkItem(a.oip.did, 400, { type: 'document_parsing_exception', reason: 'failed to parse' })
          : bulkItem(a.oip.did, 201),
      ],
    }));
    expect((await store.bulkUpsert([a]))[0]).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING' } });
    fail = false;
    expect((await store.bulkUpsert([a]))[0]).toEqual({ did: a.oip.did, ok: true });
    const order = es.seen.filter((c) => c.method !== 'HEAD' && !c.path.endsWith('/_settings')).map((c) => c.path);
    expect(order).toEqual(['/records/_mapping', '/_bulk', '/records/_mapping', '/_bulk']);
  });

  it("the guard adopts the index's raised total_fields.limit unless maxFields is given", async () => {
    const wide = makeRecord({
      soul: 'w:1',
      data: { wide: Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f${i}`, 'x'])) },
    });
    es = createEsMock(undefined, true, { 'index.mapping.total_fields.limit': '5000' });
    store = createElasticsearchRecordStore({ client: es.client });
    es.mock.add({ method: 'POST', path: '/_bulk' }, () => ({
      errors: false,
      took: 1,
      items: [bulkItem(wide.oip.did, 201)],
    }));
    expect((await store.bulkUpsert([wide]))[0]).toEqual({ did: wide.oip.did, ok: true });
    await store.close();

    // The default (1000, text counting twice) refuses the same record; so does an explicit limit.
    es = createEsMock();
    store = createElasticsearchRecordStore({ client: es.client });
    expect((await store.bulkUpsert([wide]))[0]).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING' } });
    await store.close();
    es = createEsMock(undefined, true, { 'index.mapping.total_fields.limit': '5000' });
    store = createElasticsearchRecordStore({ client: es.client, maxFields: 1000, maxDepth: 20 });
    expect((await store.bulkUpsert([wide]))[0]).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING' } });
    expect(es.seen.some((c) => c.path.endsWith('/_settings'))).toBe(false);
  });

  it('invalid and oversized records are item errors and are not sent', async () => {
    open({ maxRecordBytes: 2048 });
    const ok = makeRecord({ soul: 'v:ok' });
    es.mock.add({ method: 'POST', path: '/_bulk' }, () => ({
      errors: false,
      took: 1,
      items: [bulkItem(ok.oip.did, 201)],
    }));
    const results = await store.bulkUpsert([
      makeRecord({ soul: 'v:big', description: 'x'.repeat(4096) }),
      { data: {}, oip: { did: 'not-a-did' } } as never,
      ok,
    ]);
    expect(results.map((r) => r.error?.code ?? 'ok')).toEqual(['STORE_ERR_INVALID', 'STORE_ERR_INVALID', 'ok']);
    const bulk = es.calls().filter((c) => c.path === '/_bulk');
    expect(bulk[0]!.body).toEqual([{ index: { _index: 'records', _id: ok.oip.did } }, ok]);
  });

  it('request-level errors throw typed StoreErrors: 429 and 503 transient, 400 permanent', async () => {
    open();
    const rec = makeRecord({ soul: 'x:1' });
    const respond = (statusCode: number, type: string) => () =>
      esResponseError(statusCode, esErrorBody(statusCode, type));
    es.mock.add({ method: 'POST', path: '/_bulk' }, respond(429, 'es_rejected_execution_exception'));
    await expect(store.bulkUpsert([rec])).rejects.toMatchObject({ code: 'STORE_ERR_UNAVAILABLE', permanent: false });
    es.mock.clear({ method: 'POST', path: '/_bulk' });
    es.mock.add({ method: 'POST', path: '/_bulk' }, respond(503, 'master_not_discovered_exception'));
    await expect(store.bulkUpsert([rec])).rejects.toMatchObject({ code: 'STORE_ERR_UNAVAILABLE', permanent: false });
    es.mock.add({ method: ['GET', 'POST'], path: '/records/_search' }, respond(400, 'parsing_exception'));
    await expect(store.search({})).rejects.toMatchObject({ code: 'STORE_ERR_UPSTREAM', permanent: true });
  });

  it('search translates to bool filters, a fuzzy multi_match (legacy fuzziness AUTO), tag terms, range, sort and paging', async () => {
    open();
    es.mock.add({ method: ['GET', 'POST'], path: '/records/_search' }, () => ({
      took: 1,
      timed_out: false,
      hits: {
        total: { value: 42, relation: 'eq' },
        hits: [{ _index: 'records', _id: 'did:gun:a:b', _source: makeRecord({ soul: 'a:b' }) }],
      },
    }));
    const res = await store.search({
      recordType: 'workout',
      storage: 'gun',
      search: 'morning push',
      searchMatchMode: 'OR',
      tags: ['Strength', 'push'],
      tagsMatchMode: 'AND',
      creatorHandle: 'devon',
      dateStart: 100,
      dateEnd: 200,
      sort: { field: 'date', order: 'asc' },
      page: 3,
      limit: 10,
    });
    expect(res.total).toBe(42);
    expect(res.records).toHaveLength(1);
    const body = es.calls()[0]!.body as Record<string, unknown>;
    expect(body).toEqual({
      query: {
        bool: {
          filter: [
            { term: { 'oip.recordType.keyword': 'workout' } },
            { term: { 'oip.storage.keyword': 'gun' } },
            { term: { 'oip.creator.creatorHandle.keyword': 'devon' } },
            { range: { 'data.basic.date': { gte: 100, lte: 200 } } },
            { term: { 'data.basic.tagItems.keyword': { value: 'strength', case_insensitive: true } } },
            { term: { 'data.basic.tagItems.keyword': { value: 'push', case_insensitive: true } } },
          ],
          must: [
            {
              multi_match: {
                query: 'morning push',
                fields: ['data.basic.name', 'data.basic.description', 'data.basic.tagItems'],
                fuzziness: 'AUTO',
                operator: 'or',
              },
            },
          ],
        },
      },
      sort: [
        { 'data.basic.date': { order: 'asc', missing: '_last', unmapped_type: 'long' } },
        { 'oip.did.keyword': { order: 'asc', unmapped_type: 'keyword' } },
      ],
      from: 20,
      size: 10,
      track_total_hits: true,
    });
  });

  it('tags OR is one bool.should; an empty query is match_all sorted by inArweaveBlock desc', async () => {
    open();
    es.mock.add({ method: ['GET', 'POST'], path: '/records/_search' }, () => ({
      hits: { total: { value: 0, relation: 'eq' }, hits: [] },
    }));
    await store.search({ tags: ['a', 'b'] });
    await store.search({});
    const [withTags, empty] = es.calls().map((c) => c.body as { query: unknown; sort: unknown[] });
    expect(withTags!.query).toEqual({
      bool: {
        filter: [
          {
            bool: {
              should: [
                { term: { 'data.basic.tagItems.keyword': { value: 'a', case_insensitive: true } } },
                { term: { 'data.basic.tagItems.keyword': { value: 'b', case_insensitive: true } } },
              ],
              minimum_should_match: 1,
            },
          },
        ],
      },
    });
    expect(empty!.query).toEqual({ match_all: {} });
    expect(empty!.sort[0]).toEqual({
      'oip.inArweaveBlock': { order: 'desc', missing: '_last', unmapped_type: 'long' },
    });
  });

  it('getMany is one deduplicated mget; get and delete treat 404 as absent', async () => {
    open();
    const a = makeRecord({ soul: 'm:a' });
    es.mock.add({ method: ['GET', 'POST'], path: '/records/_mget' }, () => ({
      docs: [
        { _index: 'records', _id: a.oip.did, found: true, _source: a },
        { _index: 'records', _id: 'did:gun:m:none', found: false },
      ],
    }));
    es.mock.add({ method: 'GET', path: '/records/_doc/:id' }, () =>
      esResponseError(404, { _index: 'records', _id: 'x', found: false }),
    );
    es.mock.add({ method: 'DELETE', path: '/records/_doc/:id' }, () =>
      esResponseError(404, { _index: 'records', _id: 'x', result: 'not_found' }),
    );
    const found = await store.getMany([a.oip.did, 'did:gun:m:none', a.oip.did]);
    expect([...found.entries()]).toEqual([[a.oip.did, a]]);
    const mgets = es.calls().filter((c) => c.path.endsWith('/_mget'));
    expect(mgets).toHaveLength(1);
    expect(mgets[0]!.body).toEqual({ ids: [a.oip.did, 'did:gun:m:none'] });
    expect(await store.get('did:gun:m:none')).toBeNull();
    expect(await store.delete('did:gun:m:none')).toBe(false);
  });

  it('countByType reads a terms aggregation', async () => {
    open();
    es.mock.add({ method: ['GET', 'POST'], path: '/records/_search' }, () => ({
      hits: { total: { value: 3, relation: 'eq' }, hits: [] },
      aggregations: {
        types: {
          buckets: [
            { key: 'post', doc_count: 2 },
            { key: 'workout', doc_count: 1 },
          ],
        },
      },
    }));
    expect(await store.countByType()).toEqual({ post: 2, workout: 1 });
    expect(es.calls()[0]!.body).toEqual({
      size: 0,
      aggs: { types: { terms: { field: 'oip.recordType.keyword', size: 1000 } } },
    });
  });

  it('an injected client stays open after close(); calls after close fail with STORE_ERR_CLOSED', async () => {
    open();
    es.mock.add({ method: ['GET', 'POST'], path: '/records/_count' }, () => ({ count: 1 }));
    await store.close();
    await expect(store.count()).rejects.toMatchObject({ code: 'STORE_ERR_CLOSED' });
    // The client still works for its owner.
    expect((await es.client.count({ index: 'records' })).count).toBe(1);
  });
});
