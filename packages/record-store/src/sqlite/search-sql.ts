// Translates a normalised query into SQL over the records table and its two FTS5 indexes
// (records_fts for search, records_tag_fts for tags).
import type { NormalizedQuery } from '../query.js';
import type { SortField } from '../types.js';
import { addLegacyFilters, isScheduledType } from './legacy-filters-sql.js';
import type Database from 'better-sqlite3';
import { fuzzyFtsExpression } from './fuzzy-terms.js';
import { tagExpression } from './search-index.js';
import { indexedNeighbours } from './term-keys.js';

const SORT_COLUMNS: Record<SortField, string> = {
  inArweaveBlock: 'in_arweave_block',
  date: 'basic_date',
  indexedAt: 'indexed_at',
  recordType: 'record_type',
  name: 'name',
};

export interface SqlParts {
  /** `records r`, with the index to read it by when the query needs one (scheduledOn). */
  from: string;
  /** The AND-ed conditions of `where`, for queries that add their own. */
  clauses: string[];
  where: string;
  params: unknown[];
  orderBy: string;
}

/** Prepared statements, cached by the caller (sqlite-reads.ts). */
export type Statement = (sql: string) => Database.Statement;

/**
 * FTS5 MATCH expression of a search: each term a quoted phrase or, fuzzy, an OR group of it and
 * its one-edit variants the index holds (fuzzy-terms.ts), found by their deletion keys
 * (term-keys.ts) through `statement`.
 */
export function ftsExpression(terms: readonly string[], mode: 'AND' | 'OR', statement: Statement): string {
  return fuzzyFtsExpression(terms, mode, indexedNeighbours(statement));
}

// The FTS indexes' rowid is the record id negated (search-index.ts).
const TAGGED = 'r.id IN (SELECT -rowid FROM records_tag_fts WHERE records_tag_fts MATCH ?)';

/**
 * `without`: leave that FTS condition out (the full-text search or the tags filter), for a
 * caller that drives the query from its index itself (ordered-walk.ts).
 */
export function buildSearchSql(
  q: NormalizedQuery,
  statement: Statement,
  opts: { without?: 'search' | 'tags' } = {},
): SqlParts {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (q.recordType !== undefined) {
    clauses.push('r.record_type = ?');
    params.push(q.recordType);
  }
  if (q.did !== undefined) {
    clauses.push('(r.did = ? OR r.did_tx = ?)');
    params.push(q.did, q.did);
  }
  if (q.storage !== undefined) {
    clauses.push('r.storage = ?');
    params.push(q.storage);
  }
  if (q.creatorHandle !== undefined) {
    clauses.push('r.creator_handle = ?');
    params.push(q.creatorHandle);
  }
  if (q.creatorDidAddress !== undefined) {
    clauses.push('r.creator_did_address = ?');
    params.push(q.creatorDidAddress);
  }
  // A workoutSchedule / mealPlan query's date range is on its own date, kept in scheduled_date
  // (legacy helpers/elasticsearch.js:2664-2675); records without the date are left out.
  const dateColumn = isScheduledType(q.recordType) ? 'r.scheduled_date' : 'r.basic_date';
  if (q.dateStart !== undefined) {
    clauses.push(`${dateColumn} >= ?`);
    params.push(q.dateStart);
  }
  if (q.dateEnd !== undefined) {
    clauses.push(`${dateColumn} <= ?`);
    params.push(q.dateEnd);
  }
  if (q.tags !== undefined && opts.without !== 'tags') {
    clauses.push(TAGGED);
    params.push(tagExpression(q.tags, q.tagsMatchMode));
  }
  if (q.anyOfTags !== undefined) {
    clauses.push(TAGGED);
    params.push(tagExpression(q.anyOfTags, 'OR'));
  }
  addLegacyFilters(q, clauses, params);
  if (q.searchTerms !== undefined && opts.without !== 'search') {
    clauses.push('r.id IN (SELECT -rowid FROM records_fts WHERE records_fts MATCH ?)');
    params.push(ftsExpression(q.searchTerms, q.searchMatchMode, statement));
  }
  const col = SORT_COLUMNS[q.sort.field];
  const dir = q.sort.order === 'asc' ? 'ASC' : 'DESC';
  // Missing values last in both directions, like ES; did breaks ties so pages are stable.
  const orderBy = `r.${col} IS NULL, r.${col} ${dir}, r.did ASC`;
  // A day's schedules are few at any store size: read them, sorted for the page, from the
  // covering index (the planner otherwise walks the type's page-order index: 1M records, 296 ms).
  let from =
    q.scheduled !== undefined && isScheduledType(q.recordType)
      ? 'records r INDEXED BY records_schedule_order'
      : 'records r';
  // An anonymous page of everything (access its only clause) in the default order reads the page
  // order index and skips restricted rows; the planner otherwise takes the access index and sorts
  // every public record (100k records, a third restricted: 175 → 0.04 ms).
  if (
    clauses.length === 1 &&
    q.access !== undefined &&
    q.access.viewerPublicKey === null &&
    q.sort.field === 'inArweaveBlock' &&
    q.sort.order === 'desc'
  ) {
    from = 'records r INDEXED BY records_block_order';
  }
  return { from, clauses, where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params, orderBy };
}
