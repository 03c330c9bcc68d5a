// A search's page without visiting every match, when the query allows it (issue 12: at 1M
// records "kettlebell tempo" matches 5,377 records, and sorting them all cost 10 ms a page).
//
// records_fts (a search) or records_tag_fts (a tags filter without a search) hands out matches
// newest record id first, lazily. The walk takes the first
// max(totalCap + 1, offset + limit) visible matches (walk-matches.ts), so the count is exact up
// to the cap. The page must still be the best offset + limit by (inArweaveBlock desc, missing
// last, did): it reads the block and did of the newest of those matches, and record_block_chunks
// bounds the blocks of every lower id. When the page's last record has a block above that bound,
// no match not read can enter the page and the walk's answer is exact; it reads twice as many
// until that holds. Otherwise (records indexed out of block order, or records without a block on
// the page) the caller runs the full query.
import type Database from 'better-sqlite3';
import type { NormalizedQuery } from '../query.js';
import { BLOCK_CHUNK_SHIFT } from './schema.js';
import { ftsExpression } from './search-sql.js';
import { tagExpression } from './search-index.js';
import { type Driver, walkMatches } from './walk-matches.js';

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
function driver(q: NormalizedQuery, statement: (sql: string) => Database.Statement): Driver | null {
  if (q.totalCap === undefined || q.noDuplicates || q.sort.field !== 'inArweaveBlock' || q.sort.order !== 'desc')
    return null;
  if (q.searchTerms !== undefined)
    return {
      table: 'records_fts',
      match: ftsExpression(q.searchTerms, q.searchMatchMode, statement),
      without: 'search',
    };
  if (q.tags !== undefined)
    return { table: 'records_tag_fts', match: tagExpression(q.tags, q.tagsMatchMode), without: 'tags' };
  return null;
}

/**
 * The page's ids and the capped total, or null when the page cannot be proven exact from the
 * matches walked. Run inside the caller's read transaction.
 */
export function walkSearch(q: NormalizedQuery, statement: (sql: string) => Database.Statement): WalkAnswer | null {
  const drive = driver(q, statement);
  if (drive === null) return null;
  const cap = q.totalCap!;
  const need = q.offset + q.limit;
  const { ids, seenAll } = walkMatches(q, drive, Math.max(cap + 1, need), statement);
  const page = provePage(ids, seenAll, need, statement);
  if (page === null) return null;
  return {
    ids: page.slice(q.offset, need).map((r) => r.id),
    total: seenAll ? ids.length : cap,
    totalRelation: seenAll ? 'eq' : 'gte',
  };
}

/**
 * The best `need` of the matches in page order, read for the newest ids first: when the
 * page's last record has a block above the bound of every id below those read, the rest cannot
 * enter it. Doubles what it reads until that holds; null when it never does before the matches
 * walked run out (and they are not all the matches).
 */
function provePage(
  ids: number[],
  seenAll: boolean,
  need: number,
  statement: (sql: string) => Database.Statement,
): Candidate[] | null {
  const rowsOf = statement(
    'SELECT id, in_arweave_block AS block, did FROM records WHERE id IN (SELECT value FROM json_each(?))',
  );
  // Whether some chunk holding an id below `id` reaches `block`.
  const reachedBelow = statement(
    `SELECT 1 FROM record_block_chunks INDEXED BY record_block_chunks_max WHERE max_block >= ? AND chunk <= (? - 1) >> ${BLOCK_CHUNK_SHIFT} LIMIT 1`,
  ).pluck(true);
  const read: Candidate[] = [];
  // In block order the bound first holds once the read reaches a chunk below the page's last id:
  // start with the rest of that chunk and the first id past it.
  const chunk = (id: number) => Math.floor(id / 2 ** BLOCK_CHUNK_SHIFT);
  let k = Math.min(ids.length, Math.max(need, 1));
  while (k < ids.length && chunk(ids[k - 1]!) === chunk(ids[need - 1]!)) k++;
  for (;;) {
    read.push(...(rowsOf.all(JSON.stringify(ids.slice(read.length, k))) as Candidate[]));
    read.sort(pageOrder);
    if (k === ids.length && seenAll) return read;
    const last = read[need - 1]!;
    if (last.block !== null && reachedBelow.get(last.block, ids[k - 1]) === undefined) return read;
    if (k === ids.length) return null;
    k = Math.min(ids.length, k * 2);
  }
}
