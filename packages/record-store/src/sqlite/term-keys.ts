// records_fts_keys (schema v8): records_fts's dictionary terms by their deletion keys (the term
// and each word one character shorter), so a fuzzy search finds a term's one-edit neighbours with
// a seek per key (~len + 1) instead of a dictionary seek per variant (~700 for a 10-letter word).
// A term and its one-edit variant always share a key: an insertion's key is the shorter word
// itself, a deletion's is the variant, and a substitution or a swap of neighbours shares the
// word with the changed position (the first of the two) left out ("symmetric delete").
//
// The table holds every dictionary term of FUZZY_MIN_LENGTH - 1 to FUZZY_MAX_LENGTH + 1
// characters (the lengths a one-edit variant of a fuzzy term has) and may hold terms no record
// holds any more: what a lookup finds is checked against records_fts's own dictionary before it is
// used, so the answer is the dictionary's. Terms reach the table as records_fts's tokenizer makes
// them: each write's text is tokenized by a scratch FTS5 table of the same tokenizer, whose
// vocabulary is read back. A sweep (sweepTermKeys, paced by writes in index-upkeep.ts) removes the
// terms the dictionary no longer holds.
import type Database from 'better-sqlite3';
import type { RowProgress } from './migration-progress.js';
import { FTS_TOKENIZER, FUZZY_MAX_LENGTH, FUZZY_MIN_LENGTH, variantRanker, type Neighbours } from './fuzzy-terms.js';

export const TERM_KEYS_DDL = `CREATE TABLE IF NOT EXISTS records_fts_keys (
  key TEXT NOT NULL,
  term TEXT NOT NULL,
  PRIMARY KEY (key, term)
) WITHOUT ROWID`;

/**
 * Per connection (temp schema, created at open): the scratch index a write's text is tokenized
 * by, and its vocabulary.
 */
export const TERM_SCRATCH_DDL = `CREATE VIRTUAL TABLE IF NOT EXISTS temp.records_fts_scratch
  USING fts5 (text, content = '', detail = none, tokenize = '${FTS_TOKENIZER}');
CREATE VIRTUAL TABLE IF NOT EXISTS temp.records_fts_scratch_terms
  USING fts5vocab(temp, records_fts_scratch, 'row')`;

const MIN_KEYED = FUZZY_MIN_LENGTH - 1;
const MAX_KEYED = FUZZY_MAX_LENGTH + 1;

/** Whether records_fts_keys holds `term` (by its length in characters, as SQLite counts them). */
function keyed(term: string): boolean {
  const n = [...term].length;
  return n >= MIN_KEYED && n <= MAX_KEYED;
}

/** `term` and each word one character (code point) shorter, deduplicated, `term` first. */
export function deletionKeys(term: string): string[] {
  const chars = [...term];
  const keys = new Set([term]);
  for (let i = 0; i < chars.length; i++) keys.add(chars.slice(0, i).join('') + chars.slice(i + 1).join(''));
  return [...keys];
}

/**
 * Adds the keys of dictionary terms not in records_fts_keys yet, two statements a call (one per
 * row cost ~1 µs of binding and stepping each: a bulk's new terms have ~7 rows each).
 */
function termKeysAdder(db: Database.Database): (terms: readonly string[]) => void {
  // The (term, term) row marks a term whose keys are all written (same transaction).
  const unkeyed = db
    .prepare(
      'SELECT value FROM json_each(?) WHERE NOT EXISTS (SELECT 1 FROM records_fts_keys WHERE key = value AND term = value)',
    )
    .pluck(true);
  const add = db.prepare(
    'INSERT OR IGNORE INTO records_fts_keys (key, term) SELECT value ->> 0, value ->> 1 FROM json_each(?)',
  );
  return (terms) => {
    const candidates = terms.filter(keyed);
    if (candidates.length === 0) return;
    const rows: Array<[string, string]> = [];
    for (const term of unkeyed.all(JSON.stringify(candidates)) as string[])
      for (const key of deletionKeys(term)) rows.push([key, term]);
    if (rows.length > 0) add.run(JSON.stringify(rows));
  };
}

/** Adds the keys of the terms records_fts is about to hold, with statements prepared once. */
export class TermKeysWriter {
  readonly #scratch: Database.Statement;
  readonly #scratchTerms: Database.Statement;
  readonly #clearScratch: Database.Statement;
  readonly #addTerms: (terms: readonly string[]) => void;

