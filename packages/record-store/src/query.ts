// Search query validation and defaults, shared by both stores so they accept and reject the same input.
import { StoreInvalidError } from './errors.js';
import { normalizeAccess } from './access.js';
import type { AccessOption, SearchQuery, SortField, TagSummaryOptions } from './types.js';
import {
  exerciseTypeAliases,
  MAX_EXACT_MATCH_PAIRS,
  MAX_FIELD_PAIRS,
  MAX_LIST_ITEMS,
  MAX_LIST_ITEM_LENGTH,
  MAX_TAG_COUNT,
  MAX_TAG_WINDOW,
  MAX_TEXT_LENGTH,
} from './filter-bounds.js';
import { normalizeLegacyParams, type LegacyParamsFilter } from './legacy-params.js';

/** Page size cap. */
export const MAX_LIMIT = 1000;
/** Deepest result reachable by paging, as ES's `index.max_result_window`. */
export const MAX_RESULT_WINDOW = 10_000;
/** At most this many tags in one query. */
export const MAX_TAGS = 100;

const SORT_FIELDS: readonly SortField[] = ['inArweaveBlock', 'date', 'indexedAt', 'recordType', 'name'];

export interface NormalizedQuery extends LegacyParamsFilter {
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
  /** Scalar equality on `data.`/`oip.` paths, type included. */
  exactMatch?: Array<{ path: string; value: string | number | boolean }>;
  /** fieldName/fieldSearch pairs, all to match: `path` is the full dotted path (`data.recipe.course`). */
  fields?: Array<{ path: string; value: string; mode: 'partial' | 'exact' }>;
  noDuplicates: boolean;
  /** Lower-cased. */
  exerciseNames?: string[];
  exerciseDIDs?: string[];
  /** Lower-cased. */
  ingredientNames?: string[];
  /** Lower-cased items. */
  equipment?: { items: string[]; mode: 'AND' | 'OR' };
  /** Lower-cased, every accepted spelling of the requested types. */
  exerciseTypes?: string[];
  /** Lower-cased. */
  cuisine?: string[];
  /** scheduledOn as unix seconds, `[start, end)` of the UTC day. */
  scheduled?: { start: number; end: number };
  /** Lower-cased. */
  anyOfTags?: string[];
  access?: AccessOption;
  /** Exact counting stops past this many matches (SearchQuery.totalCap). */
  totalCap?: number;
  sort: { field: SortField; order: 'asc' | 'desc' };
  page: number;
  limit: number;
  offset: number;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/**
 * Splits search text into terms; a term keeps inner punctuation (quoted as a phrase later).
 * Control characters separate terms as whitespace does: the indexes' tokenizers treat them as
 * separators too, and a NUL inside an FTS5 phrase would end the query string early.
 */
export function searchTerms(text: string): string[] {
  return text
    .split(/[\s\p{Cc}]+/u)
    .map((t) => t.replace(/"/g, ''))
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, 32);
}

const EXACT_PATH = /^(data|oip)\.[A-Za-z0-9_.]{1,200}$/;
const FIELD_PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A bounded list of non-empty trimmed strings, deduplicated; `undefined` when empty. */
function stringList(name: string, v: readonly string[] | undefined, lower: boolean): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new StoreInvalidError(`${name} must be an array of strings`);
  const items: string[] = [];
  for (const raw of v) {
    if (typeof raw !== 'string') throw new StoreInvalidError(`${name} must be an array of strings`);
    const t = lower ? raw.trim().toLowerCase() : raw.trim();
    if (t.length > MAX_LIST_ITEM_LENGTH)
      throw new StoreInvalidError(`${name} items must be at most ${MAX_LIST_ITEM_LENGTH} characters`);
    if (t !== '' && !items.includes(t)) items.push(t);
  }
  if (items.length > MAX_LIST_ITEMS) throw new StoreInvalidError(`${name} takes at most ${MAX_LIST_ITEMS} items`);
  return items.length > 0 ? items : undefined;
}

/**
 * A dotted filter path (exactMatch, fieldName) is safe when no segment is empty or names
 * Object.prototype's plumbing (`__proto__`, `constructor`, `prototype`): such a segment would
 * walk a record's prototype chain instead of its own fields.
 */
export function isSafeFieldPath(path: string): boolean {
  return !path
    .split('.')
    .some((seg) => seg === '' || seg === '__proto__' || seg === 'constructor' || seg === 'prototype');
}

function normalizeExactMatch(v: SearchQuery['exactMatch']): NormalizedQuery['exactMatch'] {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new StoreInvalidError('exactMatch must be an object of path: value');
  const entries = Object.entries(v);
  if (entries.length > MAX_EXACT_MATCH_PAIRS)
    throw new StoreInvalidError(`exactMatch takes at most ${MAX_EXACT_MATCH_PAIRS} pairs`);
  const out: Array<{ path: string; value: string | number | boolean }> = [];
  for (const [path, value] of entries) {
    if (!EXACT_PATH.test(path) || !isSafeFieldPath(path))
      throw new StoreInvalidError(
        `exactMatch path ${JSON.stringify(path.slice(0, 60))} must be data.<path> or oip.<path>`,
      );
    const ok =
      typeof value === 'string'
        ? value.length <= MAX_TEXT_LENGTH
        : typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) throw new StoreInvalidError(`exactMatch value for ${path} must be a string, finite number or boolean`);
    out.push({ path, value });
  }
  return out.length > 0 ? out : undefined;
}

