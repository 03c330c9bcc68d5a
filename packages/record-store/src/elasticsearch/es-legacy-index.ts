// Reading an index a legacy node created (read-only mode, ELASTICSEARCH_LEGACY_INDEX): its
// `records` mapping has `data` as `nested` and some `oip.*` fields as text only (recordType, ver,
// creator.creatorHandle/didAddress/didTx; oip.didTx a bare keyword), where our queries expect
// object fields with `.keyword` sub-fields. Every search and count the reads send is rewritten
// for the mapping the index has:
// - a clause on a field under a nested path is wrapped in a `nested` query (data is one object
//   per record, so a clause per wrapper means what it meant on an object field);
// - `<f>.keyword` where `<f>` is a keyword field becomes `<f>`;
// - a term on `<f>.keyword` where `<f>` is text only becomes a match_phrase on `<f>` (the analysed
//   text: case and punctuation are not compared, so `Workout` finds `workout`);
// - a sort on a field under a nested path says its path; an aggregation on one runs inside a
//   `nested` aggregation, whose result is unwrapped;
// - what the legacy mapping cannot do is refused (STORE_ERR_INVALID, the api's 400): sorting or
//   aggregating a text-only field (sortBy=recordType, the record types count) and collapsing on a
//   field under a nested path (noDuplicates). Runtime fields from _source would do them, but the
//   minimal distribution our tests run has no painless.
// - a hit whose `_source` has no `oip.did` (Arweave-era records) gets the document id there.
import type { Client, estypes } from '@elastic/elasticsearch';
import { StoreInvalidError } from '../errors.js';

type Json = Record<string, unknown>;

interface FieldInfo {
  type: string;
  /** Sub-field names (`keyword`). */
  subfields: Set<string>;
}

/** What the view needs of an index mapping: field types by path and the nested paths. */
export interface LegacyMapping {
  fields: Map<string, FieldInfo>;
  nested: string[];
}

/** Flattens `properties` into paths (sub-fields as `<path>.<name>`) and nested paths. */
export function flattenLegacyMapping(properties: Json): LegacyMapping {
  const fields = new Map<string, FieldInfo>();
  const nested: string[] = [];
  const walk = (props: Json, prefix: string) => {
    for (const [name, raw] of Object.entries(props)) {
      const node = raw as { type?: string; properties?: Json; fields?: Json };
      const path = `${prefix}${name}`;
      if (node.type === 'nested') nested.push(path);
      if (node.properties !== undefined) walk(node.properties, `${path}.`);
      if (node.type !== undefined && node.type !== 'nested' && node.type !== 'object') {
        const subfields = new Set(Object.keys(node.fields ?? {}));
        fields.set(path, { type: node.type, subfields });
        for (const [sub, subNode] of Object.entries(node.fields ?? {})) {
          fields.set(`${path}.${sub}`, { type: String((subNode as { type?: string }).type), subfields: new Set() });
        }
      }
    }
  };
  walk(properties, '');
  return { fields, nested: nested.sort((a, b) => b.length - a.length) };
}

/** One request's rewrite: remembers the aggregations it wrapped in `nested`. */
class Rewrite {
  readonly wrappedAggs: string[] = [];
  constructor(readonly mapping: LegacyMapping) {}

  nestedPathOf(field: string): string | null {
    return this.mapping.nested.find((p) => field.startsWith(`${p}.`)) ?? null;
  }

  /** How a field our queries name exists here: `field` to use, or `textOnly` (no keyword form). */
  resolve(field: string): { field: string; textOnly: boolean } {
    if (this.mapping.fields.has(field) || !field.endsWith('.keyword')) return { field, textOnly: false };
    const base = field.slice(0, -'.keyword'.length);
    const info = this.mapping.fields.get(base);
    if (info?.type === 'keyword') return { field: base, textOnly: false };
    if (info?.type === 'text') return { field: base, textOnly: true };
    return { field, textOnly: false };
  }

