// Legacy `/api/records` query parameters → the store's SearchQuery plus the resolution options.
// Unknown parameters are ignored as the legacy node does; a known one with a bad value is a 400
// naming it.
import {
  isSafeFieldPath,
  MAX_EXACT_MATCH_PAIRS,
  MAX_LIST_ITEMS,
  MAX_LIST_ITEM_LENGTH,
  MAX_TAG_COUNT,
  MAX_TAG_WINDOW,
  scheduledDayRange,
  type SearchQuery,
} from '@oip/record-store';
import { InvalidQueryError } from '../errors.js';
import type { ScoreParams } from './record-scores.js';
import { sortPlan, type SortPlan } from './sort-plan.js';

export type RecordsQuerystring = Partial<Record<string, string>>;

const EXACT_PATH = /^(data|oip)\.[A-Za-z0-9_.]{1,200}$/;
const FIELD_PATH = /^(data\.)?[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

export interface RecordsRequest {
  query: SearchQuery;
  resolveDepth: number;
  resolveNamesOnly: boolean;
  resolveFieldName: string[] | undefined;
  hideNullValues: boolean;
  /** hideDateReadable=true: no basic.dateReadable. */
  hideDateReadable: boolean;
  /** summarizeRecipe=true: recipes get their nutrition summary (recipe-summary.ts). */
  summarizeRecipe: boolean;
  /** exactTotal=true: count every match (no totalCap). */
  exactTotal: boolean;
  /** How sortBy is applied (sort-plan.ts). */
  sort: SortPlan;
  /** summarizeTags=true: the tag page to summarise. */
  summarizeTags: { tagCount: number; tagPage: number } | undefined;
}

const list = (v: string | undefined): string[] | undefined => {
  if (v === undefined) return undefined;
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.length ? items : undefined;
};

function bool(name: string, v: string | undefined): boolean {
  if (v === undefined || v === '') return false;
  const t = v.toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new InvalidQueryError(name, 'must be true or false');
}

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidQueryError(name, `must be an integer from ${min} to ${max}`);
  return n;
}

/** Unix seconds from a number of seconds, of milliseconds, or a date string. */
function date(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return n > 1e11 ? Math.floor(n / 1000) : n;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new InvalidQueryError(name, 'must be a date (YYYY-MM-DD, ISO time or unix seconds)');
  return Math.floor(ms / 1000);
}

function mode<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined || v === '') return undefined;
  const up = v.toUpperCase() as T;
  if (!allowed.includes(up)) throw new InvalidQueryError(name, `must be one of ${allowed.join(', ')}`);
  return up;
}

/** exactMatch: a JSON object of data./oip. paths to strings, numbers or booleans. */
function exactMatch(v: string | undefined): SearchQuery['exactMatch'] {
  if (v === undefined || v === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw new InvalidQueryError('exactMatch', 'must be a JSON object');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InvalidQueryError('exactMatch', 'must be a JSON object');
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > MAX_EXACT_MATCH_PAIRS)
    throw new InvalidQueryError('exactMatch', `takes at most ${MAX_EXACT_MATCH_PAIRS} pairs`);
  const out = Object.create(null) as Record<string, string | number | boolean>;
  for (const [path, value] of entries) {
    if (!EXACT_PATH.test(path) || !isSafeFieldPath(path))
      throw new InvalidQueryError(
        'exactMatch',
        'keys must be data.<path> or oip.<path> (no empty, __proto__, constructor or prototype segment)',
      );
    if (!(
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value))
    )) {
      throw new InvalidQueryError('exactMatch', 'values must be strings, numbers or booleans');
    }
    out[path] = value;
  }
  return entries.length ? out : undefined;
}

function lowerMode<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined || v === '') return undefined;
  const low = v.toLowerCase() as T;
  if (!allowed.includes(low)) throw new InvalidQueryError(name, `must be one of ${allowed.join(', ')}`);
  return low;
}

/** A parameter given once or repeated (the schema lets a list through for fieldName and fieldSearch), as its non-empty values. */
const repeated = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string' && s !== '');

/** The legacy filters added for issue 12, each checked here so the 400 names the parameter. */
function parseFilters(q: RecordsQuerystring, query: SearchQuery): void {
  const em = exactMatch(q.exactMatch);
  if (em) query.exactMatch = em;
  // Either may come repeated (legacy's pairs, helpers/elasticsearch.js 4559-4569).
  const fieldNames = repeated((q as Record<string, unknown>)['fieldName']);
  const fieldSearches = repeated((q as Record<string, unknown>)['fieldSearch']);
  if (fieldNames.length > 0 || fieldSearches.length > 0) {
    if (fieldNames.length === 0) throw new InvalidQueryError('fieldName', 'is required with fieldSearch');
    if (fieldSearches.length === 0) throw new InvalidQueryError('fieldSearch', 'is required with fieldName');
    if (fieldNames.some((n) => !FIELD_PATH.test(n) || !isSafeFieldPath(n)))
      throw new InvalidQueryError(
        'fieldName',
        'must be a dotted path under data (no empty, __proto__, constructor or prototype segment)',
      );
    query.fieldName = fieldNames.length === 1 ? fieldNames[0]! : fieldNames;
    query.fieldSearch = fieldSearches.length === 1 ? fieldSearches[0]! : fieldSearches;
  }
  const fmm = lowerMode('fieldMatchMode', q.fieldMatchMode, ['partial', 'exact'] as const);
  if (fmm) query.fieldMatchMode = fmm;
  if (bool('noDuplicates', q.noDuplicates)) query.noDuplicates = true;
  for (const key of [
    'exerciseNames',
    'exerciseDIDs',
    'ingredientNames',
    'equipmentRequired',
    'exerciseType',
    'cuisine',
  ] as const) {
    const items = list(q[key]);
    if (!items) continue;
    if (items.length > MAX_LIST_ITEMS) throw new InvalidQueryError(key, `takes at most ${MAX_LIST_ITEMS} items`);
    if (items.some((i) => i.length > MAX_LIST_ITEM_LENGTH))
      throw new InvalidQueryError(key, `items must be at most ${MAX_LIST_ITEM_LENGTH} characters`);
    query[key] = items;
  }
  if (query.exerciseDIDs?.some((d) => !d.startsWith('did:')))
    throw new InvalidQueryError('exerciseDIDs', 'must be DIDs (did:…)');
  const emm = mode('equipmentMatchMode', q.equipmentMatchMode, ['AND', 'OR'] as const);
  if (emm) query.equipmentMatchMode = emm;
  if (q.scheduledOn) {
    try {
      scheduledDayRange(q.scheduledOn);
    } catch {
      throw new InvalidQueryError('scheduledOn', 'must be a date YYYY-MM-DD or unix seconds');
    }
    query.scheduledOn = q.scheduledOn;
  }
}

