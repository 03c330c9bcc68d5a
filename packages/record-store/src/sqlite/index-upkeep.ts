// Upkeep of the SQLite store's indexes after writes, each with bounded work per call:
// - query-planner statistics: without them SQLite may walk the page-order index past every row
//   instead of a selective filter's index. A sampled ANALYZE after the first 1,000 rows and then
//   after every 50,000 writes keeps them current.
// - the tag index's segments: every write transaction adds an FTS5 segment, and automerge leaves
//   a dozen of them after a bulk build of 1M records; a tags AND intersects its doclists in every
//   segment (1M records, two tags: 0.73 ms over 12 segments, 0.55 ms over one). Every 10,000
//   writes, a merge of at most 2,000 leaf pages across levels moves records_tag_fts toward one
//   segment (its whole index is ~3.7 MB at 1M records). records_fts is left to automerge: one
//   segment instead of eight made no measurable difference to a search there.
// - records_fts_keys' stale terms (term-keys.ts): only a record's removal (an update or a delete)
//   can leave a term no record holds, so a sweep reads TERM_SWEEP_ROWS_PER_REMOVAL rows of the
//   table per record removed, in steps of TERM_SWEEP_STEP rows or more, and removes the terms
//   records_fts no longer holds. New records cost it nothing.
import type Database from 'better-sqlite3';
import { sweepTermKeys } from './term-keys.js';

const ANALYZE_FIRST = 1000;
const ANALYZE_EVERY = 50_000;
export const TAG_MERGE_EVERY = 10_000;
const TAG_MERGE_PAGES = 2000;
export const TERM_SWEEP_ROWS_PER_REMOVAL = 32;
export const TERM_SWEEP_STEP = 20_000;
const TERM_SWEEP_MAX_STEP = 10 * TERM_SWEEP_STEP;

export class IndexUpkeep {
  readonly #db: Database.Database;
  readonly #plansStale: () => void;
  #sinceAnalyze = 0;
  #analyzed = false;
  #sinceTagMerge = 0;
  #sweepRows = 0;
  #sweepAfter = '';

  /** `plansStale`: called after ANALYZE, since statements prepared before may plan worse than the new statistics allow. */
  constructor(db: Database.Database, plansStale: () => void) {
    this.#db = db;
    this.#plansStale = plansStale;
  }

  /** `removed`: how many of the records written replaced a stored one, or were deleted. */
  afterWrite(written: number, removed: number): void {
    this.#statistics(written);
    this.#tagSegments(written);
    this.#termKeys(removed);
  }

  #statistics(written: number): void {
    this.#sinceAnalyze += written;
    if (this.#sinceAnalyze < (this.#analyzed ? ANALYZE_EVERY : ANALYZE_FIRST)) return;
    this.#sinceAnalyze = 0;
    this.#analyzed = true;
    try {
      this.#db.pragma('analysis_limit = 1000');
      this.#db.exec('ANALYZE');
      this.#plansStale();
    } catch {
      // Statistics are an optimisation; a busy file tries again after the next writes.
      this.#analyzed = false;
    }
  }

  #tagSegments(written: number): void {
    this.#sinceTagMerge += written;
    if (this.#sinceTagMerge < TAG_MERGE_EVERY) return;
    this.#sinceTagMerge = 0;
    try {
      // A negative page count merges segments of any level (FTS5 'merge' command).
      this.#db.prepare("INSERT INTO records_tag_fts (records_tag_fts, rank) VALUES ('merge', ?)").run(-TAG_MERGE_PAGES);
    } catch {
      // An optimisation too: a busy file merges after the next writes.
      this.#sinceTagMerge = TAG_MERGE_EVERY;
    }
  }

  #termKeys(removed: number): void {
    this.#sweepRows = Math.min(TERM_SWEEP_MAX_STEP, this.#sweepRows + removed * TERM_SWEEP_ROWS_PER_REMOVAL);
    if (this.#sweepRows < TERM_SWEEP_STEP) return;
    try {
      this.#sweepAfter = sweepTermKeys(this.#db, this.#sweepAfter, this.#sweepRows);
      this.#sweepRows = 0;
    } catch {
      // Lookups check what they find against the dictionary, so stale terms only cost them a
      // check: a busy file sweeps after the next writes.
    }
  }
}
