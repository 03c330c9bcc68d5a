// A small in-memory Elasticsearch behind @elastic/elasticsearch-mock, holding state across
// requests: index create/exists/mapping (and adding fields to it), the create API (409 on an
// existing _id), get and delete by _id, a term or match_all search with field sorts and from/size, count and partial update. Strict mappings refuse unknown fields as ES does.
// Anything else answers 400, so an unexpected request fails the test instead of passing.
import { createRequire } from 'node:module';
import { Client } from '@elastic/elasticsearch';
import type * as EsModule from '@elastic/elasticsearch';
import type * as MockModule from '@elastic/elasticsearch-mock';

type Json = Record<string, unknown>;

export interface SeenRequest {
  method: string;
  path: string;
  querystring: Record<string, unknown>;
  body: unknown;
}

interface FakeIndex {
  mappings: Json;
  docs: Map<string, { source: Json; version: number }>;
}

// The mock recognises error responses by instanceof against the CommonJS client build.
const require = createRequire(import.meta.url);
const cjs = require('@elastic/elasticsearch') as typeof EsModule;
type Mock = MockModule.default;
const Mock = require('@elastic/elasticsearch-mock') as new () => Mock;

function esError(status: number, type: string, reason = `${type} happened`): Error {
  const body = { error: { type, reason, root_cause: [{ type, reason }] }, status };
  return new cjs.errors.ResponseError({ body, statusCode: status, headers: {}, warnings: null, meta: {} as never });
}

export class EsAccountsFake {
  readonly indices = new Map<string, FakeIndex>();
  readonly seen: SeenRequest[] = [];
  /** When set, every request answers this status (e.g. 503) before touching state. */
  failWith: { status: number; type: string } | undefined;
  readonly #mock: Mock;

