// The SQLite store's index upkeep (index-upkeep.ts): every TAG_MERGE_EVERY records written, the
// tag index's segments (one per write transaction, automerged by level) are merged toward one.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { TAG_MERGE_EVERY } from '../src/sqlite/index-upkeep.js';
import { makeRecord } from './helpers/records.js';
import { useTempSqliteStore } from './helpers/temp-sqlite-store.js';

const BATCH = 100;

describe('SQLite index upkeep', () => {
  const temp = useTempSqliteStore('oip-upkeep-');

  /** Writes records from..to-1 in transactions of BATCH, then counts the tag index's segments. */
  async function segmentsAfter(from: number, to: number): Promise<number> {
    for (let i = from; i < to; i += BATCH) {
      const batch = Array.from({ length: BATCH }, (_, k) =>
        makeRecord({ soul: `up:${i + k}`, tags: [`tag-${(i + k) % 7}`, 'all'], inArweaveBlock: i + k }),
      );
      const res = await temp.store.bulkUpsert(batch);
      expect(res.filter((r) => !r.ok)).toEqual([]);
    }
    const raw = new Database(join(temp.dir, 'records.db'), { readonly: true });
    try {
      return (raw.prepare('SELECT count(DISTINCT segid) AS n FROM records_tag_fts_idx').get() as { n: number }).n;
    } finally {
      raw.close();
    }
  }

  it('leaves one tag segment once TAG_MERGE_EVERY records are written, several just before, and the tags still filter', async () => {
    expect(await segmentsAfter(0, TAG_MERGE_EVERY - BATCH)).toBeGreaterThan(2);
    expect(await segmentsAfter(TAG_MERGE_EVERY - BATCH, TAG_MERGE_EVERY)).toBe(1);
    const found = await temp.store.search({ tags: ['TAG-3', 'all'], tagsMatchMode: 'AND', limit: 1 });
    expect(found.total).toBe(Math.ceil((TAG_MERGE_EVERY - 3) / 7));
  });
});
