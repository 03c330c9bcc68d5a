// The Elasticsearch store's reads: records by DID, a search page with its total (track_total_hits, capped by the
// query's totalCap), noDuplicates through collapse, the tag summary, and the name-through-dref
// lookups they start with, and the counts. The store (elasticsearch-record-store.ts) checks it is open and ready.
import type { Client, estypes } from '@elastic/elasticsearch';
import { MAX_REFERENCED_DIDS } from '../filter-bounds.js';
import type { NormalizedQuery } from '../query.js';
import type { AccessOption, CountQuery, OipRecord, ReadOptions, SearchResult, TagSummary } from '../types.js';
import { isVisible } from '../access.js';
import { StoreInvalidError } from '../errors.js';
import { mapClientError } from './es-errors.js';
import { accessClause, assignRefs, referencedNameQuery, type ResolvedRefs } from './es-legacy-filters.js';
import { buildQuery, buildSearchRequest, buildSort } from './es-query.js';
import { mappedDataFields, needsMapping } from './es-legacy-params.js';
import { compareRecords } from './record-order.js';

const NAME_KEYWORD = 'data.basic.name.keyword';
/** ES cardinality is exact below this many distinct values (its maximum). */
const CARDINALITY_PRECISION = 40_000;

export class EsReads {
  readonly #client: Client;
  readonly #index: string;

  constructor(client: Client, index: string) {
    this.#client = client;
    this.#index = index;
  }

  async get(did: string, opts: ReadOptions): Promise<OipRecord | null> {
    try {
      const res = await this.#client.get<OipRecord>({ index: this.#index, id: did }, { ignore: [404] });
      return res.found && res._source !== undefined && isVisible(res._source, opts.access) ? res._source : null;
    } catch (err) {
      throw mapClientError(err, 'get');
    }
  }

  /** `dids`: unique, non-empty, within the store's bound. */
  async getMany(dids: readonly string[], opts: ReadOptions): Promise<Map<string, OipRecord>> {
    let res: estypes.MgetResponse<OipRecord>;
    try {
      res = await this.#client.mget<OipRecord>({ index: this.#index, ids: [...dids] });
    } catch (err) {
      throw mapClientError(err, 'getMany');
    }
    const out = new Map<string, OipRecord>();
    for (const doc of res.docs) {
      if ('found' in doc && doc.found && doc._source !== undefined && isVisible(doc._source, opts.access))
        out.set(doc._id, doc._source);
    }
    return out;
  }

  async search(q: NormalizedQuery): Promise<SearchResult> {
    const refs = await this.#resolveRefs(q);
    if (q.noDuplicates) return this.#searchDistinct(q, refs);
    const res = await this.#search(buildSearchRequest(q, refs), 'search');
    return { total: totalOf(res), totalRelation: relationOf(res), records: sources(res) };
  }