  constructor() {
    this.#mock = new Mock();
    const on = (method: string, path: string, fn: (p: SeenRequest, parts: string[]) => unknown): void => {
      this.#mock.add({ method, path }, ((params: SeenRequest) => {
        this.seen.push(params);
        if (this.failWith !== undefined) return esError(this.failWith.status, this.failWith.type);
        const parts = params.path.split('/').filter((s) => s.length > 0);
        return fn(params, parts);
      }) as never);
    };
    on('HEAD', '/:index', (_p, [index]) => (this.indices.has(index!) ? '' : esError(404, 'index_not_found_exception')));
    on('PUT', '/:index', (p, [index]) => this.#createIndex(index!, p.body as Json));
    on('GET', '/:index/_mapping', (_p, [index]) => {
      const idx = this.indices.get(index!);
      return idx === undefined ? esError(404, 'index_not_found_exception') : { [index!]: { mappings: idx.mappings } };
    });
    on('PUT', '/:index/_create/:id', (p, [index, , id]) => this.#create(index!, id!, p.body as Json));
    on('POST', '/:index/_create/:id', (p, [index, , id]) => this.#create(index!, id!, p.body as Json));
    on('GET', '/:index/_doc/:id', (_p, [index, , id]) => this.#get(index!, id!));
    on('POST', '/:index/_search', (p, [index]) => this.#search(index!, p.body as Json));
    on('POST', '/:index/_count', (p, [index]) => this.#count(index!, p.body));
    on('GET', '/:index/_count', (p, [index]) => this.#count(index!, p.body));
    on('POST', '/:index/_update/:id', (p, [index, , id]) => this.#update(index!, id!, p.body as Json));
    on('DELETE', '/:index/_doc/:id', (_p, [index, , id]) => this.#delete(index!, id!));
    on('PUT', '/:index/_mapping', (p, [index]) => this.#putMapping(index!, p.body as Json));
  }

  /** A client wired to this fake (no retries, so a failure surfaces at once). */
  client(): Client {
    return new Client({
      node: 'http://localhost:9200',
      Connection: this.#mock.getConnection() as never,
      maxRetries: 0,
    });
  }

  /** Requests other than index bootstrap (HEAD index, PUT index, GET mapping). */
  calls(): SeenRequest[] {
    return this.seen.filter(
      (r) =>
        !(
          r.method === 'HEAD' ||
          (r.method === 'PUT' && r.path.split('/').length === 2) ||
          r.path.endsWith('/_mapping')
        ),
    );
  }

  #createIndex(index: string, body: Json | null): unknown {
    if (this.indices.has(index)) return esError(400, 'resource_already_exists_exception');
    for (const k of Object.keys(body ?? {}))
      if (k !== 'mappings' && k !== 'settings') return esError(400, 'parse_exception', `unknown key ${k}`);
    this.indices.set(index, { mappings: (body?.mappings as Json | undefined) ?? {}, docs: new Map() });
    return { acknowledged: true, shards_acknowledged: true, index };
  }

  #checkStrict(idx: FakeIndex, doc: Json): Error | undefined {
    if (idx.mappings.dynamic !== 'strict') return undefined;
    const props = (idx.mappings.properties ?? {}) as Json;
    for (const k of Object.keys(doc)) {
      if (!Object.hasOwn(props, k)) return esError(400, 'strict_dynamic_mapping_exception', `field [${k}] not allowed`);
    }
    return undefined;
  }

  #create(index: string, id: string, doc: Json): unknown {
    if (!this.indices.has(index)) this.indices.set(index, { mappings: {}, docs: new Map() });
    const idx = this.indices.get(index)!;
    const invalid = this.#checkStrict(idx, doc);
    if (invalid !== undefined) return invalid;
    if (idx.docs.has(id))
      return esError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, document already exists`);
    idx.docs.set(id, { source: structuredClone(doc), version: 1 });
    return { _index: index, _id: id, _version: 1, result: 'created', _seq_no: 0, _primary_term: 1 };
  }

  #get(index: string, id: string): unknown {
    const idx = this.indices.get(index);
    if (idx === undefined) return esError(404, 'index_not_found_exception');
    const doc = idx.docs.get(id);
    if (doc === undefined)
      return new cjs.errors.ResponseError({
        body: { _index: index, _id: id, found: false },
        statusCode: 404,
        headers: {},
        warnings: null,
        meta: {} as never,
      });
    return { _index: index, _id: id, _version: doc.version, found: true, _source: structuredClone(doc.source) };
  }

  #search(index: string, body: Json): unknown {
    const idx = this.indices.get(index);
    if (idx === undefined) return esError(404, 'index_not_found_exception');
    for (const k of Object.keys(body))
      if (k !== 'query' && k !== 'size' && k !== 'sort' && k !== 'from')
        return esError(400, 'parsing_exception', `es-fake: ${k}`);
    const query = (body.query ?? {}) as Json;
    const term = query.term as Json | undefined;
    const entries = Object.entries(term ?? {});
    const matchAll = query.match_all !== undefined && Object.keys(query).length === 1;
    if (!matchAll && entries.length !== 1)
      return esError(400, 'parsing_exception', 'es-fake supports one term query or match_all');
    const [field, spec] = matchAll ? ['', undefined] : entries[0]!;
    const value = spec !== null && typeof spec === 'object' ? (spec as Json).value : spec;
    const size = typeof body.size === 'number' ? body.size : 10;
    const from = typeof body.from === 'number' ? body.from : 0;
    const hits = [...idx.docs.entries()].filter(([, d]) => matchAll || d.source[field] === value);
    const sorts = ((body.sort ?? []) as Json[]).map((s) => Object.entries(s)[0]! as [string, 'asc' | 'desc']);
    hits.sort(([, a], [, b]) => {
      for (const [f, order] of sorts) {
        const x = String(a.source[f]);
        const y = String(b.source[f]);
        if (x !== y) return (x < y ? -1 : 1) * (order === 'desc' ? -1 : 1);
      }
      return 0;
    });
    return {
      took: 1,
      timed_out: false,
      hits: {
        total: { value: hits.length, relation: 'eq' },
        max_score: hits.length > 0 ? 1 : null,
        hits: hits
          .slice(from, from + size)
          .map(([id, d]) => ({ _index: index, _id: id, _score: 1, _source: structuredClone(d.source) })),
      },
    };
  }

  #count(index: string, body: unknown): unknown {
    const idx = this.indices.get(index);
    if (idx === undefined) return esError(404, 'index_not_found_exception');
    if (body !== null && body !== undefined)
      return esError(400, 'parsing_exception', 'es-fake counts all documents only');
    return { count: idx.docs.size, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } };
  }

  #update(index: string, id: string, body: Json): unknown {
    const idx = this.indices.get(index);
    if (idx === undefined) return esError(404, 'index_not_found_exception');
    const doc = idx.docs.get(id);
    if (doc === undefined) return esError(404, 'document_missing_exception');
    const partial = body.doc as Json | undefined;
    if (partial === undefined || Object.keys(body).length !== 1)
      return esError(400, 'parsing_exception', 'es-fake supports { doc } updates');
    const invalid = this.#checkStrict(idx, partial);
    if (invalid !== undefined) return invalid;
    doc.source = { ...doc.source, ...structuredClone(partial) };
    doc.version += 1;
    return { _index: index, _id: id, _version: doc.version, result: 'updated' };
  }

  #delete(index: string, id: string): unknown {
    const idx = this.indices.get(index);
    if (idx === undefined) return esError(404, 'index_not_found_exception');
    if (!idx.docs.delete(id)) {
      return new cjs.errors.ResponseError({
        body: { _index: index, _id: id, result: 'not_found' },
        statusCode: 404,
        headers: {},
        warnings: null,
        meta: {} as never,
      });
    }
    return { _index: index, _id: id, result: 'deleted' };
  }

  /** Adds properties (never changes an existing one, as ES refuses) and replaces _meta. */
  #putMapping(index: string, body: Json): unknown {
    const idx = this.indices.get(index);
    if (idx === undefined) return esError(404, 'index_not_found_exception');
    const props = { ...((idx.mappings.properties ?? {}) as Json) };
    for (const [k, v] of Object.entries((body.properties ?? {}) as Json)) {
      if (Object.hasOwn(props, k) && JSON.stringify(props[k]) !== JSON.stringify(v))
        return esError(400, 'illegal_argument_exception', `mapper [${k}] cannot be changed`);
      props[k] = v;
    }
    idx.mappings = { ...idx.mappings, properties: props, ...(body._meta === undefined ? {} : { _meta: body._meta }) };
    return { acknowledged: true };
  }
}
