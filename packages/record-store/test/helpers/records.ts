// Record fixtures in the legacy shape (oip-legacy-reference.md, "Record shape").
import type { OipRecord } from '../../src/index.js';

export interface RecordSpec {
  soul: string;
  recordType?: string;
  name?: string;
  description?: string;
  tags?: string[];
  date?: number;
  creatorHandle?: string;
  didAddress?: string;
  storage?: 'gun' | 'arweave';
  inArweaveBlock?: number;
  indexedAt?: string;
  /** Extra categories / fields merged into data. */
  data?: Record<string, Record<string, unknown>>;
}

export function makeRecord(spec: RecordSpec): OipRecord {
  const storage = spec.storage ?? 'gun';
  const did = storage === 'gun' ? `did:gun:${spec.soul}` : `did:arweave:${spec.soul}`;
  const recordType = spec.recordType ?? 'post';
  const basic: Record<string, unknown> = {
    name: spec.name ?? `Record ${spec.soul}`,
    description: spec.description ?? '',
    language: 'en',
    tagItems: spec.tags ?? [],
  };
  if (spec.date !== undefined) basic['date'] = spec.date;
  const oip: OipRecord['oip'] = {
    ver: '0.8.0',
    recordType,
    did,
    didTx: did,
    storage,
    indexedAt: spec.indexedAt ?? '2024-11-02T10:00:00.000Z',
    creator: {
      creatorHandle: spec.creatorHandle ?? 'devon',
      didAddress: spec.didAddress ?? 'did:arweave:devon-address',
      publicKey: 'pubkey-devon',
    },
  };
  if (spec.inArweaveBlock !== undefined) oip.inArweaveBlock = spec.inArweaveBlock;
  return { data: { basic, ...(spec.data ?? {}) }, oip };
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
