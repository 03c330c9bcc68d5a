// Record fixtures in the stored shape (oip-legacy-reference.md, "Record shape"): @oip/test-kit's
// storedRecord, typed as the store's OipRecord.
import { storedRecord, type StoredRecordSpec } from '@oip/test-kit';
import type { OipRecord } from '../../src/index.js';

export type RecordSpec = StoredRecordSpec;

export function makeRecord(spec: RecordSpec): OipRecord {
  return storedRecord(spec);
}

/**
 * Seed 000's offending records: the first of each pair fixes the type, the second conflicts.
 * Seed 000 conflicted on item_amounts; the per-type table now fixes that path as double from the
 * start (DOUBLE_FIELD_PATHS), so item_prices, a field outside the table, stands in for it.
 */
export function seed000Records(): {
  shoppingLong: OipRecord;
  shoppingFloat: OipRecord;
  sessionText: OipRecord;
  sessionObject: OipRecord;
} {
  return {
    shoppingLong: makeRecord({
      soul: '647f79c2a338:shopping-1',
      recordType: 'shoppingList',
      data: { shoppingList: { item_names: ['oats', 'eggs'], item_prices: [2, 12] } },
    }),
    shoppingFloat: makeRecord({
      soul: '647f79c2a338:shopping-2',
      recordType: 'shoppingList',
      data: { shoppingList: { item_names: ['milk', 'flour'], item_prices: [1.5, 0.25] } },
    }),
    sessionText: makeRecord({
      soul: '647f79c2a338:session-1',
      recordType: 'conversationSession',
      data: { conversationSession: { messages: ['hello', 'how many sets?'] } },
    }),
    sessionObject: makeRecord({
      soul: '647f79c2a338:session-2',
      recordType: 'conversationSession',
      data: { conversationSession: { messages: [{ role: 'user', content: 'hello' }] } },
    }),
  };
}
