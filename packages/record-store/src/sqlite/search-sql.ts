// Translates a normalised query into SQL over the records / record_tags / records_fts tables.
import type { NormalizedQuery } from '../query.js';
import type { SortField } from '../types.js';
import { addLegacyFilters } from './legacy-filters-sql.js';

const SORT_COLUMNS: Record<SortField, string> = {
  inArweaveBlock: 'in_arweave_block',
  date: 'basic_date',
  indexedAt: 'indexed_at',
  recordType: 'record_type',
  name: 'name',
};

export interface SqlParts {
  /** The AND-ed conditions of `where`, for queries that add their own. */
  clauses: string[];
  where: string;
  params: unknown[];
  orderBy: string;
}

/** FTS5 MATCH expression: each term a quoted phrase, joined by AND (implicit) or OR. */
export function ftsExpression(terms: readonly string[], mode: 'AND' | 'OR'): string {
  const phrases = terms.map((t) => `"${t.replace(/"/g, '""')}"`);
  return phrases.join(mode === 'OR' ? ' OR ' : ' ');
}

export function buildSearchSql(q: NormalizedQuery): SqlParts {
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
  if (q.dateStart !== undefined) {
    clauses.push('r.basic_date >= ?');
    params.push(q.dateStart);
  }
  if (q.dateEnd !== undefined) {
    clauses.push('r.basic_date <= ?');
    params.push(q.dateEnd);
  }
  if (q.tags !== undefined) {
    // One JSON parameter whatever the number of tags.
    if (q.tagsMatchMode === 'AND') {
      clauses.push(
        'r.id IN (SELECT record_id FROM record_tags WHERE tag IN (SELECT value FROM json_each(?)) GROUP BY record_id HAVING COUNT(*) = ?)',
      );
      params.push(JSON.stringify(q.tags), q.tags.length);
    } else {
      clauses.push('r.id IN (SELECT record_id FROM record_tags WHERE tag IN (SELECT value FROM json_each(?)))');
      params.push(JSON.stringify(q.tags));
    }
  }
  if (q.anyOfTags !== undefined) {
    clauses.push('r.id IN (SELECT record_id FROM record_tags WHERE tag IN (SELECT value FROM json_each(?)))');
    params.push(JSON.stringify(q.anyOfTags));
  }
  addLegacyFilters(q, clauses, params);
  if (q.searchTerms !== undefined) {
    clauses.push('r.id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?)');
    params.push(ftsExpression(q.searchTerms, q.searchMatchMode));
  }
  const col = SORT_COLUMNS[q.sort.field];
  const dir = q.sort.order === 'asc' ? 'ASC' : 'DESC';
  // Missing values last in both directions, like ES; did breaks ties so pages are stable.
  const orderBy = `r.${col} IS NULL, r.${col} ${dir}, r.did ASC`;
  return { clauses, where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params, orderBy };
}
