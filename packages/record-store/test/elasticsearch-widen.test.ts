// Widening on Elasticsearch (the in-memory fake): ES refuses a type change in place, so the
// adapter copies the index with the client's scroll and bulk helpers and moves the alias; a
// second adapter with a stale guard adopts the widening at its next conflicting write.
import { describe, expect, it } from 'vitest';
import { createElasticsearchRecordStore, type OipRecord } from '../src/index.js';
import { createEsFake } from './helpers/es-fake.js';
import { createEsMock, esResponseError } from './helpers/es-mock.js';
import { makeRecord } from './helpers/records.js';

const shopping = (n: number, amounts: number[]): OipRecord =>
  makeRecord({
    soul: `647f79c2a338:shop-${n}`,
    recordType: 'shoppingList',
    tags: ['groceries'],
    data: { shoppingList: { item_amounts: amounts } },
  });

describe('ElasticsearchRecordStore.widenField', () => {
  it('without reindex: STORE_ERR_REINDEX_REQUIRED naming the index and the plan; nothing changes', async () => {
    const es = createEsFake();
    const store = createElasticsearchRecordStore({ client: es.client });
    await store.bulkUpsert([shopping(1, [2])]);
    await expect(store.widenField('data.shoppingList.item_amounts', 'double')).rejects.toMatchObject({
      code: 'STORE_ERR_REINDEX_REQUIRED',
      details: {
        path: 'data.shoppingList.item_amounts',
        from: 'long',
        to: 'double',
        index: 'records',
        alias: 'records',
      },
    });
    expect([...es.indices.keys()]).toEqual(['records']);
    expect(es.aliases.size).toBe(0);
    await store.close();
  });

  it('a legacy concrete index: copies every document into a new index, frees the name and makes it the alias', async () => {
    const es = createEsFake();
    const store = createElasticsearchRecordStore({ client: es.client });
    const docs = Array.from({ length: 1203 }, (_, i) => shopping(i, [i]));
    for (let i = 0; i < docs.length; i += 500) await store.bulkUpsert(docs.slice(i, i + 500));
    const r = await store.widenField('data.shoppingList.item_amounts', 'double', { reindex: true });
    expect(r).toMatchObject({
      method: 'reindex',
      reindex: { from: 'records', alias: 'records', documents: 1203, oldIndexKept: false },
    });
    const target = r.reindex!.to;
    expect([...es.indices.keys()]).toEqual([target]);
    expect(es.aliases.get('records')).toBe(target);
    expect(es.indices.get(target)!.docs.size).toBe(1203);
    // Scrolled in pages of 500 (the last scroll comes back empty) and cleared.
    expect(es.calls().filter((c) => c.path === '/_search/scroll' && c.method === 'POST').length).toBe(3);
    expect(es.calls().some((c) => c.path === '/_search/scroll' && c.method === 'DELETE')).toBe(true);
    expect(await store.fieldTypes()).toContainEqual({ path: 'data.shoppingList.item_amounts', type: 'double' });
    expect((await store.bulkUpsert([shopping(5000, [1.5])]))[0]!.ok).toBe(true);
    expect(await store.count()).toBe(1204);
    expect(await store.get(docs[7]!.oip.did)).toEqual(docs[7]);
    await store.close();
  });

  it('a second adapter whose guard fixed long adopts the widening at its next conflicting write', async () => {
    const es = createEsFake();
    const writer = createElasticsearchRecordStore({ client: es.client });
    const stale = createElasticsearchRecordStore({ client: es.client });
    expect((await stale.bulkUpsert([shopping(1, [2])]))[0]!.ok).toBe(true);
    expect(stale.fieldType('data.shoppingList.item_amounts')).toBe('long');
    await writer.widenField('data.shoppingList.item_amounts', 'double', { reindex: true });
    expect(stale.fieldType('data.shoppingList.item_amounts')).toBe('long');
    expect((await stale.bulkUpsert([shopping(2, [1.5])]))[0]).toEqual({ did: shopping(2, []).oip.did, ok: true });
    expect(stale.fieldType('data.shoppingList.item_amounts')).toBe('double');
    await writer.close();
    await stale.close();
  });

  it('an alias: moves it and keeps the old index', async () => {
    const es = createEsFake();
    const store = createElasticsearchRecordStore({ client: es.client });
    await store.bulkUpsert([shopping(1, [2]), shopping(2, [3])]);
    // The first widening turns the legacy index into an alias; the second moves the alias.
    await store.widenField('data.shoppingList.item_amounts', 'float', { reindex: true });
    const first = es.aliases.get('records')!;
    const r = await store.widenField('data.shoppingList.item_amounts', 'double', { reindex: true });
    expect(r.reindex).toMatchObject({ from: first, oldIndexKept: true, documents: 2 });
    expect(es.indices.has(first)).toBe(true);
    expect(es.aliases.get('records')).toBe(r.reindex!.to);
    expect(await store.fieldTypes()).toContainEqual({ path: 'data.shoppingList.item_amounts', type: 'double' });
    await store.close();
  });

  it('where ES accepts the mapping update, it is applied in place (no copy)', async () => {
    const es = createEsMock({ data: { properties: { x: { properties: { n: { type: 'integer' } } } } } });
    const puts: unknown[] = [];
    es.mock.add({ method: 'PUT', path: '/records/_mapping' }, (p) => {
      puts.push(p.body);
      return { acknowledged: true };
    });
    const store = createElasticsearchRecordStore({ client: es.client });
    expect(await store.widenField('data.x.n', 'long')).toEqual({
      path: 'data.x.n',
      from: 'integer',
      to: 'long',
      method: 'mapping',
    });
    expect(puts).toEqual([{ properties: { data: { properties: { x: { properties: { n: { type: 'long' } } } } } } }]);
    await store.close();
  });

  it('a degraded record maps meta.setAside unindexed before it is written', async () => {
    const es = createEsFake();
    const store = createElasticsearchRecordStore({ client: es.client });
    const rec = { ...shopping(1, [2]), meta: { setAside: '{"data.x":1}' } };
    expect((await store.bulkUpsert([rec]))[0]!.ok).toBe(true);
    const meta = es.indices.get('records')!.mappings.properties['meta']!;
    expect(meta.properties!['setAside']).toEqual({ type: 'text', index: false });
    await store.close();
  });
});

describe('meta.setAside on an index that already maps it indexed', () => {
  it('ES refusing the unindexed mapping does not fail the write', async () => {
    const es = createEsFake();
    const store = createElasticsearchRecordStore({ client: es.client });
    es.mock.clear({ method: 'PUT', path: '/:index/_mapping' });
    es.mock.add({ method: 'PUT', path: '/:index/_mapping' }, () =>
      esResponseError(400, {
        error: {
          type: 'illegal_argument_exception',
          reason:
            'Mapper for [meta.setAside] conflicts with existing mapper: Cannot update parameter [index] from [true] to [false]',
        },
        status: 400,
      }),
    );
    const rec = { ...shopping(1, [2]), meta: { setAside: '{"data.x":1}' } };
    expect((await store.bulkUpsert([rec]))[0]!.ok).toBe(true);
    expect((await store.bulkUpsert([{ ...shopping(2, [3]), meta: { setAside: '{}' } }]))[0]!.ok).toBe(true);
    expect(es.seen.filter((c) => c.method === 'PUT' && c.path.endsWith('/_mapping'))).toHaveLength(1);
    await store.close();
  });
});
