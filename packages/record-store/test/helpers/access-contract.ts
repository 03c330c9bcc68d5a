// Who may read which record (access.ts), for every store: each viewer of access-fixtures.ts
// against list, search (exact and capped), tags, the tag summary, count, countByType, the did
// filter, the name-through-dref filters, get and getMany. Registered inside describeRecordStoreContract with its
// store and its store factory (the read-only tables share one store seeded once).
import { beforeEach, describe, expect, it } from 'vitest';
import type { AccessOption, RecordStore, SearchQuery } from '../../src/index.js';
import { MAX_VIEWER_ORG_DIDS } from '../../src/index.js';
import { ORG_1, ORG_2, accessRecords, accessTable, acl, inBlockOrder } from './access-fixtures.js';
import { makeRecord } from './records.js';
import { expectStoreError } from './expect-store-error.js';
import type { ContractHarness } from './record-store-contract.js';
import { sharedSeededStore } from './shared-seeded-store.js';

const ALL = accessRecords().map((r) => r.oip.did);

export function describeAccessLevels(store: () => RecordStore, open: () => Promise<ContractHarness>): void {
  describe('access levels (table)', () => {
    describe('reads, on one store seeded once', () => {
      const shared = sharedSeededStore(open, accessRecords);

      it.each(accessTable)('$name: list, search, tags, counts', async ({ access, sees }) => {
        const want = inBlockOrder(sees).map(acl);
        const dids = (res: { records: Array<{ oip: { did: string } }> }) => res.records.map((r) => r.oip.did);
        const list = await shared().search({ recordType: 'note', access, limit: 50 });
        expect(dids(list)).toEqual(want);
        expect(list.total).toBe(want.length);
        // No filter but access (the SQLite store reads its page order index for an anonymous one).
        for (const page of [1, 2])
          expect(dids(await shared().search({ access, limit: 3, page }))).toEqual(want.slice((page - 1) * 3, page * 3));
        // Full text and tags, exact and capped (the SQLite store walks its FTS indexes for a capped one).
        for (const query of [{ search: 'memo' }, { tags: ['acl'] }, { search: 'memo', tags: ['ACL'] }]) {
          expect(dids(await shared().search({ ...query, access, limit: 50 }))).toEqual(want);
          expect(dids(await shared().search({ ...query, access, limit: 50, totalCap: 1 }))).toEqual(want);
          const first = await shared().search({ ...query, access, limit: 1, totalCap: 2 });
          expect(dids(first)).toEqual(want.slice(0, 1));
          expect(first.total).toBe(first.totalRelation === 'gte' ? 2 : want.length);
        }
        expect(await shared().count({ recordType: 'note', access })).toBe(want.length);
        expect(await shared().count({ access })).toBe(want.length);
        expect(await shared().countByType({ access })).toEqual({ note: want.length });
        const summary = await shared().summarizeTags({ recordType: 'note', access }, { tagCount: 100 });
        expect(summary.totalTags).toBe(want.length + 1);
        expect(summary.tags[0]).toEqual({ tag: 'acl', count: want.length });
        expect(
          summary.tags
            .slice(1)
            .map((t) => acl(t.tag))
            .sort(),
        ).toEqual([...want].sort());
      });

      it.each(accessTable)('$name: get, getMany and the did filter', async ({ access, sees }) => {
        for (const did of ALL) {
          const visible = sees.map(acl).includes(did);
          expect((await shared().get(did, { access }))?.oip.did ?? null, did).toBe(visible ? did : null);
          const byDid = await shared().search({ did, access });
          expect([byDid.total, byDid.records.length], did).toEqual(visible ? [1, 1] : [0, 0]);
        }
        const many = await shared().getMany(ALL, { access });
        expect([...many.keys()].sort()).toEqual(sees.map(acl).sort());
      });

      it('no access option: every record, for internal callers', async () => {
        expect((await shared().search({ recordType: 'note', limit: 50 })).total).toBe(ALL.length);
        expect(await shared().countByType()).toEqual({ note: ALL.length });
        expect((await shared().getMany(ALL)).size).toBe(ALL.length);
      });
    });

    describe('writes and refusals, on a store of their own', () => {
      beforeEach(async () => {
        const results = await store().bulkUpsert(accessRecords());
        expect(results.filter((r) => !r.ok)).toEqual([]);
      });

      it('an update moves a record between levels, and a delete takes its grants along', async () => {
        const [rec] = accessRecords().filter((r) => r.oip.did === acl('private-owner'));
        const carol = { viewerPublicKey: 'pk-carol' };
        const carolCount = await store().count({ access: carol });
        await store().bulkUpsert([
          {
            ...rec!,
            data: {
              ...rec!.data,
              accessControl: { access_level: 'shared', owner_public_key: 'pk-alice', shared_with: ['pk-carol'] },
            },
          },
        ]);
        expect(await store().count({ access: carol })).toBe(carolCount + 1);
        expect(
          (await store().search({ search: 'memo', access: carol, limit: 50, totalCap: 1 })).records.map(
            (r) => r.oip.did,
          ),
        ).toContain(acl('private-owner'));
        await store().bulkUpsert([{ ...rec!, data: { ...rec!.data, accessControl: { access_level: 'public' } } }]);
        expect(await store().count({ access: { viewerPublicKey: null } })).toBe(5);
        await store().bulkUpsert([rec!]);
        expect(await store().count({ access: { viewerPublicKey: null } })).toBe(4);
        expect(await store().count({ access: carol })).toBe(carolCount);
        expect(await store().delete(acl('shared-string'))).toBe(true);
        expect(await store().count({ access: carol })).toBe(carolCount - 1);
        expect(await store().countByType({ access: { viewerPublicKey: 'pk-alice' } })).toEqual({ note: 6 });
      });

      it('a name-through-dref filter sees only the referenced records the viewer may read', async () => {
        const ref = (key: string, recordType: string, name: string, data: Record<string, Record<string, unknown>>) =>
          makeRecord({ soul: `acl:${key}`, recordType, name, data });
        const results = await store().bulkUpsert([
          ref('ex-secret', 'exercise', 'Secret Lift', {
            accessControl: { access_level: 'private', owner_public_key: 'pk-alice' },
          }),
          ref('w-pub', 'workout', 'Open Workout', { workout: { exercise: [acl('ex-secret')] } }),
          ref('ing-secret', 'nutritionalInfo', 'Secret Sauce', {
            accessControl: { access_level: 'shared', owner_public_key: 'pk-alice', shared_with: 'pk-carol' },
          }),
          ref('r-pub', 'recipe', 'Open Recipe', { recipe: { ingredient: [acl('ing-secret')] } }),
          ref('eq-secret', 'equipment', 'Secret Bar', {
            accessControl: { access_level: 'organization', shared_with: [ORG_1] },
          }),
          ref('x-pub', 'exercise', 'Open Exercise', { exercise: { equipmentRequired: [acl('eq-secret')] } }),
        ]);
        expect(results.filter((r) => !r.ok)).toEqual([]);
        const found = async (query: SearchQuery, access: AccessOption) =>
          (await store().search({ ...query, access })).records.map((r) => r.oip.did);
        const cases: Array<[SearchQuery, string, AccessOption, AccessOption]> = [
          [{ exerciseNames: ['secret lift'] }, 'w-pub', { viewerPublicKey: 'pk-alice' }, { viewerPublicKey: 'pk-bob' }],
          [{ ingredientNames: ['sauce'] }, 'r-pub', { viewerPublicKey: 'pk-carol' }, { viewerPublicKey: 'pk-bob' }],
          [
            { equipmentRequired: ['secret bar'] },
            'x-pub',
            { viewerPublicKey: 'pk-frank', viewerOrgDids: [ORG_1] },
            { viewerPublicKey: 'pk-frank', viewerOrgDids: [ORG_2] },
          ],
        ];
        for (const [query, match, reader, stranger] of cases) {
          expect(await found(query, reader), JSON.stringify(query)).toEqual([acl(match)]);
          expect(await found(query, stranger), JSON.stringify(query)).toEqual([]);
          expect(await found(query, { viewerPublicKey: null }), JSON.stringify(query)).toEqual([]);
          expect(
            (await store().search(query)).records.map((r) => r.oip.did),
            'no access: internal',
          ).toEqual([acl(match)]);
        }
      });

      it('refuses a malformed access option with STORE_ERR_INVALID', async () => {
        const tooMany = Array.from({ length: MAX_VIEWER_ORG_DIDS + 1 }, (_, i) => `did:arweave:o${i}`);
        const bad = [
          { viewerPublicKey: 7 as unknown as string },
          { viewerPublicKey: 'pk-a', viewerOrgDids: 'did:arweave:o' as unknown as string[] },
          { viewerPublicKey: 'pk-a', viewerOrgDids: [''] },
          { viewerPublicKey: 'pk-a', viewerOrgDids: tooMany },
        ];
        for (const access of bad) {
          await expectStoreError(store().search({ access }), 'STORE_ERR_INVALID');
          await expectStoreError(store().count({ access }), 'STORE_ERR_INVALID');
          await expectStoreError(store().get(acl('no-level'), { access }), 'STORE_ERR_INVALID');
          await expectStoreError(store().countByType({ access }), 'STORE_ERR_INVALID');
        }
      });
    });
  });
}
