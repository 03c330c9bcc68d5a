// The SQLite store's fuzzy search looks a term's one-edit variants up in records_fts's term
// dictionary (an fts5vocab table in each connection's temp schema) and keeps only those the
// index holds, at most FUZZY_MAX_KEPT a term.
import { describe, expect, it } from 'vitest';
import { createSqliteRecordStore, type OipRecord } from '../src/index.js';
import { FUZZY_MAX_KEPT, fuzzyFtsExpression, oneEditVariants } from '../src/sqlite/fuzzy-terms.js';
import { makeRecord } from './helpers/records.js';
import { useTempSqliteStore } from './helpers/temp-sqlite-store.js';

const named = (soul: string, name: string): OipRecord => makeRecord({ soul: `fuzzy:${soul}`, name });
const names = (records: OipRecord[]) => records.map((r) => r.data.basic?.name).sort();

describe('fuzzyFtsExpression', () => {
  it('keeps only the variants the dictionary holds, the term first', () => {
    const known = (words: readonly string[]) => new Set(words.filter((w) => w === 'tempo' || w === 'temps'));
    expect(fuzzyFtsExpression(['tmpo', 'zz'], 'AND', known)).toBe('("tmpo" OR "tempo") AND "zz"');
    expect(fuzzyFtsExpression(['tmpo'], 'AND', () => new Set())).toBe('"tmpo"');
  });

  it('keeps at most FUZZY_MAX_KEPT variants of a term', () => {
    const variants = oneEditVariants('cat');
    expect(variants.length).toBeGreaterThan(FUZZY_MAX_KEPT + 1);
    const expr = fuzzyFtsExpression(['cat'], 'AND', (words) => new Set(words));
    expect(expr.split(' OR ')).toHaveLength(FUZZY_MAX_KEPT + 1);
    expect(expr.startsWith('("cat" OR ')).toBe(true);
  });
});

describe('SQLite fuzzy search through the term dictionary', () => {
  const temp = useTempSqliteStore('oip-fuzzy-');

  it('a one-edit typo finds the record; a word two edits away does not', async () => {
    await temp.store.bulkUpsert([named('a', 'Kettlebell tempo'), named('b', 'Rowing intervals')]);
    expect(names((await temp.store.search({ search: 'kettlebel tmpo' })).records)).toEqual(['Kettlebell tempo']);
    expect(names((await temp.store.search({ search: 'rowwing', totalCap: 10 })).records)).toEqual(['Rowing intervals']);
    expect((await temp.store.search({ search: 'kettlebxx' })).total).toBe(0);
  });

  it('variants are looked up as the tokenizer keeps words: lower-cased, without diacritics', async () => {
    await temp.store.bulkUpsert([named('c', 'Crème brûlée')]);
    expect(names((await temp.store.search({ search: 'cremes' })).records)).toEqual(['Crème brûlée']);
    expect(names((await temp.store.search({ search: 'BRÛLÉES' })).records)).toEqual(['Crème brûlée']);
  });

  it("another connection's writes are in the dictionary at its next search", async () => {
    const other = createSqliteRecordStore({ dataDir: temp.dir });
    try {
      expect((await other.search({ search: 'deadlfit' })).total).toBe(0);
      await temp.store.bulkUpsert([named('d', 'Deadlift day')]);
      expect(names((await other.search({ search: 'deadlfit' })).records)).toEqual(['Deadlift day']);
    } finally {
      await other.close();
    }
  });
});
