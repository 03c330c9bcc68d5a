// The SQLite store's fuzzy search joins each term with those of its one-edit variants the index
// holds (found by deletion keys, term-keys.ts; sqlite-term-keys.test.ts), at most FUZZY_MAX_KEPT
// a term.
import { describe, expect, it } from 'vitest';
import { createSqliteRecordStore, type OipRecord } from '../src/index.js';
import {
  FUZZY_MAX_KEPT,
  fuzzyFtsExpression,
  oneEditVariants,
  variantBase,
  variantRanker,
  type Neighbours,
} from '../src/sqlite/fuzzy-terms.js';
import { makeRecord } from './helpers/records.js';
import { useTempSqliteStore } from './helpers/temp-sqlite-store.js';

const named = (soul: string, name: string): OipRecord => makeRecord({ soul: `fuzzy:${soul}`, name });
const names = (records: OipRecord[]) => records.map((r) => r.data.basic?.name).sort();

/** Neighbours as the contract says, from a set of words the index "holds". */
const holding =
  (words: Iterable<string>): Neighbours =>
  (term, max) => {
    const held = new Set(words);
    return oneEditVariants(term)
      .slice(1)
      .filter((v) => held.has(v))
      .slice(0, max);
  };

describe('fuzzyFtsExpression', () => {
  it('joins a term with the neighbours the index holds, the term first', () => {
    expect(fuzzyFtsExpression(['tmpo', 'zz'], 'AND', holding(['tempo', 'temps']))).toBe('("tmpo" OR "tempo") AND "zz"');
    expect(fuzzyFtsExpression(['Tmpo', 'tempo'], 'OR', holding(['tempo']))).toBe('("tmpo" OR "tempo") OR "tempo"');
    expect(fuzzyFtsExpression(['tmpo'], 'AND', holding([]))).toBe('"tmpo"');
  });

  it('asks for at most FUZZY_MAX_KEPT neighbours of a term', () => {
    const variants = oneEditVariants('cat');
    expect(variants.length).toBeGreaterThan(FUZZY_MAX_KEPT + 1);
    const expr = fuzzyFtsExpression(['cat'], 'AND', holding(variants));
    expect(expr.split(' OR ')).toHaveLength(FUZZY_MAX_KEPT + 1);
    expect(expr.startsWith('("cat" OR ')).toBe(true);
  });
});

describe('variantRanker', () => {
  it('orders every variant as oneEditVariants lists it, and ranks nothing else', () => {
    for (const term of ['tempo', 'aab', 'aaa', 'abba', '1234', 'Crème', 'straße', '日本語', 'kettlebell']) {
      const base = variantBase(term)!;
      const [self, ...variants] = oneEditVariants(term);
      expect(self).toBe(base);
      const rankOf = variantRanker(base);
      const ranked = variants.map((v) => ({ v, rank: rankOf(v) }));
      expect(
        ranked.filter((r) => r.rank === null),
        term,
      ).toEqual([]);
      expect(
        [...ranked].sort((x, y) => x.rank! - y.rank!).map((r) => r.v),
        term,
      ).toEqual(variants);
      const others = [base, `${base}xy`, base.slice(2), `Ω${base}`, `${base.slice(0, 1)}Ω${base.slice(2)}`, 'zz'];
      for (const w of others.filter((o) => !variants.includes(o))) expect(rankOf(w), `${term} → ${w}`).toBeNull();
    }
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