export function parseRecordsQuery(
  q: RecordsQuerystring,
  bounds: { maxResolveDepth: number; maxLimit: number },
): RecordsRequest {
  const query: SearchQuery = {};
  if (q.recordType) query.recordType = q.recordType;
  const did = q.did || q.didTx;
  if (did) query.did = did;
  const source = (q.source ?? q.storage)?.toLowerCase();
  if (source && source !== 'all') {
    if (source !== 'gun' && source !== 'arweave')
      throw new InvalidQueryError(q.source !== undefined ? 'source' : 'storage', 'must be all, gun or arweave');
    query.storage = source;
  }
  if (q.search) query.search = q.search;
  const smm = mode('searchMatchMode', q.searchMatchMode, ['AND', 'OR'] as const);
  if (smm) query.searchMatchMode = smm;
  const tags = list(q.tags);
  if (tags) query.tags = tags;
  const tmm = mode('tagsMatchMode', q.tagsMatchMode, ['AND', 'OR'] as const);
  if (tmm) query.tagsMatchMode = tmm;
  if (q.creatorHandle) query.creatorHandle = q.creatorHandle;
  if (q.creator_did_address) query.creatorDidAddress = q.creator_did_address;
  const dateStart = date('dateStart', q.dateStart);
  if (dateStart !== undefined) query.dateStart = dateStart;
  const dateEnd = date('dateEnd', q.dateEnd);
  if (dateEnd !== undefined) query.dateEnd = dateEnd;
  const limit = int('limit', q.limit, 1, bounds.maxLimit);
  if (limit !== undefined) query.limit = limit;
  const page = int('page', q.page, 1, 1_000_000);
  if (page !== undefined) query.page = page;
  const resolveDepth = int('resolveDepth', q.resolveDepth, 0, bounds.maxResolveDepth) ?? 0;
  parseFilters(q, query);
  // sortBy is planned with the filters (sort-plan.ts): never a 400, as legacy.
  const sort = sortPlan(q.sortBy, scoreParams(q, query));
  if (sort.kind === 'store' && sort.sort) query.sort = sort.sort;
  let summarizeTags: RecordsRequest['summarizeTags'];
  if (bool('summarizeTags', q.summarizeTags)) {
    const tagCount = int('tagCount', q.tagCount, 1, MAX_TAG_COUNT) ?? 20;
    const tagPage = int('tagPage', q.tagPage, 1, Math.floor(MAX_TAG_WINDOW / tagCount)) ?? 1;
    summarizeTags = { tagCount, tagPage };
  }
  return {
    summarizeTags,
    sort,
    query,
    resolveDepth,
    resolveNamesOnly: bool('resolveNamesOnly', q.resolveNamesOnly),
    resolveFieldName: list(q.resolveFieldName),
    hideNullValues: bool('hideNullValues', q.hideNullValues),
    hideDateReadable: bool('hideDateReadable', q.hideDateReadable),
    summarizeRecipe: bool('summarizeRecipe', q.summarizeRecipe),
    exactTotal: bool('exactTotal', q.exactTotal),
  };
}

/**
 * `model` as legacy scores it: the comma-separated names, only with recordType=modelProvider (2916).
 * Read from the querystring, as sortBy is planned before parseLegacyListParams (which checks its
 * bounds and answers 400 past them) puts model into the store query.
 */
function modelItems(q: RecordsQuerystring, query: SearchQuery): string[] | undefined {
  if (query.recordType !== 'modelProvider') return undefined;
  const items = (q.model ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  return items.length > 0 ? items : undefined;
}

/** What record-scores.ts computes from: the request's filters as parsed. */
export function scoreParams(q: RecordsQuerystring, query: SearchQuery): ScoreParams {
  return {
    recordType: query.recordType,
    tags: query.tags,
    search: q.search || undefined,
    exerciseNames: query.exerciseNames,
    exerciseDIDs: query.exerciseDIDs,
    ingredientNames: query.ingredientNames,
    equipmentRequired: query.equipmentRequired,
    equipmentMatchMode: query.equipmentMatchMode,
    exerciseType: query.exerciseType,
    cuisine: query.cuisine,
    model: modelItems(q, query),
    fieldName: query.fieldName,
    fieldSearch: query.fieldSearch,
  };
}