  constructor(db: Database.Database) {
    this.#scratch = db.prepare('INSERT INTO temp.records_fts_scratch (text) SELECT value FROM json_each(?)');
    this.#scratchTerms = db.prepare('SELECT term FROM temp.records_fts_scratch_terms').pluck(true);
    this.#clearScratch = db.prepare("INSERT INTO temp.records_fts_scratch (records_fts_scratch) VALUES ('delete-all')");
    this.#addTerms = termKeysAdder(db);
  }

  /** The terms of `texts`, as records_fts's tokenizer makes them, get their keys. In the caller's write transaction. */
  addTexts(texts: readonly string[]): void {
    this.#scratch.run(JSON.stringify(texts));
    const terms = this.#scratchTerms.all() as string[];
    this.#clearScratch.run();
    this.#addTerms(terms);
  }
}

/**
 * v8 migration, inside its transaction: the keys of every term records_fts's dictionary holds,
 * read from it in pages of 10,000 terms (1M records: ~1M terms, 6.4M rows, 38 s on a loaded 2-core
 * box). `progress` hears of every page, in terms.
 */
export function fillTermKeys(db: Database.Database, progress?: RowProgress): void {
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.records_fts_all_terms USING fts5vocab(main, records_fts, 'row')`);
  const page = db
    .prepare('SELECT term FROM temp.records_fts_all_terms WHERE term > ? ORDER BY term LIMIT 10000')
    .pluck(true);
  // Counting reads the dictionary once more (1M terms: under a second), so only for progress.
  progress?.total(db.prepare('SELECT COUNT(*) FROM temp.records_fts_all_terms').pluck(true).get() as number);
  const addTerms = termKeysAdder(db);
  let after = '';
  for (;;) {
    const terms = page.all(after) as string[];
    if (terms.length === 0) break;
    addTerms(terms);
    after = terms[terms.length - 1]!;
    progress?.advance(terms.length);
  }
  db.exec('DROP TABLE temp.records_fts_all_terms');
}

/** Whether records_fts's dictionary holds the term (the per-connection fts5vocab table of search-index.ts). */
const IN_DICTIONARY = 'SELECT EXISTS (SELECT 1 FROM temp.records_fts_terms WHERE term = ?)';

/**
 * One step of the sweep: reads the next `rows` rows of records_fts_keys after key `after` and
 * removes the terms among them that records_fts's dictionary no longer holds. Returns the key to
 * continue after ('' once the end is reached). In one write transaction, so a term another
 * connection writes meanwhile is either seen in the dictionary or added again after.
 */
export function sweepTermKeys(db: Database.Database, after: string, rows: number): string {
  const read = db.prepare('SELECT key, term FROM records_fts_keys WHERE key > ? ORDER BY key LIMIT ?');
  const held = db.prepare(IN_DICTIONARY).pluck(true);
  const drop = db.prepare('DELETE FROM records_fts_keys WHERE key = ? AND term = ?');
  const step = db.transaction(() => {
    const batch = read.all(after, rows) as Array<{ key: string; term: string }>;
    for (const { key, term } of batch) {
      if (key !== term || held.get(term) === 1) continue;
      for (const k of deletionKeys(term)) drop.run(k, term);
    }
    return batch.length < rows ? '' : batch[batch.length - 1]!.key;
  });
  return step.immediate();
}

/**
 * Neighbours (fuzzy-terms.ts) from records_fts_keys: the terms sharing a key with `term`, kept
 * when they are one of its variants and records_fts's dictionary holds them, in variant order.
 */
export function indexedNeighbours(statement: (sql: string) => Database.Statement): Neighbours {
  return (term, max) => {
    const candidates = statement('SELECT term FROM records_fts_keys WHERE key IN (SELECT value FROM json_each(?))')
      .pluck(true)
      .all(JSON.stringify(deletionKeys(term))) as string[];
    const rankOf = variantRanker(term);
    const ranked: Array<{ rank: number; word: string }> = [];
    for (const word of new Set(candidates)) {
      const rank = rankOf(word);
      if (rank !== null) ranked.push({ rank, word });
    }
    if (ranked.length === 0) return [];
    ranked.sort((x, y) => x.rank - y.rank);
    const held = statement(IN_DICTIONARY).pluck(true);
    const kept: string[] = [];
    for (const { word } of ranked) {
      if (kept.length >= max) break;
      if (held.get(word) === 1) kept.push(word);
    }
    return kept;
  };
}
