// The legacy /api/records filters of the store contract (table-driven), the access rule on
// count / get / getMany, and the tag summary, over legacy-filter-fixtures.ts. Registered inside
// describeRecordStoreContract with its store factory.
import { describe, expect, it } from 'vitest';
import type { ContractHarness } from './record-store-contract.js';
import { sharedSeededStore } from './shared-seeded-store.js';
import { invalidFilterQueries, legacyFilterRecords, legacyFilterTable, lf } from './legacy-filter-fixtures.js';
import { expectStoreError } from './expect-store-error.js';

/** Every test here only reads: they share one store seeded once (shared-seeded-store.ts). */
export function describeLegacyFilters(open: () => Promise<ContractHarness>): void {
  describe('legacy /api/records filters (table)', () => {
    const store = sharedSeededStore(open, legacyFilterRecords);

    it.each(legacyFilterTable)('$name', async ({ query, expect: want }) => {
      const res = await store().search(query);
      expect(res.records.map((r) => r.oip.did)).toEqual(want.keys.map(lf));
      expect(res.total).toBe(want.total ?? want.keys.length);
    });

    it.each(invalidFilterQueries)('refuses %s with STORE_ERR_INVALID', async (_name, query) => {
      await expectStoreError(store().search(query), 'STORE_ERR_INVALID');
    });

    it('access applies to count, get and getMany; absent means no filter', async () => {
      const posts = { recordType: 'post' };
      expect(await store().count(posts)).toBe(6);
      expect(await store().count({ ...posts, access: { viewerPublicKey: null } })).toBe(4);
      expect(await store().count({ ...posts, access: { viewerPublicKey: 'pk-alice' } })).toBe(5);
      expect(await store().get(lf('p1'), { access: { viewerPublicKey: null } })).toBeNull();
      expect(await store().get(lf('p1'), { access: { viewerPublicKey: 'pk-bob' } })).toBeNull();
      expect((await store().get(lf('p1'), { access: { viewerPublicKey: 'pk-alice' } }))?.oip.did).toBe(lf('p1'));
      expect((await store().get(lf('p1')))?.oip.did).toBe(lf('p1'));
      const many = await store().getMany([lf('p1'), lf('p2'), lf('p3')], { access: { viewerPublicKey: 'pk-bob' } });
      expect([...many.keys()].sort()).toEqual([lf('p2'), lf('p3')]);
      expect((await store().getMany([lf('p1'), lf('p2')])).size).toBe(2);
      // A type-only search takes its total the way count does, private records included per viewer.
      for (const viewerPublicKey of [null, 'pk-alice', 'pk-bob']) {
        const access = { viewerPublicKey };
        const res = await store().search({ ...posts, access, limit: 1 });
        expect(res.total).toBe(await store().count({ ...posts, access }));
      }
      expect((await store().search({ ...posts, limit: 1 })).total).toBe(6);
    });

    it('summarizeTags counts tags over the matching records, most used first, paged', async () => {
      expect(await store().summarizeTags({})).toEqual({
        totalTags: 3,
        tags: [
          { tag: 'plan', count: 4 },
          { tag: 'sched', count: 2 },
          { tag: 'breakfast', count: 1 },
        ],
      });
      expect(await store().summarizeTags({ recordType: 'workoutSchedule' }, { tagCount: 1, tagPage: 2 })).toEqual({
        totalTags: 2,
        tags: [{ tag: 'sched', count: 2 }],
      });
      expect(await store().summarizeTags({ recordType: 'exercise' })).toEqual({ totalTags: 0, tags: [] });
      await expectStoreError(store().summarizeTags({}, { tagCount: 0 }), 'STORE_ERR_INVALID');
      await expectStoreError(store().summarizeTags({}, { tagCount: 1000, tagPage: 11 }), 'STORE_ERR_INVALID');
    });
  });
}
