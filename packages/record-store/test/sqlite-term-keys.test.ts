// records_fts_keys (term-keys.ts): records_fts's terms by their deletion keys. Its lookup must
// find exactly what looking each one-edit variant up in records_fts's dictionary finds (the
// reference below), follow writes, updates and deletes, and be filled when a v7 file is opened.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteRecordStore, type OipRecord } from '../src/index.js';
import { FUZZY_MAX_KEPT, oneEditVariants, variantBase } from '../src/sqlite/fuzzy-terms.js';
import { RECORDS_FTS_TERMS_DDL } from '../src/sqlite/search-index.js';
import { deletionKeys, indexedNeighbours, sweepTermKeys } from '../src/sqlite/term-keys.js';
import { TERM_SWEEP_ROWS_PER_REMOVAL, TERM_SWEEP_STEP } from '../src/sqlite/index-upkeep.js';
import { SCHEMA_VERSION } from '../src/sqlite/schema.js';
import { makeRecord } from './helpers/records.js';
import { useTempSqliteStore } from './helpers/temp-sqlite-store.js';

const named = (soul: string, name: string, description = ''): OipRecord =>
  makeRecord({ soul: `keys:${soul}`, name, description });

/** A second connection to the store's file, with the dictionary table a lookup reads. */
function openRaw(dir: string): Database.Database {
  const raw = new Database(join(dir, 'records.db'));
  raw.exec(RECORDS_FTS_TERMS_DDL);
  return raw;
}

/** The reference: each one-edit variant looked up in records_fts's dictionary, the first `max` held. */
function dictionaryNeighbours(raw: Database.Database, term: string, max: number): string[] {
  const held = raw.prepare('SELECT EXISTS (SELECT 1 FROM temp.records_fts_terms WHERE term = ?)').pluck(true);
  return oneEditVariants(term)
    .slice(1)
    .filter((v) => held.get(v) === 1)
    .slice(0, max);
}

const lookup = (raw: Database.Database, term: string) =>
  indexedNeighbours((sql) => raw.prepare(sql))(variantBase(term)!, FUZZY_MAX_KEPT);

const keyRows = (raw: Database.Database, term: string) =>
  raw.prepare('SELECT COUNT(*) FROM records_fts_keys WHERE term = ?').pluck(true).get(term) as number;

describe('deletionKeys', () => {
  it('is the word and each word one character shorter, deduplicated, by code point', () => {
    expect(deletionKeys('abc')).toEqual(['abc', 'bc', 'ac', 'ab']);
    expect(deletionKeys('aab')).toEqual(['aab', 'ab', 'aa']);
    expect(deletionKeys('日本語')).toEqual(['日本語', '本語', '日語', '日本']);
  });
});

