// One behavioural contract for every RecordStore implementation. Store test files call
// describeRecordStoreContract() with a factory that opens a fresh, empty store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OipRecord, RecordStore } from '../../src/index.js';
import { makeRecord } from './records.js';
import { describeLegacyFilters } from './legacy-filters-contract.js';
import { describeLegacyParams } from './legacy-params-contract.js';
import { describeTotalCap } from './total-cap-contract.js';
import { describeAccessLevels } from './access-contract.js';
import { describeFieldTypes } from './field-types-contract.js';
import { expectStoreError } from './expect-store-error.js';

export interface ContractHarness {
  store: RecordStore;
  /** Closes the store and removes what it created. */
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  /** When set, the suite is registered as skipped with this reason in its title. */
  skipReason?: string;
}

export function describeRecordStoreContract(
  name: string,
  open: () => Promise<ContractHarness>,
  options: ContractOptions = {},
): void {
  if (options.skipReason !== undefined) {
    describe.skip(`RecordStore contract: ${name} (skipped: ${options.skipReason})`, () => {
      it('needs its backend', () => undefined);
    });
    return;
  }

  describe(`RecordStore contract: ${name}`, () => {
    let h: ContractHarness;
    let store: RecordStore;

    beforeEach(async () => {
      h = await open();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    async function put(...records: OipRecord[]): Promise<void> {
      const results = await store.bulkUpsert(records);
      const failed = results.filter((r) => !r.ok);
      expect(failed).toEqual([]);
    }

    describe('bulkUpsert / get / getMany', () => {
      it('stores records and returns them unchanged by DID', async () => {
        const a = makeRecord({ soul: 'aaa:one', name: 'Morning Push', tags: ['strength'], date: 1730505600 });
        const b = makeRecord({ soul: 'aaa:two', recordType: 'workout' });
        const results = await store.bulkUpsert([a, b]);
        expect(results).toEqual([
          { did: a.oip.did, ok: true },
          { did: b.oip.did, ok: true },
        ]);
        expect(await store.get(a.oip.did)).toEqual(a);
        expect(await store.get(b.oip.did)).toEqual(b);
        expect(await store.get('did:gun:aaa:missing')).toBeNull();
      });

      it('replaces a record on a second upsert of the same DID', async () => {
        await put(makeRecord({ soul: 'aaa:one', name: 'Old title', tags: ['old'] }));
        const updated = makeRecord({ soul: 'aaa:one', name: 'New title', tags: ['fresh'] });
        await put(updated);
        expect(await store.get(updated.oip.did)).toEqual(updated);
        expect(await store.count()).toBe(1);
        expect((await store.search({ search: 'old' })).total).toBe(0);
        expect((await store.search({ tags: ['old'] })).total).toBe(0);
        expect((await store.search({ search: 'new' })).total).toBe(1);
        expect((await store.search({ tags: ['fresh'] })).total).toBe(1);
        // Twice in one bulk: the later version wins, in the body and in search and tags.
        const first = makeRecord({ soul: 'aaa:two', name: 'First draft', tags: ['draft'] });
        const second = makeRecord({ soul: 'aaa:two', name: 'Final cut', tags: ['final'] });
        expect((await store.bulkUpsert([first, second])).map((r) => r.ok)).toEqual([true, true]);
        expect(await store.get(second.oip.did)).toEqual(second);
        expect([
          (await store.search({ search: 'draft' })).total,
          (await store.search({ tags: ['draft'] })).total,
        ]).toEqual([0, 0]);
        expect([
          (await store.search({ search: 'final' })).total,
          (await store.search({ tags: ['final'] })).total,
        ]).toEqual([1, 1]);
      });

      it('getMany returns the stored subset, ignoring duplicates and unknown DIDs', async () => {
        const recs = [1, 2, 3].map((i) => makeRecord({ soul: `bbb:r${i}` }));
        await put(...recs);
        const dids = [recs[0]!.oip.did, 'did:gun:bbb:nope', recs[2]!.oip.did, recs[0]!.oip.did];
        const found = await store.getMany(dids);
        expect([...found.keys()].sort()).toEqual([recs[0]!.oip.did, recs[2]!.oip.did].sort());
        expect(found.get(recs[2]!.oip.did)).toEqual(recs[2]);
        expect((await store.getMany([])).size).toBe(0);
      });

      it('getMany handles a thousand DIDs in one call', async () => {
        const recs = Array.from({ length: 300 }, (_, i) => makeRecord({ soul: `ccc:r${i}` }));
        await put(...recs);
        const dids = Array.from({ length: 1000 }, (_, i) => `did:gun:ccc:r${i}`);
        const found = await store.getMany(dids);
        expect(found.size).toBe(300);
      });

      it('reports an invalid record as a permanent item error and stores the rest', async () => {
        const good = makeRecord({ soul: 'ddd:good' });
        const bad = { data: {}, oip: { recordType: 'post' } } as unknown as OipRecord;
        const results = await store.bulkUpsert([bad, good]);
        expect(results[0]).toMatchObject({ ok: false, error: { code: 'STORE_ERR_INVALID', permanent: true } });
        expect(results[1]).toEqual({ did: good.oip.did, ok: true });
        expect(await store.count()).toBe(1);
      });
    });

    describeFieldTypes(() => store, put);

    describe('search', () => {
      const corpus = (): OipRecord[] => [
        makeRecord({
          soul: 'p1:a',
          recordType: 'workout',
          name: 'Morning Push',
          description: 'Chest and triceps',
          tags: ['Strength', 'push'],
          date: 1_700_000_000,
          creatorHandle: 'devon',
          inArweaveBlock: 300,
          indexedAt: '2024-11-01T00:00:00.000Z',
        }),
        makeRecord({
          soul: 'p1:b',
          recordType: 'workout',
          name: 'Evening Pull',
          description: 'Back and biceps',
          tags: ['strength', 'pull'],
          date: 1_700_100_000,
          creatorHandle: 'devon',
          inArweaveBlock: 100,
          indexedAt: '2024-11-03T00:00:00.000Z',
        }),
        makeRecord({
          soul: 'p2:c',
          recordType: 'recipe',
          name: 'Protein Pancakes',
          description: 'Morning breakfast',
          tags: ['breakfast'],
          date: 1_700_200_000,
          creatorHandle: 'ana',
          didAddress: 'did:arweave:ana-address',
          indexedAt: '2024-11-02T00:00:00.000Z',
        }),
        makeRecord({
          soul: 'ARWEAVETX1',
          storage: 'arweave',
          recordType: 'post',
          name: 'Zebra news',
          tags: ['news', 'push'],
          date: 1_700_300_000,
          creatorHandle: 'ana',
          didAddress: 'did:arweave:ana-address',
          inArweaveBlock: 200,
          indexedAt: '2024-11-04T00:00:00.000Z',
        }),
      ];
      const names = (records: OipRecord[]): string[] => records.map((r) => String(r.data['basic']!['name']));

      beforeEach(async () => {
        await put(...corpus());
      });

      it('filters by recordType, storage, did, creator handle and creator address', async () => {
        expect((await store.search({ recordType: 'workout' })).total).toBe(2);
        expect(names((await store.search({ storage: 'arweave' })).records)).toEqual(['Zebra news']);
        expect(names((await store.search({ storage: 'gun', recordType: 'recipe' })).records)).toEqual([
          'Protein Pancakes',
        ]);
        expect(names((await store.search({ did: 'did:gun:p1:b' })).records)).toEqual(['Evening Pull']);
        expect((await store.search({ creatorHandle: 'ana' })).total).toBe(2);
        expect((await store.search({ creatorDidAddress: 'did:arweave:ana-address', recordType: 'post' })).total).toBe(
          1,
        );
        expect((await store.search({ recordType: 'nope' })).total).toBe(0);
      });

      it('full-text search over name, description and tags with AND (default) and OR', async () => {
        expect(
          names((await store.search({ search: 'morning', sort: { field: 'name', order: 'asc' } })).records),
        ).toEqual(['Morning Push', 'Protein Pancakes']);
        expect(names((await store.search({ search: 'morning push' })).records)).toEqual(['Morning Push']);
        expect((await store.search({ search: 'pancakes zebra' })).total).toBe(0);
        const or = await store.search({
          search: 'pancakes zebra',
          searchMatchMode: 'OR',
          sort: { field: 'name', order: 'asc' },
        });
        expect(names(or.records)).toEqual(['Protein Pancakes', 'Zebra news']);
        // A term found only in the tags.
        expect(names((await store.search({ search: 'breakfast' })).records)).toEqual(['Protein Pancakes']);
        // Fuzzy as legacy (fuzziness AUTO): one edit in a term of 3+ characters still matches, none in 1-2.
        expect(names((await store.search({ search: 'brekfast' })).records)).toEqual(['Protein Pancakes']);
        expect(names((await store.search({ search: 'pancake zebre', searchMatchMode: 'OR' })).records).sort()).toEqual([
          'Protein Pancakes',
          'Zebra news',
        ]);
        expect((await store.search({ search: 'pusj' })).total).toBe(2);
        expect((await store.search({ search: 'zz' })).total).toBe(0);
      });

      it('tag filters: any (default) and all, case-insensitive', async () => {
        const any = await store.search({ tags: ['pull', 'NEWS'], sort: { field: 'name', order: 'asc' } });
        expect(names(any.records)).toEqual(['Evening Pull', 'Zebra news']);
        const all = await store.search({ tags: ['strength', 'push'], tagsMatchMode: 'AND' });
        expect(names(all.records)).toEqual(['Morning Push']);
        expect((await store.search({ tags: ['push', 'breakfast'], tagsMatchMode: 'AND' })).total).toBe(0);
      });

      it('a single string tagItems counts as one tag', async () => {
        const rec = makeRecord({ soul: 'p3:single' });
        rec.data['basic']!['tagItems'] = 'Solo';
        await put(rec);
        expect(names((await store.search({ tags: ['solo'] })).records)).toEqual(['Record p3:single']);
      });

      it('date range on basic.date is inclusive', async () => {
        const r = await store.search({
          dateStart: 1_700_100_000,
          dateEnd: 1_700_200_000,
          sort: { field: 'date', order: 'asc' },
        });
        expect(names(r.records)).toEqual(['Evening Pull', 'Protein Pancakes']);
      });

      it('sorts by each field, missing values last, default inArweaveBlock desc', async () => {
        expect(names((await store.search({})).records)).toEqual([
          'Morning Push',
          'Zebra news',
          'Evening Pull',
          'Protein Pancakes',
        ]);
        expect(names((await store.search({ sort: { field: 'inArweaveBlock', order: 'asc' } })).records)).toEqual([
          'Evening Pull',
          'Zebra news',
          'Morning Push',
          'Protein Pancakes',
        ]);
        expect(names((await store.search({ sort: { field: 'date', order: 'desc' } })).records)).toEqual([
          'Zebra news',
          'Protein Pancakes',
          'Evening Pull',
          'Morning Push',
        ]);
        expect(names((await store.search({ sort: { field: 'indexedAt', order: 'asc' } })).records)).toEqual([
          'Morning Push',
          'Protein Pancakes',
          'Evening Pull',
          'Zebra news',
        ]);
        expect(names((await store.search({ sort: { field: 'name', order: 'desc' } })).records)).toEqual([
          'Zebra news',
          'Protein Pancakes',
          'Morning Push',
          'Evening Pull',
        ]);
        const byType = await store.search({ sort: { field: 'recordType', order: 'asc' } });
        expect(byType.records.map((r) => r.oip.recordType)).toEqual(['post', 'recipe', 'workout', 'workout']);
      });

      it('pages with limit and 1-based page; total counts all matches', async () => {
        const sort = { field: 'name', order: 'asc' } as const;
        const p1 = await store.search({ sort, limit: 3, page: 1 });
        const p2 = await store.search({ sort, limit: 3, page: 2 });
        const p3 = await store.search({ sort, limit: 3, page: 3 });
        expect(p1.total).toBe(4);
        expect(names(p1.records)).toEqual(['Evening Pull', 'Morning Push', 'Protein Pancakes']);
        expect(names(p2.records)).toEqual(['Zebra news']);
        expect(p3.records).toEqual([]);
        // A page past the end still carries the total, filtered or not.
        expect(p3.total).toBe(4);
        expect(await store.search({ recordType: 'workout', limit: 1, page: 5 })).toEqual({
          total: 2,
          totalRelation: 'eq',
          records: [],
        });
        expect(await store.search({ search: 'pull', limit: 1, page: 5 })).toMatchObject({ total: 1, records: [] });
      });

      it('rejects out-of-range paging with STORE_ERR_INVALID', async () => {
        await expectStoreError(store.search({ limit: 0 }), 'STORE_ERR_INVALID');
        await expectStoreError(store.search({ limit: 1001 }), 'STORE_ERR_INVALID');
        await expectStoreError(store.search({ page: 0 }), 'STORE_ERR_INVALID');
        await expectStoreError(store.search({ page: 11, limit: 1000 }), 'STORE_ERR_INVALID');
      });

      it('counts by filter and per record type', async () => {
        expect(await store.count()).toBe(4);
        expect(await store.count({ recordType: 'workout' })).toBe(2);
        expect(await store.count({ storage: 'arweave' })).toBe(1);
        expect(await store.countByType()).toEqual({ workout: 2, recipe: 1, post: 1 });
      });

      it('delete removes a record from get, search, tags and counts', async () => {
        expect(await store.delete('did:gun:p1:a')).toBe(true);
        expect(await store.delete('did:gun:p1:a')).toBe(false);
        expect(await store.get('did:gun:p1:a')).toBeNull();
        // 'triceps' is two edits from b's 'biceps', which fuzzy search finds on Elasticsearch.
        expect((await store.search({ search: 'chest' })).total).toBe(0);
        expect((await store.search({ tags: ['push'] })).total).toBe(1);
        expect(await store.countByType()).toEqual({ workout: 1, recipe: 1, post: 1 });
      });
    });

    describeLegacyFilters(open);
    describeLegacyParams(open);
    describeTotalCap(() => store);
    describeAccessLevels(() => store, open);

    describe('close', () => {
      it('rejects calls after close with STORE_ERR_CLOSED; close is idempotent', async () => {
        await store.close();
        await store.close();
        await expectStoreError(store.get('did:gun:x:y'), 'STORE_ERR_CLOSED');
        await expectStoreError(store.bulkUpsert([makeRecord({ soul: 'x:y' })]), 'STORE_ERR_CLOSED');
        await expectStoreError(store.search({}), 'STORE_ERR_CLOSED');
      });
    });
  });
}
