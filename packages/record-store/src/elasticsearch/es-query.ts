// Translates a normalised query into ES query DSL against the legacy-compatible mapping.
import type { NormalizedQuery } from '../query.js';
import type { SortField } from '../types.js';
import { dateFilterPath } from '../filter-bounds.js';
import { legacyFilterClauses, type ResolvedRefs } from './es-legacy-filters.js';

const SORT_FIELDS: Record<SortField, { field: string; unmappedType: string }> = {
  inArweaveBlock: { field: 'oip.inArweaveBlock', unmappedType: 'long' },
  date: { field: 'data.basic.date', unmappedType: 'long' },
  indexedAt: { field: 'oip.indexedAt', unmappedType: 'date' },
  recordType: { field: 'oip.recordType.keyword', unmappedType: 'keyword' },
  name: { field: 'data.basic.name.keyword', unmappedType: 'keyword' },
};

export const SEARCH_FIELDS = ['data.basic.name', 'data.basic.description', 'data.basic.tagItems'] as const;

type Json = Record<string, unknown>;

/** The bool query for a normalised query (match_all when it has no clauses). */
export function buildQuery(
  q: Pick<NormalizedQuery, Exclude<keyof NormalizedQuery, 'sort' | 'page' | 'limit' | 'offset' | 'noDuplicates'>> & {
    noDuplicates?: boolean;
  },
  refs: ResolvedRefs = {},
): Json {
  const filter: Json[] = [];
  const must: Json[] = [];
  if (q.recordType !== undefined) filter.push({ term: { 'oip.recordType.keyword': q.recordType } });
  if (q.did !== undefined) {
    // The document id is the DID; didTx is the legacy alias.
    filter.push({
      bool: {
        should: [{ ids: { values: [q.did] } }, { term: { 'oip.didTx.keyword': q.did } }],
        minimum_should_match: 1,
      },
    });
  }
  if (q.storage !== undefined) filter.push({ term: { 'oip.storage.keyword': q.storage } });
  if (q.creatorHandle !== undefined) filter.push({ term: { 'oip.creator.creatorHandle.keyword': q.creatorHandle } });
  if (q.creatorDidAddress !== undefined) {
    filter.push({ term: { 'oip.creator.didAddress.keyword': q.creatorDidAddress } });
  }
  if (q.dateStart !== undefined || q.dateEnd !== undefined) {
    const range: Json = {};
    if (q.dateStart !== undefined) range['gte'] = q.dateStart;
    if (q.dateEnd !== undefined) range['lte'] = q.dateEnd;
    // A workoutSchedule / mealPlan query's range is on its own date (legacy helpers/elasticsearch.js:2664-2675).
    filter.push({ range: { [dateFilterPath(q.recordType)]: range } });
  }
  if (q.tags !== undefined) {
    // Exact tag, case-insensitive (the SQLite store lower-cases tags the same way).
    const terms = q.tags.map((tag) => ({
      term: { 'data.basic.tagItems.keyword': { value: tag, case_insensitive: true } },
    }));
    if (q.tagsMatchMode === 'AND') filter.push(...terms);
    else filter.push({ bool: { should: terms, minimum_should_match: 1 } });
  }
  filter.push(...legacyFilterClauses(q as NormalizedQuery, refs));
  if (q.searchTerms !== undefined) {
    // Fuzzy as legacy (helpers/elasticsearch.js:4363-4400, `fuzziness: "AUTO"` over name,
    // description and tags): AND, every term in some field; OR, any term.
    const fuzzy = (query: string, operator: 'and' | 'or'): Json => ({
      multi_match: { query, fields: [...SEARCH_FIELDS], fuzziness: 'AUTO', operator },
    });
    if (q.searchMatchMode === 'OR') must.push(fuzzy(q.searchTerms.join(' '), 'or'));
    else must.push(...q.searchTerms.map((t) => fuzzy(t, 'and')));
  }
  if (filter.length === 0 && must.length === 0) return { match_all: {} };
  const bool: Json = {};
  if (filter.length > 0) bool['filter'] = filter;
  if (must.length > 0) bool['must'] = must;
  return { bool };
}

/** Sort clauses: the field with missing values last, then the DID for stable pages. */
export function buildSort(q: Pick<NormalizedQuery, 'sort'>): Json[] {
  const s = SORT_FIELDS[q.sort.field];
  return [
    { [s.field]: { order: q.sort.order, missing: '_last', unmapped_type: s.unmappedType } },
    { 'oip.did.keyword': { order: 'asc', unmapped_type: 'keyword' } },
  ];
}

/** The full search request (without the index). */
export function buildSearchRequest(q: NormalizedQuery, refs: ResolvedRefs = {}): Json {
  return {
    query: buildQuery(q, refs),
    sort: buildSort(q),
    from: q.offset,
    size: q.limit,
    // A capped count stops at the cap (hits.total.relation 'gte' past it).
    track_total_hits: q.totalCap ?? true,
  };
}