describe('records_fts_keys', () => {
  const temp = useTempSqliteStore('oip-term-keys-');

  it('finds the one-edit neighbours the dictionary holds, as a look-up of every variant does', async () => {
    const words = [
      'tempo temp tempos tmepo tembo attempo',
      '12 123 1234 1243 2123 124 13 12345',
      'kettlebell kettlebells ketlebell',
      'bat cab cot at ca ct cats scat act car can cap caw cay cut hat mat pat rat sat vat',
      'ab abcdefghijklmnopqrstuvwxy abcdefghijklmnopqrstuvwxyz',
      'E\u0301toile crème brûlée straße',
    ];
    await temp.store.bulkUpsert(words.map((w, i) => named(`w${i}`, w, `record ${i}`)));
    const raw = openRaw(temp.dir);
    try {
      const queries = ['tempo', 'tmpo', 'Tempo', '1234', '123', '2134', 'kettlebel', 'cat', 'abc'];
      queries.push('abcdefghijklmnopqrstuvwx', 'etoil', 'CRÈMES', 'strasse', 'strase', 'zzzz');
      for (const q of queries)
        expect(lookup(raw, q), q).toEqual(dictionaryNeighbours(raw, variantBase(q)!, FUZZY_MAX_KEPT));
      // Not vacuous: neighbours of each kind are found, the longest keyed term (25) included.
      expect(lookup(raw, 'tmpo')).toEqual(['tempo', 'tmepo']);
      expect(lookup(raw, 'tempo').sort()).toEqual(['tembo', 'temp', 'tempos', 'tmepo']);
      expect(lookup(raw, 'cat')).toHaveLength(FUZZY_MAX_KEPT);
      expect(lookup(raw, 'abcdefghijklmnopqrstuvwx')).toEqual(['abcdefghijklmnopqrstuvwxy']);
      expect(lookup(raw, 'abc')).toContain('ab');
      expect(lookup(raw, 'etoil')).toEqual(['etoile']);
      expect(lookup(raw, 'zzzz')).toEqual([]);
      // A term past FUZZY_MAX_LENGTH + 1 characters has no keys (no fuzzy term is one edit from it).
      expect(keyRows(raw, 'abcdefghijklmnopqrstuvwxyz')).toBe(0);
    } finally {
      raw.close();
    }
  });

  it("forgets a deleted or rewritten record's terms; the sweep removes their keys and keeps held terms'", async () => {
    await temp.store.bulkUpsert([named('a', 'Tempo run'), named('b', 'Tempo walk')]);
    const raw = openRaw(temp.dir);
    try {
      expect(lookup(raw, 'rum')).toEqual(['run']);
      expect(lookup(raw, 'wakl')).toEqual(['walk']);
      expect(await temp.store.delete('did:gun:keys:a')).toBe(true);
      await temp.store.bulkUpsert([named('b', 'Tempo jog')]);
      expect(lookup(raw, 'rum')).toEqual([]);
      expect(lookup(raw, 'wakl')).toEqual([]);
      expect(lookup(raw, 'jgo')).toEqual(['jog']);
      expect(keyRows(raw, 'run')).toBeGreaterThan(0);
      // In steps of 3 rows, as the upkeep runs it; bounded.
      let after = sweepTermKeys(raw, '', 3);
      for (let step = 0; after !== '' && step < 1000; step++) after = sweepTermKeys(raw, after, 3);
      expect(after).toBe('');
      expect(keyRows(raw, 'run')).toBe(0);
      expect(keyRows(raw, 'walk')).toBe(0);
      expect(keyRows(raw, 'tempo')).toBe(deletionKeys('tempo').length);
      expect(keyRows(raw, 'jog')).toBe(deletionKeys('jog').length);
      // Written again, a swept term is found again.
      await temp.store.bulkUpsert([named('c', 'Walk')]);
      expect(lookup(raw, 'wakl')).toEqual(['walk']);
    } finally {
      raw.close();
    }
  });

  it('is swept as records are replaced, and not as new records are written', async () => {
    // Enough replacements for one sweep step, each dropping its record's one unique term.
    const n = Math.ceil(TERM_SWEEP_STEP / TERM_SWEEP_ROWS_PER_REMOVAL);
    const spell = (i: number) => [...String(i).padStart(4, '0')].map((d) => 'abcdefghij'[Number(d)]).join('');
    const batch = (soul: string, word: string) =>
      Array.from({ length: n }, (_, i) => named(`${soul}${i}`, `${word}${spell(i)}`));
    await temp.store.bulkUpsert(batch('r', 'old'));
    await temp.store.bulkUpsert([named('r0', 'midterm')]);
    await temp.store.bulkUpsert(batch('s', 'more'));
    const raw = openRaw(temp.dir);
    try {
      // One replacement and n new records: no sweep yet, the replaced term's keys are still there.
      expect(keyRows(raw, `old${spell(0)}`)).toBeGreaterThan(0);
      await temp.store.bulkUpsert(batch('r', 'new'));
      // n replacements: one step, and the table is smaller than a step, so it is swept whole.
      expect(raw.prepare('SELECT COUNT(*) FROM records_fts_keys').pluck(true).get()).toBeLessThan(TERM_SWEEP_STEP);
      expect(keyRows(raw, 'midterm')).toBe(0);
      for (const i of [0, n - 1]) {
        expect(keyRows(raw, `old${spell(i)}`)).toBe(0);
        for (const kept of [`more${spell(i)}`, `new${spell(i)}`])
          expect(keyRows(raw, kept)).toBe(deletionKeys(kept).length);
      }
    } finally {
      raw.close();
    }
  });

  it('is filled from the dictionary when a v7 file is opened, as writing the records fills it', async () => {
    const records = [named('a', 'Kettlebell tempo', 'Crème brûlée 1234'), named('b', 'Rowing', 'a b cd')];
    await temp.store.bulkUpsert(records);
    const rowsOf = (raw: Database.Database) =>
      raw.prepare('SELECT key, term FROM records_fts_keys ORDER BY key, term').all() as unknown[];
    const written = openRaw(temp.dir);
    const expected = rowsOf(written);
    written.exec('DROP TABLE records_fts_keys');
    written.pragma('user_version = 7');
    written.close();
    expect(expected.length).toBeGreaterThan(10);

    const logged: Array<Record<string, unknown>> = [];
    const reopened = createSqliteRecordStore({
      dataDir: temp.dir,
      logger: { info: (obj) => logged.push(obj as Record<string, unknown>) },
      upgradeProgressIntervalMs: 0,
    });
    try {
      // Its progress is logged in dictionary terms, as the other upgrade steps log rows.
      const steps = logged.filter((o) => o['step'] === 'fuzzy search keys filled');
      const terms = new Set((expected as Array<{ term: string }>).map((r) => r.term)).size;
      expect(steps.map((o) => o['done'])).toEqual([0, steps.at(-1)!['total']]);
      expect(steps.at(-1)!['total']).toBeGreaterThanOrEqual(terms);
      expect((await reopened.search({ search: 'kettlebel tmpo' })).records.map((r) => r.oip.did)).toEqual([
        records[0]!.oip.did,
      ]);
    } finally {
      await reopened.close();
    }
    const migrated = openRaw(temp.dir);
    try {
      expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(rowsOf(migrated)).toEqual(expected);
    } finally {
      migrated.close();
    }
  });
});