  async #search(body: Record<string, unknown>, what: string): Promise<estypes.SearchResponse<OipRecord>> {
    try {
      return await this.#client.search<OipRecord>({
        index: this.#index,
        ...(body as Omit<estypes.SearchRequest, 'index'>),
      });
    } catch (err) {
      throw mapClientError(err, what);
    }
  }

  /**
   * Name-through-dref filters compare the referenced record's name: one lookup for the records
   * whose names could match (at most MAX_REFERENCED_DIDS, else STORE_ERR_INVALID), then the
   * main query filters on their DIDs.
   */
  async #resolveRefs(q: NormalizedQuery): Promise<ResolvedRefs> {
    const [refs, mapped] = await Promise.all([this.#namedRefs(q), needsMapping(q) ? this.#dataFields() : undefined]);
    return mapped === undefined ? refs : { ...refs, mapped };
  }

  /** template and didTxRef: the data categories and keyword fields, read from the mapping now. */
  async #dataFields() {
    try {
      const res = await this.#client.indices.getMapping({ index: this.#index });
      return mappedDataFields(res as Parameters<typeof mappedDataFields>[0]);
    } catch (err) {
      throw mapClientError(err, 'getMapping');
    }
  }

  async #namedRefs(q: NormalizedQuery): Promise<ResolvedRefs> {
    const query = referencedNameQuery(q);
    if (query === null) return {};
    const res = await this.#search(
      {
        query,
        _source: ['data.basic.name'],
        size: MAX_REFERENCED_DIDS + 1,
        sort: [{ 'oip.did.keyword': { order: 'asc', unmapped_type: 'keyword' } }],
      },
      'search (referenced names)',
    );
    if (res.hits.hits.length > MAX_REFERENCED_DIDS) {
      throw new StoreInvalidError(
        `the name filters match more than ${MAX_REFERENCED_DIDS} referenced records; narrow them`,
      );
    }
    const named = res.hits.hits.flatMap((h) => {
      const name = h._source?.data?.['basic']?.['name'];
      return typeof name === 'string' ? [{ did: h._id ?? '', name: name.toLowerCase() }] : [];
    });
    return assignRefs(q, named);
  }

  /**
   * noDuplicates: `collapse` on the name keyword keeps the first record per name by the query's
   * sort; records without a name (no keyword, or '') are fetched by a second search, since
   * collapse would fold them into one group. Both halves are read up to offset + limit and
   * merged in the store's order. Total = the cardinality of names (exact below 40,000 distinct
   * names, an estimate above) + the unnamed count.
   */
  async #searchDistinct(q: NormalizedQuery, refs: ResolvedRefs): Promise<SearchResult> {
    const base = buildQuery(q, refs);
    const emptyName = { term: { [NAME_KEYWORD]: '' } };
    const size = q.offset + q.limit;
    const sort = buildSort(q);
    const [named, unnamed] = await Promise.all([
      this.#search(
        {
          query: { bool: { filter: [base, { exists: { field: NAME_KEYWORD } }], must_not: [emptyName] } },
          collapse: { field: NAME_KEYWORD },
          sort,
          from: 0,
          size,
          track_total_hits: false,
          aggs: { names: { cardinality: { field: NAME_KEYWORD, precision_threshold: CARDINALITY_PRECISION } } },
        },
        'search (noDuplicates)',
      ),
      this.#search(
        {
          query: {
            bool: {
              filter: [
                base,
                {
                  bool: {
                    should: [{ bool: { must_not: [{ exists: { field: NAME_KEYWORD } }] } }, emptyName],
                    minimum_should_match: 1,
                  },
                },
              ],
            },
          },
          sort,
          from: 0,
          size,
          track_total_hits: true,
        },
        'search (noDuplicates, unnamed)',
      ),
    ]);
    const names = (named.aggregations?.['names'] as { value?: number } | undefined)?.value ?? 0;
    const records = [...sources(named), ...sources(unnamed)].sort(compareRecords(q.sort)).slice(q.offset, size);
    return { total: names + totalOf(unnamed), totalRelation: 'eq', records };
  }

  async summarizeTags(q: NormalizedQuery, tagCount: number, offset: number): Promise<TagSummary> {
    const refs = await this.#resolveRefs(q);
    const field = 'data.basic.tagItems.keyword';
    const res = await this.#search(
      {
        query: buildQuery(q, refs),
        size: 0,
        track_total_hits: false,
        aggs: {
          tags: { terms: { field, size: offset + tagCount, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
          total: { cardinality: { field, precision_threshold: CARDINALITY_PRECISION } },
        },
      },
      'summarizeTags',
    );
    const agg = res.aggregations?.['tags'] as estypes.AggregationsStringTermsAggregate | undefined;
    const buckets = Array.isArray(agg?.buckets) ? agg.buckets : [];
    const totalTags = (res.aggregations?.['total'] as { value?: number } | undefined)?.value ?? 0;
    return { totalTags, tags: buckets.slice(offset).map((b) => ({ tag: String(b.key), count: b.doc_count })) };
  }

  async count(query: CountQuery): Promise<number> {
    const filters: Parameters<typeof buildQuery>[0] = { searchMatchMode: 'AND', tagsMatchMode: 'OR' };
    if (query.recordType !== undefined && query.recordType !== '') filters.recordType = query.recordType;
    if (query.storage !== undefined) filters.storage = query.storage;
    let esQuery = buildQuery(filters);
    if (query.access !== undefined) esQuery = { bool: { filter: [esQuery, accessClause(query.access)] } };
    try {
      const res = await this.#client.count({
        index: this.#index,
        query: esQuery as estypes.QueryDslQueryContainer,
      });
      return res.count;
    } catch (err) {
      throw mapClientError(err, 'count');
    }
  }

  /** Records per type, for the `maxRecordTypes` most frequent types; with `access`, the ones the viewer may see. */
  async countByType(maxRecordTypes: number, access: AccessOption | undefined): Promise<Record<string, number>> {
    try {
      const res = await this.#client.search({
        index: this.#index,
        size: 0,
        ...(access === undefined ? {} : { query: accessClause(access) as estypes.QueryDslQueryContainer }),
        aggs: { types: { terms: { field: 'oip.recordType.keyword', size: maxRecordTypes } } },
      });
      const agg = res.aggregations?.['types'] as estypes.AggregationsStringTermsAggregate | undefined;
      // Null-prototype: record types are publishers' text (`constructor`, `__proto__`).
      const out = Object.create(null) as Record<string, number>;
      const buckets = Array.isArray(agg?.buckets) ? agg.buckets : [];
      for (const b of buckets) out[String(b.key)] = b.doc_count;
      return out;
    } catch (err) {
      throw mapClientError(err, 'countByType');
    }
  }
}

function totalOf(res: estypes.SearchResponse<OipRecord>): number {
  return typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
}

function relationOf(res: estypes.SearchResponse<OipRecord>): 'eq' | 'gte' {
  return typeof res.hits.total === 'object' && res.hits.total.relation === 'gte' ? 'gte' : 'eq';
}

function sources(res: estypes.SearchResponse<OipRecord>): OipRecord[] {
  const out: OipRecord[] = [];
  for (const hit of res.hits.hits) if (hit._source !== undefined) out.push(hit._source);
  return out;
}

/** Creates the ES adapter (it builds a bounded client from `node` unless `client` is given). */
