// Record fixtures in the stored shape (oip-legacy-reference.md, "Record shape"): @oip/test-kit's
// storedRecord, typed as the store's OipRecord.
import { storedRecord, type StoredRecordSpec } from '@oip/test-kit';
import type { OipRecord } from '../../src/index.js';

export type RecordSpec = StoredRecordSpec;

export function makeRecord(spec: RecordSpec): OipRecord {
  return storedRecord(spec);
}

/** Seed 000's offending records: the first of each pair fixes the type, the second conflicts. */
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
      data: { shoppingList: { item_names: ['oats', 'eggs'], item_amounts: [2, 12] } },
    }),
    shoppingFloat: makeRecord({
      soul: '647f79c2a338:shopping-2',
      recordType: 'shoppingList',
      data: { shoppingList: { item_names: ['milk', 'flour'], item_amounts: [1.5, 0.25] } },
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