/** A fieldName or fieldSearch as a list: one value or several (empty strings dropped). */
function pairList(name: string, v: unknown): unknown[] {
  const items = (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x) => x !== '');
  if (items.length > MAX_FIELD_PAIRS) throw new StoreInvalidError(`${name} takes at most ${MAX_FIELD_PAIRS} values`);
  return items;
}

function normalizeFields(q: SearchQuery): NormalizedQuery['fields'] {
  const names = pairList('fieldName', q.fieldName);
  const values = pairList('fieldSearch', q.fieldSearch);
  if (q.fieldMatchMode !== undefined && q.fieldMatchMode !== 'partial' && q.fieldMatchMode !== 'exact') {
    throw new StoreInvalidError('fieldMatchMode must be partial or exact');
  }
  if (names.length === 0 && values.length === 0) return undefined;
  if (names.length === 0) throw new StoreInvalidError('fieldSearch needs fieldName');
  if (values.length === 0) throw new StoreInvalidError('fieldName needs fieldSearch');
  // Legacy's pairs: each name with the search of its position, or the last search.
  return names.map((name, i) => {
    const value = values[Math.min(i, values.length - 1)];
    if (typeof name !== 'string') throw new StoreInvalidError('fieldName must be a dotted path under data');
    const rel = name.startsWith('data.') ? name.slice(5) : name;
    if (rel.length > 200 || !FIELD_PATH.test(rel) || !isSafeFieldPath(rel))
      throw new StoreInvalidError('fieldName must be a dotted path under data');
    if (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH)
      throw new StoreInvalidError(`fieldSearch must be a string of at most ${MAX_TEXT_LENGTH} characters`);
    return { path: `data.${rel}`, value, mode: q.fieldMatchMode ?? 'partial' };
  });
}

/**
 * `[start, end)` unix seconds of the UTC day scheduledOn names: a strict `YYYY-MM-DD`, or unix
 * seconds (digits) naming the day they fall in (legacy helpers/elasticsearch.js:4209-4221 takes
 * both; it reads the day in the server's zone, ours is UTC).
 */
export function scheduledDayRange(value: string): { start: number; end: number } {
  if (/^\d{1,12}$/.test(value)) {
    const day = new Date(Number(value) * 1000).toISOString().slice(0, 10);
    return utcDayRange(day);
  }
  return utcDayRange(value);
}

/** `[start, end)` unix seconds of a strict `YYYY-MM-DD` UTC day. */
export function utcDayRange(day: string): { start: number; end: number } {
  const m = DAY.exec(day);
  const ms = m === null ? Number.NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2024-02-31 over to March: refuse days that do not round-trip.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new StoreInvalidError('scheduledOn must be a date YYYY-MM-DD or unix seconds');
  }
  return { start: ms / 1000, end: ms / 1000 + 86_400 };
}