  /** A field for sorting, aggregating or collapsing; refused when the index has no doc values for it. */
  docValueField(field: string, what: string): string {
    const r = this.resolve(field);
    const info = this.mapping.fields.get(r.field);
    if (r.textOnly || info?.type === 'text') {
      throw new StoreInvalidError(`${what} on ${field}: the legacy index maps it as text only`);
    }
    return r.field;
  }

  wrapNested(field: string, clause: Json): Json {
    const path = this.nestedPathOf(field);
    return path === null ? clause : { nested: { path, query: clause, ignore_unmapped: true } };
  }

  query(q: unknown): unknown {
    if (q === null || typeof q !== 'object' || Array.isArray(q)) return q;
    const [kind, body] = Object.entries(q as Json)[0] ?? [];
    if (kind === undefined) return q;
    switch (kind) {
      case 'bool': {
        const out: Json = {};
        for (const [k, v] of Object.entries(body as Json)) {
          out[k] = Array.isArray(v)
            ? v.map((c) => this.query(c))
            : ['must', 'filter', 'should', 'must_not'].includes(k)
              ? this.query(v)
              : v;
        }
        return { bool: out };
      }
      case 'term':
      case 'terms':
        return this.termLike(kind, body as Json);
      case 'range':
      case 'prefix':
      case 'wildcard':
      case 'match':
      case 'match_phrase': {
        const [field, value] = Object.entries(body as Json)[0]!;
        const r = this.resolve(field);
        return this.wrapNested(r.field, { [kind]: { [r.field]: value } });
      }
      case 'exists': {
        const r = this.resolve((body as { field: string }).field);
        return this.wrapNested(r.field, { exists: { ...(body as Json), field: r.field } });
      }
      case 'multi_match': {
        const fields = ((body as { fields?: string[] }).fields ?? []).map((f) => this.resolve(f).field);
        const clause = { multi_match: { ...(body as Json), fields } };
        const paths = new Set(fields.map((f) => this.nestedPathOf(f)));
        return paths.size === 1 ? this.wrapNested(fields[0]!, clause) : clause;
      }
      default:
        return q;
    }
  }

  termLike(kind: 'term' | 'terms', body: Json): Json {
    const [field, value] = Object.entries(body).find(([k]) => k !== 'boost') ?? [];
    if (field === undefined) return { [kind]: body };
    const r = this.resolve(field);
    if (!r.textOnly) return this.wrapNested(r.field, { [kind]: { [r.field]: value } });
    const values = kind === 'terms' ? (value as unknown[]) : [value];
    const one = (v: unknown) => {
      const plain = typeof v === 'object' && v !== null ? (v as { value: unknown }).value : v;
      return this.wrapNested(r.field, { match_phrase: { [r.field]: String(plain) } });
    };
    return values.length === 1 ? one(values[0]) : { bool: { should: values.map(one), minimum_should_match: 1 } };
  }

  sort(sort: unknown): unknown {
    if (!Array.isArray(sort)) return sort;
    return sort.map((s) => {
      if (typeof s !== 'object' || s === null) return s;
      const [field, opts] = Object.entries(s as Json)[0]!;
      const f = this.docValueField(field, 'sorting');
      const path = this.nestedPathOf(f);
      return { [f]: path === null ? opts : { ...(opts as Json), nested: { path } } };
    });
  }

  aggs(aggs: unknown): unknown {
    if (aggs === null || typeof aggs !== 'object') return aggs;
    const out: Json = {};
    for (const [name, agg] of Object.entries(aggs as Json)) {
      const a: Json = {};
      let path: string | null = null;
      for (const [kind, body] of Object.entries(agg as Json)) {
        const field = (body as { field?: unknown }).field;
        if (typeof field !== 'string') {
          a[kind] = body;
          continue;
        }
        const f = this.docValueField(field, 'aggregating');
        path = this.nestedPathOf(f);
        a[kind] = { ...(body as Json), field: f };
      }
      if (path === null) out[name] = a;
      else {
        out[name] = { nested: { path }, aggs: { [NESTED_INNER]: a } };
        this.wrappedAggs.push(name);
      }
    }
    return out;
  }
}

