// The record-store contract's field-type rows: the guard against the legacy mapping conflicts
// (postmortem seed 000: a field first stored as one type, then written as another) and the
// per-type table's quantities stored as double from the start (DOUBLE_FIELD_PATHS).
import { describe, expect, it } from 'vitest';
import type { OipRecord, RecordStore } from '../../src/index.js';
import { makeRecord, seed000Records } from './records.js';

/** Registers the field-type rows; `store` gives the fresh store of the running test, `put` writes and expects success. */
export function describeFieldTypes(store: () => RecordStore, put: (...records: OipRecord[]) => Promise<void>): void {
  describe('field-type guard (seed 000)', () => {
    it('rejects long→float and text→object conflicts as permanent STORE_ERR_MAPPING items, keeping the rest', async () => {
      const s = seed000Records();
      await put(s.shoppingLong, s.sessionText);
      const other = makeRecord({ soul: 'eee:ok', recordType: 'post', name: 'Unaffected' });
      const results = await store().bulkUpsert([s.shoppingFloat, other, s.sessionObject]);

      expect(results[0]).toMatchObject({
        did: s.shoppingFloat.oip.did,
        ok: false,
        error: { code: 'STORE_ERR_MAPPING', permanent: true },
      });
      expect(results[0]!.error!.message).toMatch(/item_prices/);
      expect(results[1]).toEqual({ did: other.oip.did, ok: true });
      expect(results[2]).toMatchObject({
        did: s.sessionObject.oip.did,
        ok: false,
        error: { code: 'STORE_ERR_MAPPING', permanent: true },
      });
      expect(results[2]!.error!.message).toMatch(/messages/);

      // Nothing previously stored is lost; the conflicting records are not stored.
      expect(await store().get(s.shoppingLong.oip.did)).toEqual(s.shoppingLong);
      expect(await store().get(s.sessionText.oip.did)).toEqual(s.sessionText);
      expect(await store().get(other.oip.did)).toEqual(other);
      expect(await store().get(s.shoppingFloat.oip.did)).toBeNull();
      expect(await store().get(s.sessionObject.oip.did)).toBeNull();
      expect(await store().count()).toBe(3);
    });

    it('rejects an update that would change a stored type and keeps the stored version', async () => {
      const s = seed000Records();
      await put(s.shoppingLong);
      const changed: OipRecord = {
        ...s.shoppingLong,
        data: { ...s.shoppingLong.data, shoppingList: { item_prices: [0.5] } },
      };
      const [r] = await store().bulkUpsert([changed]);
      expect(r).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING', permanent: true } });
      expect(await store().get(s.shoppingLong.oip.did)).toEqual(s.shoppingLong);
    });

    it('the same conflict inside one bulk fails the later item only', async () => {
      const s = seed000Records();
      const results = await store().bulkUpsert([s.sessionText, s.sessionObject]);
      expect(results[0]).toEqual({ did: s.sessionText.oip.did, ok: true });
      expect(results[1]).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING' } });
    });

    it('accepts a long into a float field and any scalar into a text field', async () => {
      const s = seed000Records();
      await put(s.shoppingFloat);
      const longs = makeRecord({
        soul: 'fff:longs',
        recordType: 'shoppingList',
        data: { shoppingList: { item_prices: [3, 4], item_names: ['x', 'y'] } },
      });
      const scalars = makeRecord({
        soul: 'fff:scalars',
        recordType: 'shoppingList',
        data: { shoppingList: { item_names: [7] } },
      });
      const bools = makeRecord({
        soul: 'fff:bools',
        recordType: 'shoppingList',
        data: { shoppingList: { item_names: [true] } },
      });
      await put(longs, scalars, bools);
      expect(await store().count()).toBe(4);
    });
  });

  describe("the per-type table's quantities: double from the start (DOUBLE_FIELD_PATHS)", () => {
    // Legacy's index coerced a fraction into a field a whole number had mapped first; ours would
    // refuse it, so those paths are double before any record arrives, in either order.
    const rows: Array<{ path: string; type: string; field: string; first: unknown; then: unknown }> = [
      {
        path: 'data.recipe.ingredient_amount',
        type: 'recipe',
        field: 'ingredient_amount',
        first: [1, 2],
        then: [1.5],
      },
      {
        path: 'data.recipe.ingredient_amount',
        type: 'recipe',
        field: 'ingredient_amount',
        first: [1.5],
        then: [1, 2],
      },
      { path: 'data.nutritionalInfo.proteinG', type: 'nutritionalInfo', field: 'proteinG', first: 3, then: 2.5 },
      { path: 'data.nutritionalInfo.proteinG', type: 'nutritionalInfo', field: 'proteinG', first: 2.5, then: 3 },
      {
        path: 'data.workout.total_duration_minutes',
        type: 'workout',
        field: 'total_duration_minutes',
        first: 45,
        then: 7.5,
      },
      {
        path: 'data.shoppingList.item_amounts',
        type: 'shoppingList',
        field: 'item_amounts',
        first: [2, 12],
        then: [1.5, 0.25],
      },
    ];
    for (const [i, row] of rows.entries()) {
      it(`${row.path}: ${JSON.stringify(row.first)} then ${JSON.stringify(row.then)} both store, as double`, async () => {
        const a = makeRecord({
          soul: `qty:${i}-a`,
          recordType: row.type,
          data: { [row.type]: { [row.field]: row.first } },
        });
        const b = makeRecord({
          soul: `qty:${i}-b`,
          recordType: row.type,
          data: { [row.type]: { [row.field]: row.then } },
        });
        await put(a);
        await put(b);
        expect(await store().get(a.oip.did)).toEqual(a);
        expect(await store().get(b.oip.did)).toEqual(b);
        expect(await store().fieldTypes()).toContainEqual({ path: row.path, type: 'double' });
      });
    }

    it('a field outside the table still takes the type of its first value and refuses a conflicting one', async () => {
      const first = makeRecord({
        soul: 'qty:out-a',
        recordType: 'recipe',
        data: { recipe: { ingredient_amount: [1], ingredient_prices: [3] } },
      });
      const then = makeRecord({
        soul: 'qty:out-b',
        recordType: 'recipe',
        data: { recipe: { ingredient_amount: [1.5], ingredient_prices: [2.5] } },
      });
      await put(first);
      const [r] = await store().bulkUpsert([then]);
      expect(r).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING', permanent: true } });
      expect(r!.error!.message).toMatch(/data\.recipe\.ingredient_prices/);
      expect(await store().fieldTypes()).toContainEqual({ path: 'data.recipe.ingredient_prices', type: 'long' });
      expect(await store().get(then.oip.did)).toBeNull();
    });

    it('a text value into a double path is a conflict, as ES refuses it', async () => {
      const r = makeRecord({ soul: 'qty:text', recordType: 'recipe', data: { recipe: { servings: 'four' } } });
      const [res] = await store().bulkUpsert([r]);
      expect(res).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING', permanent: true } });
      expect(res!.error!.message).toMatch(/servings/);
    });
  });
}
