// The two ways the ordered walk (ordered-walk.ts) lists a capped query's first matches, newest
// record id first, from the FTS index that drives it:
// - by id alone, when the viewer's access is the only other filter: the FTS index hands out
//   rowids, and the few private records in the walked id range are read from the partial index
//   records_private_ids and left out unless the viewer owns them. No table row is touched per
//   match (1M records, 1,001 matches of a search: 1.8 → 1.1 ms).
// - joined to the records table, row by row, when other filters apply (or the walked range holds
//   too many private records to read them all).
import type Database from 'better-sqlite3';
import type { NormalizedQuery } from '../query.js';
import { ftsKey } from './search-index.js';
import { addAccess } from './legacy-filters-sql.js';
import { buildSearchSql, type SqlParts } from './search-sql.js';

export interface Driver {
  table: 'records_fts' | 'records_tag_fts';
  match: string;
  without: 'search' | 'tags';
}

export interface Matches {
  /** Visible matches' record ids, descending, at most `take`. */
  ids: number[];
  /** Whether `ids` holds every match (fewer than `take` exist). */
  seenAll: boolean;
}

type Statement = (sql: string) => Database.Statement;

/** Rounds of the id walk before it hands over to the join (each round asks for what private records took away). */
const MAX_ID_ROUNDS = 4;
/** Private records the id walk reads per round, per match it asked for, before it hands over to the join. */
const PRIVATE_PER_MATCH = 4;

export function walkMatches(q: NormalizedQuery, drive: Driver, take: number, statement: Statement): Matches {
  // The filters besides the viewer's access: with none, ids alone decide.
  const filters = buildSearchSql({ ...q, access: undefined }, { without: drive.without });
  if (filters.clauses.length === 0) {
    const byId = walkByIds(q, drive, take, statement);
    if (byId !== null) return byId;
  }
  if (q.access !== undefined) addAccess(q.access.viewerPublicKey, filters.clauses, filters.params);
  return walkJoined(drive, filters, take, statement);
}

/** `filters`: every condition of the query but the FTS index's own, access included. */
function walkJoined(drive: Driver, filters: Pick<SqlParts, 'clauses' | 'params'>, take: number, statement: Statement): Matches {
  const and = filters.clauses.map((c) => ` AND ${c}`).join('');
  // CROSS JOIN keeps the FTS index the outer loop, so its rowid order (and its laziness) holds;
  // the rowid is the record id negated, so ascending rowids are the newest records first.
  const ids = statement(`SELECT r.id FROM ${drive.table} f CROSS JOIN records r ON r.id = -f.rowid WHERE ${drive.table} MATCH ?${and} ORDER BY f.rowid ASC LIMIT ?`)
    .pluck(true)
    .all(drive.match, ...filters.params, take) as number[];
  return { ids, seenAll: ids.length < take };
}

/** Null when the walk meets more private records than it reads per round, or needs more rounds. */
function walkByIds(q: NormalizedQuery, drive: Driver, take: number, statement: Statement): Matches | null {
  // Record ids newest first: the FTS rowids (negated ids) ascending, from above the last one read.
  const rowids = statement(`SELECT -rowid FROM ${drive.table} WHERE ${drive.table} MATCH ? AND rowid > ? ORDER BY rowid ASC LIMIT ?`).pluck(true);
  const privateIds = statement(
    'SELECT id, owner_key, created_by FROM records INDEXED BY records_private_ids WHERE access_private = 1 AND id BETWEEN ? AND ? ORDER BY id DESC LIMIT ?',
  ).raw(true);
  const viewer = q.access?.viewerPublicKey ?? null;
  const ids: number[] = [];
  let below = Number.MAX_SAFE_INTEGER;
  for (let round = 0; round < MAX_ID_ROUNDS; round++) {
    const want = take - ids.length;
    const batch = rowids.all(drive.match, ftsKey(below), want) as number[];
    if (batch.length === 0) return { ids, seenAll: true };
    let hidden: Set<number> | undefined;
    if (q.access !== undefined) {
      const limit = want * PRIVATE_PER_MATCH;
      const rows = privateIds.all(batch[batch.length - 1], batch[0], limit + 1) as Array<[number, string | null, string | null]>;
      if (rows.length > limit) return null;
      hidden = new Set(rows.filter(([, owner, creator]) => viewer === null || (owner !== viewer && creator !== viewer)).map(([id]) => id));
    }
    for (const id of batch) if (hidden === undefined || !hidden.has(id)) ids.push(id);
    if (batch.length < want) return { ids, seenAll: true };
    if (ids.length >= take) return { ids, seenAll: false };
    below = batch[batch.length - 1]!;
  }
  return null;
}
