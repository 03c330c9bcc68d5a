// Legacy `/api/records` query parameters → the store's SearchQuery plus the resolution options.
// Unknown parameters are ignored as the legacy node does; a known one with a bad value is a 400
// naming it.
import type { SearchQuery, SortField } from '@oip/record-store';
import { InvalidQueryError } from '../errors.js';

export type RecordsQuerystring = Partial<Record<string, string>>;

export interface RecordsRequest {
  query: SearchQuery;
  resolveDepth: number;
  resolveNamesOnly: boolean;
  resolveFieldName: string[] | undefined;
  hideNullValues: boolean;
}

const SORT_ALIASES: Readonly<Record<string, SortField>> = {
  inArweaveBlock: 'inArweaveBlock',
  date: 'date',
  indexedAt: 'indexedAt',
  recordType: 'recordType',
  name: 'name',
};

const list = (v: string | undefined): string[] | undefined => {
  if (v === undefined) return undefined;
  const items = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.length ? items : undefined;
};

function bool(name: string, v: string | undefined): boolean {
  if (v === undefined || v === '') return false;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new InvalidQueryError(name, 'must be true or false');
}

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidQueryError(name, `must be an integer from ${min} to ${max}`);
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

export function parseRecordsQuery(q: RecordsQuerystring, bounds: { maxResolveDepth: number; maxLimit: number }): RecordsRequest {
  const query: SearchQuery = {};
  if (q.recordType) query.recordType = q.recordType;
  const did = q.did || q.didTx;
  if (did) query.did = did;
  const source = (q.source ?? q.storage)?.toLowerCase();
  if (source && source !== 'all') {
    if (source !== 'gun' && source !== 'arweave') throw new InvalidQueryError(q.source !== undefined ? 'source' : 'storage', 'must be all, gun or arweave');
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
  if (q.sortBy) {
    const [field = '', order = 'desc'] = q.sortBy.split(':');
    const f = SORT_ALIASES[field];
    if (!f || (order !== 'asc' && order !== 'desc')) throw new InvalidQueryError('sortBy', `must be <${Object.keys(SORT_ALIASES).join('|')}>:<asc|desc>`);
    query.sort = { field: f, order };
  }
  const limit = int('limit', q.limit, 1, bounds.maxLimit);
  if (limit !== undefined) query.limit = limit;
  const page = int('page', q.page, 1, 1_000_000);
  if (page !== undefined) query.page = page;
  const resolveDepth = int('resolveDepth', q.resolveDepth, 0, bounds.maxResolveDepth) ?? 0;
  return {
    query,
    resolveDepth,
    resolveNamesOnly: bool('resolveNamesOnly', q.resolveNamesOnly),
    resolveFieldName: list(q.resolveFieldName),
    hideNullValues: bool('hideNullValues', q.hideNullValues),
  };
}
