// The records index the adapter creates on a real node: the legacy-compatible mapping, numbers
// not coerced (the node refuses what the guard refuses), created once however many stores open it.
import { afterEach, describe, expect, it } from 'vitest';
import { createElasticsearchRecordStore, recordsIndexMappings } from '../src/index.js';
import { makeRecord } from './helpers/records.js';
import { adminClient, elasticsearchUrl, realStore, skipWithoutElasticsearch } from './helpers/real-elasticsearch.js';

describe.skipIf(skipWithoutElasticsearch !== undefined)('the records index on a real node', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('is created on first use with the legacy-compatible mapping and index.mapping.coerce false, once', async () => {
    const { store, index, cleanup } = realStore();
    cleanups.push(cleanup);
    // Two stores open the missing index at the same time: one creates it, neither fails.
    const second = createElasticsearchRecordStore({ node: elasticsearchUrl!, index });
    cleanups.push(() => second.close());
    expect(await Promise.all([store.count(), second.count({ recordType: 'post' })])).toEqual([0, 0]);
    const admin = adminClient();
    cleanups.push(() => admin.close());
    const mapping = (await admin.indices.getMapping({ index })) as Record<string, { mappings: unknown }>;
    expect(mapping[index]!.mappings).toMatchObject({
      properties: recordsIndexMappings.properties,
      date_detection: true,
    });
    const settings = (await admin.indices.getSettings({ index, flat_settings: true })) as Record<
      string,
      { settings: Record<string, unknown> }
    >;
    expect(settings[index]!.settings['index.mapping.coerce']).toBe('false');
  });

  it('refuses a fractional number for a long field even without the guard (no silent truncation)', async () => {
    const { store, cleanup } = realStore({ guard: false });
    cleanups.push(cleanup);
    const rec = (n: number) => makeRecord({ soul: `c:${n}`, data: { basic: { date: n } } });
    expect((await store.bulkUpsert([rec(1730505600)]))[0]!.ok).toBe(true);
    const [refused] = await store.bulkUpsert([rec(1730505600.5)]);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'STORE_ERR_MAPPING', permanent: true, conflict: { path: 'data.basic.date', fixedType: 'long' } },
    });
    expect(await store.count()).toBe(1);
  });

  it("takes the index's own total_fields.limit; past a limit, the guard and the node both refuse with STORE_ERR_MAPPING", async () => {
    const wide = makeRecord({
      soul: 'w:1',
      data: { wide: Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f${i}`, 'x'])) },
    });
    // A legacy index may have raised the limit: 600 text fields count 1200 (each has a keyword sub-field).
    const raised = realStore();
    cleanups.push(raised.cleanup);
    const admin = adminClient();
    cleanups.push(() => admin.close());
    await admin.indices.create({
      index: raised.index,
      settings: { 'index.mapping.total_fields.limit': 5000 },
      mappings: { properties: recordsIndexMappings.properties } as never,
    });
    expect((await raised.store.bulkUpsert([wide]))[0]).toEqual({ did: wide.oip.did, ok: true });
    for (const guard of [true, false]) {
      const { store, cleanup } = realStore({ guard });
      cleanups.push(cleanup);
      const [refused] = await store.bulkUpsert([wide]);
      expect(refused).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING', permanent: true } });
      expect(await store.count()).toBe(0);
    }
  });
});
