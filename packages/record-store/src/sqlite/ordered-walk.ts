// A search's page without visiting every match, when the query allows it (issue 12: at 1M
// records "kettlebell tempo" matches 5,377 records, and sorting them all cost 10 ms a page).
//
// records_fts (a search) or records_tag_fts (a tags filter without a search) hands out matches
// newest record id first, lazily. The walk takes the first
// max(totalCap + 1, offset + limit) of them (other filters applied per row), so the count is
// exact up to the cap. The page must still be the best offset + limit by (inArweaveBlock desc,
// missing last, did): the matches not yet seen all have smaller ids, and record_block_chunks
// bounds their blocks from above. When the page's last record has a block above that bound, no
// unseen match can enter the page and the walk's answer is exact. Otherwise (records indexed out
// of block order, or records without a block on the page) the caller runs the full query.
import type Database from 'better-sqlite3';
import type { NormalizedQuery } from '../query.js';
import { BLOCK_CHUNK_SHIFT } from './schema.js';
import { buildSearchSql, ftsExpression, tagExpression } from './search-sql.js';

export interface WalkAnswer {
  ids: number[];
  total: number;
  totalRelation: 'eq' | 'gte';
}

interface Candidate {
  id: number;
  block: number | null;
  did: string;
}

/** The default page order: block descending, records without one last, then did ascending. */
function pageOrder(a: Candidate, b: Candidate): number {
  if (a.block !== b.block) {
    if (a.block === null) return 1;
    if (b.block === null) return -1;
    return b.block - a.block;
  }
  return a.did < b.did ? -1 : a.did > b.did ? 1 : 0;
}

/** The FTS index a walk of `q` is driven from, or null when the walk cannot answer `q` (it needs a capped count and the default order). */
function driver(q: NormalizedQuery): { table: string; match: string; without: 'search' | 'tags' } | null {
  if (q.totalCap === undefined || q.noDuplicates || q.sort.field !== 'inArweaveBlock' || q.sort.order !== 'desc') return null;
  if (q.searchTerms !== undefined) return { table: 'records_fts', match: ftsExpression(q.searchTerms, q.searchMatchMode), without: 'search' };
  if (q.tags !== undefined) return { table: 'records_tag_fts', match: tagExpression(q.tags, q.tagsMatchMode), without: 'tags' };
  return null;
}

/**
 * The page's ids and the capped total, or null when the page cannot be proven exact from the
 * matches walked. Run inside the caller's read transaction.
 */
export function walkSearch(q: NormalizedQuery, statement: (sql: string) => Database.Statement): WalkAnswer | null {
  const drive = driver(q);
  if (drive === null) return null;
  const cap = q.totalCap!;
  const { clauses, params } = buildSearchSql(q, { without: drive.without });
  const need = q.offset + q.limit;
  const take = Math.max(cap + 1, need);
  const filters = clauses.map((c) => ` AND ${c}`).join('');
  // CROSS JOIN keeps the FTS index the outer loop, so its rowid order (and its laziness) holds.
  const rows = statement(
    `SELECT r.id AS id, r.in_arweave_block AS block, r.did AS did FROM ${drive.table} f CROSS JOIN records r ON r.id = f.rowid WHERE ${drive.table} MATCH ?${filters} ORDER BY f.rowid DESC LIMIT ?`,
  ).all(drive.match, ...params, take) as Candidate[];
  const seenAll = rows.length < take;
  const lowestId = rows.length === 0 ? 0 : rows[rows.length - 1]!.id;
  rows.sort(pageOrder);
  if (!seenAll) {
    const last = rows[need - 1]!;
    const bound = statement(`SELECT MAX(max_block) AS b FROM record_block_chunks WHERE chunk <= (? - 1) >> ${BLOCK_CHUNK_SHIFT}`).get(lowestId) as { b: number | null };
    if (last.block === null || (bound.b !== null && bound.b >= last.block)) return null;
  }
  return {
    ids: rows.slice(q.offset, need).map((r) => r.id),
    total: seenAll ? rows.length : cap,
    totalRelation: seenAll ? 'eq' : 'gte',
  };
}
