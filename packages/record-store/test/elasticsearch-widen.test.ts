// Widening on a real Elasticsearch node: it refuses a type change in place, so the adapter
// copies the index with the client's scroll and bulk helpers and moves the alias; a second
// adapter with a stale guard adopts the widening at its next conflicting write.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearchRecordStore, recordsIndexMappings, type OipRecord } from '../src/index.js';
import { createEsMock } from './helpers/es-mock.js';
import { makeRecord } from './helpers/records.js';
import {
  adminClient,
  elasticsearchUrl,
  realStore,
  skipWithoutElasticsearch,
  uniqueIndex,
} from './helpers/real-elasticsearch.js';

const shopping = (n: number, amounts: number[]): OipRecord =>
  makeRecord({
    soul: `647f79c2a338:shop-${n}`,
    recordType: 'shoppingList',
    tags: ['groceries'],
    data: { shoppingList: { item_prices: amounts } },
  });

describe.skipIf(skipWithoutElasticsearch !== undefined)('ElasticsearchRecordStore.widenField (real node)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  // Made in beforeAll, not when the file loads: a skipped block's body still runs, and without
  // ELASTICSEARCH_URL the client cannot be made.
  let admin: ReturnType<typeof adminClient>;
  beforeAll(() => {
    admin = adminClient();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  afterAll(() => admin.close());
  function open(options: Parameters<typeof realStore>[0] = {}) {
    const s = realStore(options);
    cleanups.push(s.cleanup);
    return s;
  }
  /** The concrete indices named `index` or starting with it, and where the alias `index` points. */
  async function layout(index: string): Promise<{ indices: string[]; aliasOf: string[] }> {
    const found = (await admin.indices.get({ index: `${index}*` })) as Record<string, unknown>;
    const aliases = (await admin.indices.getAlias({ name: index }, { ignore: [404] })) as Record<string, unknown>;
    const aliasOf = Object.keys(aliases).filter((k) => k !== 'error' && k !== 'status');
    return { indices: Object.keys(found).sort(), aliasOf };
  }

  it('without reindex: STORE_ERR_REINDEX_REQUIRED naming the index and the plan; nothing changes', async () => {
    const { store, index } = open();
    await store.bulkUpsert([shopping(1, [2])]);
    await expect(store.widenField('data.shoppingList.item_prices', 'double')).rejects.toMatchObject({
      code: 'STORE_ERR_REINDEX_REQUIRED',
      details: { path: 'data.shoppingList.item_prices', from: 'long', to: 'double', index, alias: index },
    });
    expect(await layout(index)).toEqual({ indices: [index], aliasOf: [] });
  });

  it('a legacy concrete index: copies every document into a new index, frees the name and makes it the alias', async () => {
    const { store, index } = open();
    const docs = Array.from({ length: 1203 }, (_, i) => shopping(i, [i]));
    for (let i = 0; i < docs.length; i += 500) await store.bulkUpsert(docs.slice(i, i + 500));
    const r = await store.widenField('data.shoppingList.item_prices', 'double', { reindex: true });
    expect(r).toMatchObject({
      method: 'reindex',
      reindex: { from: index, alias: index, documents: 1203, oldIndexKept: false },
    });
    const target = r.reindex!.to;
    expect(await layout(index)).toEqual({ indices: [target], aliasOf: [target] });
    expect(await store.fieldTypes()).toContainEqual({ path: 'data.shoppingList.item_prices', type: 'double' });
    expect((await store.bulkUpsert([shopping(5000, [1.5])]))[0]!.ok).toBe(true);
    expect(await store.count()).toBe(1204);
    expect(await store.get(docs[7]!.oip.did)).toEqual(docs[7]);
  });

  it('a second adapter whose guard fixed long adopts the widening at its next conflicting write', async () => {
    const { store: writer, index } = open();
    const stale = createElasticsearchRecordStore({ node: elasticsearchUrl!, index, refresh: true });
    cleanups.push(() => stale.close());
    expect((await stale.bulkUpsert([shopping(1, [2])]))[0]!.ok).toBe(true);
    expect(stale.fieldType('data.shoppingList.item_prices')).toBe('long');
    await writer.widenField('data.shoppingList.item_prices', 'double', { reindex: true });
    expect(stale.fieldType('data.shoppingList.item_prices')).toBe('long');
    expect((await stale.bulkUpsert([shopping(2, [1.5])]))[0]).toEqual({ did: shopping(2, []).oip.did, ok: true });
    expect(stale.fieldType('data.shoppingList.item_prices')).toBe('double');
  });

  it('an alias: moves it and keeps the old index', async () => {
    const { store, index } = open();
    await store.bulkUpsert([shopping(1, [2]), shopping(2, [3])]);
    // The first widening turns the legacy index into an alias; the second moves the alias.
    const first = (await store.widenField('data.shoppingList.item_prices', 'float', { reindex: true })).reindex!.to;
    const r = await store.widenField('data.shoppingList.item_prices', 'double', { reindex: true });
    expect(r.reindex).toMatchObject({ from: first, oldIndexKept: true, documents: 2 });
    expect(await layout(index)).toEqual({ indices: [first, r.reindex!.to].sort(), aliasOf: [r.reindex!.to] });
    expect(await store.fieldTypes()).toContainEqual({ path: 'data.shoppingList.item_prices', type: 'double' });
  });

  it("an index made before the table's double templates keeps first sight for them: 1 fixes long, 1.5 conflicts, until widen --reindex", async () => {
    const index = uniqueIndex();
    // The mapping this node created before DOUBLE_FIELD_PATHS: no dynamic templates.
    const { dynamic_templates: _templates, ...before } = recordsIndexMappings;
    await admin.indices.create({
      index,
      settings: { 'index.mapping.coerce': false },
      mappings: before as never,
    });
    const { store } = open({ index });
    const recipe = (n: number, amounts: number[]): OipRecord =>
      makeRecord({
        soul: `647f79c2a338:recipe-${n}`,
        recordType: 'recipe',
        data: { recipe: { ingredient_amount: amounts } },
      });
    expect((await store.bulkUpsert([recipe(1, [1])]))[0]!.ok).toBe(true);
    expect(await store.fieldTypes()).toContainEqual({ path: 'data.recipe.ingredient_amount', type: 'long' });
    const [r] = await store.bulkUpsert([recipe(2, [1.5])]);
    expect(r).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING', permanent: true } });
    await store.widenField('data.recipe.ingredient_amount', 'double', { reindex: true });
    expect((await store.bulkUpsert([recipe(2, [1.5])]))[0]!.ok).toBe(true);
    expect(await store.get(recipe(2, []).oip.did)).toEqual(recipe(2, [1.5]));
    // The copy carries the table's templates: a quantity not yet mapped is double from its first value.
    const nutrition = (n: number, proteinG: number): OipRecord =>
      makeRecord({
        soul: `647f79c2a338:nut-${n}`,
        recordType: 'nutritionalInfo',
        data: { nutritionalInfo: { proteinG } },
      });
    expect((await store.bulkUpsert([nutrition(1, 3)]))[0]!.ok).toBe(true);
    expect((await store.bulkUpsert([nutrition(2, 2.5)]))[0]!.ok).toBe(true);
    expect(await store.fieldTypes()).toContainEqual({ path: 'data.nutritionalInfo.proteinG', type: 'double' });
  });

  it("a new index carries the table's double templates: a recipe's 1 is mapped double, and 1.5 then stores", async () => {
    const { store, index } = open();
    const recipe = (n: number, amounts: number[]): OipRecord =>
      makeRecord({
        soul: `647f79c2a338:recipe-${n}`,
        recordType: 'recipe',
        data: { recipe: { ingredient_amount: amounts } },
      });
    expect((await store.bulkUpsert([recipe(1, [1])]))[0]!.ok).toBe(true);
    const mapping = (await admin.indices.getMapping({ index })) as Record<string, { mappings: unknown }>;
    expect(mapping[index]!.mappings).toMatchObject({
      properties: { data: { properties: { recipe: { properties: { ingredient_amount: { type: 'double' } } } } } },
    });
    expect((await store.bulkUpsert([recipe(2, [1.5])]))[0]!.ok).toBe(true);
  });

  it('a degraded record maps meta.setAside unindexed before it is written', async () => {
    const { store, index } = open();
    const rec = { ...shopping(1, [2]), meta: { setAside: '{"data.x":1}' } };
    expect((await store.bulkUpsert([rec]))[0]!.ok).toBe(true);
    const mapping = (await admin.indices.getMapping({ index })) as Record<string, { mappings: unknown }>;
    expect(mapping[index]!.mappings).toMatchObject({
      properties: { meta: { properties: { setAside: { type: 'text', index: false } } } },
    });
    expect(await store.get(rec.oip.did)).toEqual(rec);
  });

  it('on an index that already maps meta.setAside indexed, ES refusing the unindexed mapping does not fail the write', async () => {
    const { index } = open();
    // Mapped dynamically (indexed text) by a write that did not come through the adapter.
    await admin.index({ index, id: 'other', document: { meta: { setAside: 'x' } }, refresh: true });
    const store = createElasticsearchRecordStore({ node: elasticsearchUrl!, index, refresh: true });
    cleanups.push(() => store.close());
    const rec = { ...shopping(1, [2]), meta: { setAside: '{"data.x":1}' } };
    expect((await store.bulkUpsert([rec]))[0]!.ok).toBe(true);
    expect((await store.bulkUpsert([{ ...shopping(2, [3]), meta: { setAside: '{}' } }]))[0]!.ok).toBe(true);
    expect(await store.count()).toBe(3);
  });
});

describe('ElasticsearchRecordStore.widenField where ES accepts the mapping update', () => {
  // A real node refuses every type change in place; the mock answers as a node that accepts one,
  // to show the adapter then applies it in place and copies nothing.
  it('applies it in place (no copy)', async () => {
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
});
