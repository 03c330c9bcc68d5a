// One store for a table of read-only tests: opened and seeded once before them, removed after
// them. Seeding a fresh store per row cost a new index (or database) and a bulk write each time.
import { afterAll, beforeAll, expect } from 'vitest';
import type { OipRecord, RecordStore } from '../../src/index.js';
import type { ContractHarness } from './record-store-contract.js';

/** Registers beforeAll/afterAll in the calling describe; the returned function gives its store. */
export function sharedSeededStore(open: () => Promise<ContractHarness>, records: () => OipRecord[]): () => RecordStore {
  let h: ContractHarness | undefined;
  beforeAll(async () => {
    h = await open();
    const results = await h.store.bulkUpsert(records());
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });
  afterAll(async () => {
    await h?.cleanup();
  });
  return () => h!.store;
}
