// The contract of structured conflicts, field types, widening and degraded (set-aside) records,
// run against every store (SQLite, ES adapter with its guard, ES adapter without it, where ES's
// own bulk errors are parsed). Same input, same structure, whichever store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreSetAside, setAsideFields, type OipRecord, type RecordStore } from '../../src/index.js';
import type { ContractHarness } from './record-store-contract.js';
import { makeRecord, seed000Records } from './records.js';

const shopping = (n: number, amounts: number[]): OipRecord =>
  makeRecord({
    soul: `647f79c2a338:shop-${n}`,
    recordType: 'shoppingList',
    name: `List ${n}`,
    tags: ['groceries'],
    data: { shoppingList: { item_names: ['milk'], item_prices: amounts } },
  });

export function describeFieldAdminContract(name: string, open: () => Promise<ContractHarness>): void {
  describe(`conflicts, field types and widening: ${name}`, () => {
    let h: ContractHarness;
    let store: RecordStore;
    beforeEach(async () => {
      h = await open();
      store = h.store;
    });
    afterEach(() => h.cleanup());

    async function put(...records: OipRecord[]): Promise<void> {
      expect((await store.bulkUpsert(records)).filter((r) => !r.ok)).toEqual([]);
    }

    it('a conflict carries the path, the fixed and incoming types and a bounded sample of the incoming value', async () => {
      const s = seed000Records();
      await put(s.shoppingLong, s.sessionText);
      const long = 'x'.repeat(500);
      const session = {
        ...s.sessionObject,
        data: { conversationSession: { messages: [{ role: 'user', content: long }] } },
      };
      const [float, object] = await store.bulkUpsert([s.shoppingFloat, session]);
      expect(float!.error).toMatchObject({
        code: 'STORE_ERR_MAPPING',
        conflict: {
          path: 'data.shoppingList.item_prices',
          fixedType: 'long',
          incomingType: 'float',
          sample: '[1.5,0.25]',
        },
      });
      expect(object!.error).toMatchObject({
        code: 'STORE_ERR_MAPPING',
        conflict: { path: 'data.conversationSession.messages', fixedType: 'text', incomingType: 'object' },
      });
      const sample = object!.error!.conflict!.sample;
      expect(sample.startsWith('{"role":"user","content":"xxx')).toBe(true);
      expect(sample.length).toBeLessThanOrEqual(120);
    });

    it('fieldTypes lists the fixed types; a safe widening applies and the conflicting records then store', async () => {
      await put(shopping(1, [2, 12]));
      const before = await store.fieldTypes();
      expect(before).toContainEqual({ path: 'data.shoppingList.item_prices', type: 'long' });
      expect(before.map((f) => f.path)).toEqual([...before.map((f) => f.path)].sort());
      expect((await store.bulkUpsert([shopping(2, [1.5])]))[0]!.ok).toBe(false);

      const r = await store.widenField('data.shoppingList.item_prices', 'double', { reindex: true });
      expect(r).toMatchObject({ path: 'data.shoppingList.item_prices', from: 'long', to: 'double' });
      expect(['guard', 'reindex']).toContain(r.method);
      expect(await store.fieldTypes()).toContainEqual({ path: 'data.shoppingList.item_prices', type: 'double' });
      expect(await store.bulkUpsert([shopping(2, [1.5]), shopping(3, [4])])).toEqual([
        { did: 'did:gun:647f79c2a338:shop-2', ok: true },
        { did: 'did:gun:647f79c2a338:shop-3', ok: true },
      ]);
      // Nothing stored before the widening is lost, and search still finds it.
      expect(await store.count()).toBe(3);
      expect((await store.search({ tags: ['groceries'] })).total).toBe(3);
      expect(await store.widenField('data.shoppingList.item_prices', 'double')).toMatchObject({ method: 'unchanged' });
    });

    it('an unsafe change is refused with its reason; an unknown path or type is refused too', async () => {
      const s = seed000Records();
      await put(s.sessionText, shopping(1, [2]));
      await expect(
        store.widenField('data.conversationSession.messages', 'object', { reindex: true }),
      ).rejects.toMatchObject({
        code: 'STORE_ERR_WIDENING_REFUSED',
        details: { path: 'data.conversationSession.messages', from: 'text', to: 'object', reason: 'object_mismatch' },
        message: expect.stringContaining('degraded'),
      });
      await expect(store.widenField('data.shoppingList.item_prices', 'byte')).rejects.toMatchObject({
        code: 'STORE_ERR_WIDENING_REFUSED',
        details: { reason: 'narrowing' },
      });
      await expect(store.widenField('data.nope.nothing', 'double')).rejects.toMatchObject({
        code: 'STORE_ERR_FIELD_UNKNOWN',
      });
      await expect(store.widenField('data.shoppingList.item_prices', 'quux')).rejects.toMatchObject({
        code: 'STORE_ERR_INVALID',
      });
      expect(await store.fieldTypes()).toContainEqual({ path: 'data.conversationSession.messages', type: 'text' });
    });

    it('a degraded record is stored with its conflicting field set aside, found by every other field, and restored whole', async () => {
      const s = seed000Records();
      await put(s.sessionText);
      const original = {
        ...s.sessionObject,
        data: {
          ...s.sessionObject.data,
          basic: { ...s.sessionObject.data['basic'], name: 'Coach chat', tagItems: ['coaching'] },
        },
      };
      const degraded = setAsideFields(original, ['data.conversationSession.messages'])!;
      expect(degraded.oip['degraded']).toEqual(['data.conversationSession.messages']);
      await put(degraded);
      expect((await store.search({ search: 'coach' })).records.map((r) => r.oip.did)).toEqual([original.oip.did]);
      expect((await store.search({ tags: ['coaching'] })).total).toBe(1);
      const stored = (await store.get(original.oip.did))!;
      expect(stored.data['conversationSession']).toEqual({});
      const restored = restoreSetAside(stored);
      expect(restored.data).toEqual(original.data);
      expect(restored.meta?.['setAside']).toBeUndefined();
    });
  });
}
