// The capped total (SearchQuery.totalCap) for every RecordStore, registered inside
// describeRecordStoreContract: up to the cap the total is exact; past it a store answers either
// the exact count ('eq') or the cap ('gte'); the page is always the one an uncapped query
// returns. Data sets cover records indexed in block order (the SQLite store's walk), out of
// order, and without a block; some records are private.
import { beforeEach, describe, expect, it } from 'vitest';
import type { OipRecord, RecordStore, SearchQuery } from '../../src/index.js';
import { makeRecord } from './records.js';

const COUNT = 40;
const OWNER = 'pk-owner';

/** Record i of a layout: the block it gets, or none. */
const LAYOUTS: Record<string, (i: number) => number | undefined> = {
  'blocks in index order': (i) => 5000 + i,
  'blocks out of index order': (i) => 5000 + ((i * 17) % COUNT),
  'shared blocks': (i) => 5000 + Math.floor(i / 4),
  'some without a block': (i) => (i % 3 === 0 ? undefined : 5000 + i),
};

function corpus(block: (i: number) => number | undefined): OipRecord[] {
  return Array.from({ length: COUNT }, (_, i) => {
    const inArweaveBlock = block(i);
    const rec = makeRecord({
      soul: `cap:${String(i).padStart(2, '0')}`,
      recordType: i % 2 === 0 ? 'workout' : 'recipe',
      name: `kettlebell ${i % 5 === 0 ? 'tempo' : 'swing'} ${i}`,
      tags: [i % 4 === 0 ? 'hiit' : 'easy', 'daily'],
      ...(inArweaveBlock === undefined ? {} : { inArweaveBlock }),
    });
    if (i % 7 === 3) rec.data['accessControl'] = { access_level: 'private', owner_public_key: OWNER };
    return rec;
  });
}

const dids = (records: OipRecord[]): string[] => records.map((r) => r.oip.did);

const QUERIES: Array<{ name: string; query: SearchQuery }> = [
  { name: 'search', query: { search: 'kettlebell' } },
  { name: 'search AND', query: { search: 'kettlebell tempo' } },
  { name: 'search + type', query: { search: 'kettlebell', recordType: 'workout' } },
  { name: 'search + tags', query: { search: 'kettlebell', tags: ['daily'] } },
  { name: 'tags', query: { tags: ['daily'] } },
  { name: 'type', query: { recordType: 'recipe' } },
];

/** Registered inside describeRecordStoreContract with its store. */
export function describeTotalCap(current: () => RecordStore): void {
  describe('totalCap', () => {
    let store: RecordStore;
    beforeEach(() => {
      store = current();
    });

    for (const [layout, block] of Object.entries(LAYOUTS)) {
      it(`${layout}: exact up to the cap, a lower bound past it, the page always exact`, async () => {
        const results = await store.bulkUpsert(corpus(block));
        expect(results.filter((r) => !r.ok)).toEqual([]);
        let checked = 0;
        for (const { name: q, query } of QUERIES) {
          for (const viewer of [null, OWNER]) {
            for (const [limit, page] of [
              [3, 1],
              [3, 4],
              [7, 2],
              [20, 1],
            ] as const) {
              const base = { ...query, limit, page, access: { viewerPublicKey: viewer } };
              const exact = await store.search(base);
              expect(exact.totalRelation, q).toBe('eq');
              for (const totalCap of [1, 4, 12, 100]) {
                const capped = await store.search({ ...base, totalCap });
                const label = `${q} viewer=${viewer} limit=${limit} page=${page} cap=${totalCap}`;
                expect(dids(capped.records), label).toEqual(dids(exact.records));
                if (exact.total <= totalCap)
                  expect({ total: capped.total, rel: capped.totalRelation }, label).toEqual({
                    total: exact.total,
                    rel: 'eq',
                  });
                else if (capped.totalRelation === 'gte') expect(capped.total, label).toBe(totalCap);
                else expect(capped.total, label).toBe(exact.total);
                checked++;
              }
            }
          }
        }
        expect(checked).toBe(QUERIES.length * 2 * 4 * 4);
      });
    }

    it('rejects a cap that is not an integer from 1 to 10,000', async () => {
      for (const totalCap of [0, -1, 1.5, 10_001]) {
        await expect(store.search({ totalCap })).rejects.toMatchObject({ code: 'STORE_ERR_INVALID' });
      }
    });
  });
}