const NESTED_INNER = 'legacy_inner';

/** Rewrites a search body (query, sort, aggs, collapse) for the legacy mapping. */
export function rewriteLegacySearch(body: Json, mapping: LegacyMapping): { body: Json; wrappedAggs: string[] } {
  const r = new Rewrite(mapping);
  const out: Json = { ...body };
  if (body['query'] !== undefined) out['query'] = r.query(body['query']);
  if (body['sort'] !== undefined) out['sort'] = r.sort(body['sort']);
  if (body['aggs'] !== undefined) out['aggs'] = r.aggs(body['aggs']);
  const collapse = body['collapse'] as { field?: string } | undefined;
  if (collapse?.field !== undefined) {
    const field = r.docValueField(collapse.field, 'collapsing (noDuplicates)');
    if (r.nestedPathOf(field) !== null) {
      throw new StoreInvalidError(`collapsing (noDuplicates) on ${field}: the legacy index nests it under data`);
    }
    out['collapse'] = { ...collapse, field };
  }
  return { body: out, wrappedAggs: r.wrappedAggs };
}

/** The aggregations a nested wrapper holds, in place of the wrappers. */
function unwrapAggs(aggregations: Json | undefined, wrapped: string[]): void {
  if (aggregations === undefined) return;
  for (const name of wrapped) {
    const inner = (aggregations[name] as Json | undefined)?.[NESTED_INNER];
    if (inner !== undefined) aggregations[name] = inner;
  }
}

/** The document id as `oip.did` where the legacy record has none (Arweave-era records keep only didTx). */
function withDid<T>(id: string | undefined, source: T): T {
  const oip = (source as { oip?: Json } | undefined)?.oip;
  if (id === undefined || oip === undefined || typeof oip['did'] === 'string') return source;
  return { ...source, oip: { ...oip, did: id } };
}

/**
 * A client for EsReads on a legacy index: its search and count rewritten, its hits given their
 * DID; everything else is the client's own. The mapping is read once, on the first request.
 */
export function legacyReadClient(client: Client, index: string): Client {
  let mapping: Promise<LegacyMapping> | null = null;
  const load = () => {
    mapping ??= (async () => {
      const res = (await client.indices.getMapping({ index })) as Record<string, { mappings?: { properties?: Json } }>;
      const props = Object.values(res)[0]?.mappings?.properties ?? {};
      return flattenLegacyMapping(props);
    })().catch((err: unknown) => {
      mapping = null;
      throw err;
    });
    return mapping;
  };
  const overrides: Json = {
    search: async (req: Json, opts?: unknown) => {
      const { body, wrappedAggs } = rewriteLegacySearch(req, await load());
      const res = (await client.search(body as estypes.SearchRequest, opts as never)) as estypes.SearchResponse;
      unwrapAggs(res.aggregations as Json | undefined, wrappedAggs);
      for (const hit of res.hits.hits) hit._source = withDid(hit._id, hit._source);
      return res;
    },
    count: async (req: Json, opts?: unknown) =>
      client.count(rewriteLegacySearch(req, await load()).body as estypes.CountRequest, opts as never),
    get: async (req: estypes.GetRequest, opts?: unknown) => {
      const res = (await client.get(req, opts as never)) as estypes.GetGetResult;
      if (res.found) res._source = withDid(res._id, res._source);
      return res;
    },
    mget: async (req: estypes.MgetRequest, opts?: unknown) => {
      const res = (await client.mget(req, opts as never)) as estypes.MgetResponse;
      for (const doc of res.docs) if ('found' in doc && doc.found) doc._source = withDid(doc._id, doc._source);
      return res;
    },
  };
  // The client's own prototype chain for everything else (indices, close, ...).
  return Object.assign(Object.create(client) as object, overrides) as unknown as Client;
}
