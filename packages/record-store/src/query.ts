// Search query validation and defaults, shared by both stores so they accept and reject the same input.
import { StoreInvalidError } from './errors.js';
import type { SearchQuery, SortField } from './types.js';

/** Page size cap. */
export const MAX_LIMIT = 1000;
/** Deepest result reachable by paging, as ES's `index.max_result_window`. */
export const MAX_RESULT_WINDOW = 10_000;
/** At most this many tags in one query. */
export const MAX_TAGS = 100;

const SORT_FIELDS: readonly SortField[] = ['inArweaveBlock', 'date', 'indexedAt', 'recordType', 'name'];

export interface NormalizedQuery {
  recordType?: string;
  did?: string;
  storage?: 'gun' | 'arweave';
  /** Tokens of the full-text search (non-empty when present). */
  searchTerms?: string[];
  searchMatchMode: 'AND' | 'OR';
  /** Lower-cased, deduplicated. */
  tags?: string[];
  tagsMatchMode: 'OR' | 'AND';
  creatorHandle?: string;
  creatorDidAddress?: string;
  dateStart?: number;
  dateEnd?: number;
  sort: { field: SortField; order: 'asc' | 'desc' };
  page: number;
  limit: number;
  offset: number;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** Splits search text into terms; a term keeps inner punctuation (quoted as a phrase later). */
export function searchTerms(text: string): string[] {
  return text
    .split(/\s+/u)
    .map((t) => t.replace(/"/g, ''))
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, 32);
}

export function normalizeQuery(q: SearchQuery): NormalizedQuery {
  const page = q.page ?? 1;
  const limit = q.limit ?? 20;
  if (!Number.isInteger(page) || page < 1) throw new StoreInvalidError(`page must be an integer >= 1 (got ${page})`);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new StoreInvalidError(`limit must be an integer from 1 to ${MAX_LIMIT} (got ${limit})`);
  }
  const offset = (page - 1) * limit;
  if (offset + limit > MAX_RESULT_WINDOW) {
    throw new StoreInvalidError(`page * limit must not exceed ${MAX_RESULT_WINDOW} (got ${offset + limit})`);
  }
  const sort = q.sort ?? { field: 'inArweaveBlock', order: 'desc' };
  if (!SORT_FIELDS.includes(sort.field)) throw new StoreInvalidError(`unknown sort field ${String(sort.field)}`);
  if (sort.order !== 'asc' && sort.order !== 'desc') throw new StoreInvalidError(`sort order must be asc or desc`);
  for (const [name, v] of [
    ['dateStart', q.dateStart],
    ['dateEnd', q.dateEnd],
  ] as const) {
    if (v !== undefined && !Number.isFinite(v)) throw new StoreInvalidError(`${name} must be a finite number`);
  }
  if (q.storage !== undefined && q.storage !== 'gun' && q.storage !== 'arweave') {
    throw new StoreInvalidError(`storage must be gun or arweave`);
  }
  const out: NormalizedQuery = {
    searchMatchMode: q.searchMatchMode === 'OR' ? 'OR' : 'AND',
    tagsMatchMode: q.tagsMatchMode === 'AND' ? 'AND' : 'OR',
    sort: { field: sort.field, order: sort.order },
    page,
    limit,
    offset,
  };
  const recordType = nonEmpty(q.recordType);
  if (recordType !== undefined) out.recordType = recordType;
  const did = nonEmpty(q.did);
  if (did !== undefined) out.did = did;
  if (q.storage !== undefined) out.storage = q.storage;
  if (q.search !== undefined) {
    const terms = searchTerms(q.search);
    if (terms.length > 0) out.searchTerms = terms;
  }
  if (q.tags !== undefined) {
    const tags = [...new Set(q.tags.map((t) => t.trim().toLowerCase()).filter((t) => t !== ''))];
    if (tags.length > MAX_TAGS) throw new StoreInvalidError(`at most ${MAX_TAGS} tags per query`);
    if (tags.length > 0) out.tags = tags;
  }
  const creatorHandle = nonEmpty(q.creatorHandle);
  if (creatorHandle !== undefined) out.creatorHandle = creatorHandle;
  const creatorDidAddress = nonEmpty(q.creatorDidAddress);
  if (creatorDidAddress !== undefined) out.creatorDidAddress = creatorDidAddress;
  if (q.dateStart !== undefined) out.dateStart = q.dateStart;
  if (q.dateEnd !== undefined) out.dateEnd = q.dateEnd;
  return out;
}