function mode<T extends string>(name: string, v: T | undefined, allowed: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (!allowed.includes(v)) throw new StoreInvalidError(`${name} must be one of ${allowed.join(', ')}`);
  return v;
}

function normalizeFilters(q: SearchQuery, out: NormalizedQuery): void {
  const exact = normalizeExactMatch(q.exactMatch);
  if (exact !== undefined) out.exactMatch = exact;
  const fields = normalizeFields(q);
  if (fields !== undefined) out.fields = fields;
  if (q.noDuplicates !== undefined && typeof q.noDuplicates !== 'boolean')
    throw new StoreInvalidError('noDuplicates must be a boolean');
  const exerciseNames = stringList('exerciseNames', q.exerciseNames, true);
  if (exerciseNames !== undefined) out.exerciseNames = exerciseNames;
  const exerciseDIDs = stringList('exerciseDIDs', q.exerciseDIDs, false);
  if (exerciseDIDs !== undefined) out.exerciseDIDs = exerciseDIDs;
  const ingredientNames = stringList('ingredientNames', q.ingredientNames, true);
  if (ingredientNames !== undefined) out.ingredientNames = ingredientNames;
  const equipmentMode = mode('equipmentMatchMode', q.equipmentMatchMode, ['AND', 'OR'] as const, 'AND');
  const equipment = stringList('equipmentRequired', q.equipmentRequired, true);
  if (equipment !== undefined) out.equipment = { items: equipment, mode: equipmentMode };
  const types = stringList('exerciseType', q.exerciseType, true);
  if (types !== undefined) out.exerciseTypes = [...new Set(types.flatMap(exerciseTypeAliases))];
  const cuisine = stringList('cuisine', q.cuisine, true);
  if (cuisine !== undefined) out.cuisine = cuisine;
  if (q.scheduledOn !== undefined && q.scheduledOn !== '') {
    if (typeof q.scheduledOn !== 'string')
      throw new StoreInvalidError('scheduledOn must be a date YYYY-MM-DD or unix seconds');
    out.scheduled = scheduledDayRange(q.scheduledOn);
  }
  const anyOfTags = stringList('anyOfTags', q.anyOfTags, true);
  if (anyOfTags !== undefined) {
    if (anyOfTags.length > MAX_TAGS) throw new StoreInvalidError(`anyOfTags takes at most ${MAX_TAGS} tags`);
    out.anyOfTags = anyOfTags;
  }
  if (q.access !== undefined) out.access = normalizeAccess(q.access);
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
    noDuplicates: q.noDuplicates === true,
    sort: { field: sort.field, order: sort.order },
    page,
    limit,
    offset,
  };
  if (q.totalCap !== undefined) {
    if (!Number.isInteger(q.totalCap) || q.totalCap < 1 || q.totalCap > MAX_RESULT_WINDOW) {
      throw new StoreInvalidError(`totalCap must be an integer from 1 to ${MAX_RESULT_WINDOW} (got ${q.totalCap})`);
    }
    out.totalCap = q.totalCap;
  }
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
  normalizeFilters(q, out);
  normalizeLegacyParams(q, out);
  return out;
}

/** Validated summarizeTags paging. */
export function tagPaging(opts: TagSummaryOptions): { tagCount: number; offset: number } {
  const tagCount = opts.tagCount ?? 20;
  const tagPage = opts.tagPage ?? 1;
  if (!Number.isInteger(tagCount) || tagCount < 1 || tagCount > MAX_TAG_COUNT) {
    throw new StoreInvalidError(`tagCount must be an integer from 1 to ${MAX_TAG_COUNT} (got ${tagCount})`);
  }
  if (!Number.isInteger(tagPage) || tagPage < 1)
    throw new StoreInvalidError(`tagPage must be an integer >= 1 (got ${tagPage})`);
  if (tagPage * tagCount > MAX_TAG_WINDOW)
    throw new StoreInvalidError(`tagPage × tagCount must not exceed ${MAX_TAG_WINDOW}`);
  return { tagCount, offset: (tagPage - 1) * tagCount };
}
