// An in-memory Elasticsearch behind @elastic/elasticsearch-mock: indices with their documents,
// mappings (dynamic mapping and its errors, es-fake-mapping.ts) and settings, aliases, the
// query DSL subset the adapter emits (es-fake-query.ts), and scroll searches (for reindexing).
// A request it does not know answers 400, never a silent success.
import { recordsIndexMappings } from '../legacy-mapping.js';
import { createEsMock, esErrorBody, esResponseError, type EsMock } from './es-mock.js';
import { applyDynamicMapping, putMapping, type IndexMappings, type MappingNode } from './es-fake-mapping.js';
import {
  Unsupported,
  aggregate,
  asArray,
  compare,
  matches,
  only,
  project,
  sortSpecs,
  values,
  type Doc,
  type Json,
} from './es-fake-query.js';

export interface FakeIndex {
  name: string;
  mappings: IndexMappings;
  settings: Record<string, string>;
  docs: Map<string, Json>;
}

export interface EsFake extends EsMock {
  /** Documents of the index `records` resolves to (alias or index) at call time. */
  readonly docs: Map<string, Json>;
  /** Concrete indices by name. */
  indices: Map<string, FakeIndex>;
  /** Alias → concrete index. */
  aliases: Map<string, string>;
  /** Search bodies received, for tests that check what the adapter sent. */
  searches: Json[];
}

export interface EsFakeOptions {
  /** Properties of the `records` index. @defaultValue the legacy-compatible mapping */
  properties?: Record<string, unknown>;
  /** Settings of `records` (flat). */
  settings?: Record<string, string>;
}

type Params = { method: string; path: string; body: unknown; querystring: Record<string, unknown> };

function guarded(fn: (p: Params) => unknown): (p: Params) => unknown {
  return (p) => {
    try {
      return fn(p);
    } catch (err) {
      if (err instanceof Unsupported)
        return esResponseError(400, { ...(esErrorBody(400, 'parsing_exception') as Json), reason: err.message });
      throw err;
    }
  };
}

const segments = (path: string): string[] => path.split('/').filter(Boolean).map(decodeURIComponent);

function flatSettings(settings: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((settings ?? {}) as Json)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (v !== null && typeof v === 'object') Object.assign(out, flatSettings(v, key));
    else out[key.startsWith('index.') ? key : `index.${key}`] = String(v);
  }
  return out;
}

const notFound = (name: string) =>
  esResponseError(404, {
    error: { type: 'index_not_found_exception', reason: `no such index [${name}]` },
    status: 404,
  });

/** createEsMock() with an in-memory cluster holding the index `records`. */
export function createEsFake(opts: EsFakeOptions = {}): EsFake {
  const es = createEsMock();
  // The fake answers every index route itself.
  es.mock.clear({ method: 'HEAD', path: '/records' });
  es.mock.clear({ method: 'GET', path: '/records/_mapping' });
  es.mock.clear({ method: 'GET', path: '/records/_settings' });
  const indices = new Map<string, FakeIndex>();
  const aliases = new Map<string, string>();
  const searches: Json[] = [];
  const scrolls = new Map<string, { hits: Doc[]; pos: number; size: number; index: string }>();
  let scrollSeq = 0;
  const createIndex = (name: string, mappings: Json = {}, settings: Record<string, string> = {}): FakeIndex => {
    const idx: FakeIndex = {
      name,
      mappings: {
        ...mappings,
        properties: structuredClone((mappings['properties'] ?? {}) as Record<string, MappingNode>),
      },
      settings,
      docs: new Map(),
    };
    indices.set(name, idx);
    return idx;
  };
  createIndex(
    'records',
    { ...recordsIndexMappings, properties: opts.properties ?? recordsIndexMappings.properties },
    opts.settings ?? {},
  );
  const resolve = (name: string): FakeIndex | undefined => indices.get(aliases.get(name) ?? name);
  // The probe document makes every query be parsed even when the index is empty.
  const probe: Doc = { _id: '', _source: {} };
  const run = (idx: FakeIndex, query: unknown): Doc[] => {
    matches(probe, query ?? { match_all: {} });
    return [...idx.docs]
      .map(([_id, _source]) => ({ _id, _source }))
      .filter((d) => matches(d, query ?? { match_all: {} }));
  };
  const hit = (idx: FakeIndex, d: Doc, includes?: unknown) => {
    const _source = project(structuredClone(d._source), includes);
    return { _index: idx.name, _id: d._id, _score: null, ...(_source === undefined ? {} : { _source }) };
  };
  const add = (method: string | string[], path: string, fn: (p: Params) => unknown) =>
    es.mock.add({ method, path } as never, guarded(fn) as never);

  add('HEAD', '/:index', (p) => (resolve(segments(p.path)[0]!) ? '' : esResponseError(404, '')));
  add('PUT', '/:index', (p) => {
    const name = segments(p.path)[0]!;
    if (indices.has(name) || aliases.has(name)) {
      return esResponseError(400, {
        error: { type: 'resource_already_exists_exception', reason: `index [${name}] already exists` },
        status: 400,
      });
    }
    const body = (p.body ?? {}) as Json;
    only(body, ['mappings', 'settings'], 'create index');
    createIndex(name, (body['mappings'] ?? {}) as Json, flatSettings(body['settings']));
    return { acknowledged: true, shards_acknowledged: true, index: name };
  });
  add('DELETE', '/:index', (p) => {
    const name = segments(p.path)[0]!;
    if (!indices.delete(name)) return notFound(name);
    for (const [a, i] of aliases) if (i === name) aliases.delete(a);
    return { acknowledged: true };
  });
  add('GET', '/:index/_mapping', (p) => {
    const idx = resolve(segments(p.path)[0]!);
    return idx ? { [idx.name]: { mappings: structuredClone(idx.mappings) } } : notFound(segments(p.path)[0]!);
  });
  add(['PUT', 'POST'], '/:index/_mapping', (p) => {
    const idx = resolve(segments(p.path)[0]!);
    if (!idx) return notFound(segments(p.path)[0]!);
    const body = (p.body ?? {}) as Json;
    only(body, ['properties'], 'put mapping');
    const err = putMapping(idx.mappings, (body['properties'] ?? {}) as Record<string, MappingNode>);
    return err === null
      ? { acknowledged: true }
      : esResponseError(400, { error: { ...err, root_cause: [err] }, status: 400 });
  });
  add('GET', '/:index/_settings', (p) => {
    const idx = resolve(segments(p.path)[0]!);
    return idx
      ? { [idx.name]: { settings: { 'index.number_of_shards': '1', ...idx.settings } } }
      : notFound(segments(p.path)[0]!);
  });
  add(['GET', 'POST'], '/:index/_refresh', (p) =>
    resolve(segments(p.path)[0]!)
      ? { _shards: { total: 1, successful: 1, failed: 0 } }
      : notFound(segments(p.path)[0]!),
  );
  add('POST', '/_aliases', (p) => {
    const next = new Map(aliases);
    const removed = new Set<string>();
    for (const action of asArray(((p.body ?? {}) as Json)['actions'])) {
      const [kind, spec] = Object.entries(action as Json)[0] as [string, Json];
      const index = String(spec['index']);
      if (kind === 'add') next.set(String(spec['alias']), index);
      else if (kind === 'remove') next.delete(String(spec['alias']));
      else if (kind === 'remove_index') removed.add(index);
      else throw new Unsupported(`alias action ${kind}`);
      if (!indices.has(index)) return notFound(index);
    }
    for (const [alias] of next) {
      if (indices.has(alias) && !removed.has(alias)) {
        return esResponseError(400, {
          error: {
            type: 'invalid_alias_name_exception',
            reason: `Invalid alias name [${alias}]: an index or data stream exists with the same name as the alias`,
          },
          status: 400,
        });
      }
    }
    for (const r of removed) indices.delete(r);
    aliases.clear();
    for (const [a, i] of next) if (indices.has(i)) aliases.set(a, i);
    return { acknowledged: true };
  });

  add('POST', '/_bulk', (p) => {
    const ops = p.body as Json[];
    const items: Json[] = [];
    for (let i = 0; i < ops.length; i += 2) {
      const action = ops[i] as Json;
      only(action, ['index'], 'bulk action');
      const meta = action['index'] as Json;
      const name = String(meta['_index'] ?? 'records');
      const id = String(meta['_id']);
      const idx = resolve(name) ?? createIndex(name);
      const doc = structuredClone(ops[i + 1] as Json);
      const error = applyDynamicMapping(idx.mappings, doc, id);
      if (error !== null) {
        items.push({ index: { _index: idx.name, _id: id, status: 400, error } });
        continue;
      }
      const existed = idx.docs.has(id);
      idx.docs.set(id, doc);
      items.push({
        index: { _index: idx.name, _id: id, status: existed ? 200 : 201, result: existed ? 'updated' : 'created' },
      });
    }
    return { took: 1, errors: items.some((x) => ((x['index'] as Json)['status'] as number) >= 400), items };
  });
  add('GET', '/:index/_doc/:id', (p) => {
    const [name, , id] = segments(p.path) as [string, string, string];
    const idx = resolve(name);
    const src = idx?.docs.get(id);
    return src === undefined
      ? esResponseError(404, { _index: name, _id: id, found: false })
      : { _index: idx!.name, _id: id, found: true, _source: structuredClone(src) };
  });
  add('DELETE', '/:index/_doc/:id', (p) => {
    const [name, , id] = segments(p.path) as [string, string, string];
    return resolve(name)?.docs.delete(id)
      ? { _id: id, result: 'deleted' }
      : esResponseError(404, { _id: id, result: 'not_found' });
  });
  add(['GET', 'POST'], '/:index/_mget', (p) => {
    const idx = resolve(segments(p.path)[0]!);
    if (!idx) return notFound(segments(p.path)[0]!);
    const body = (p.body ?? {}) as Json;
    only(body, ['ids'], 'mget');
    return {
      docs: asArray(body['ids']).map((id) => {
        const src = idx.docs.get(String(id));
        return src === undefined
          ? { _index: idx.name, _id: id, found: false }
          : { _index: idx.name, _id: id, found: true, _source: structuredClone(src) };
      }),
    };
  });
  add(['GET', 'POST'], '/:index/_count', (p) => {
    const idx = resolve(segments(p.path)[0]!);
    if (!idx) return notFound(segments(p.path)[0]!);
    const body = (p.body ?? {}) as Json;
    only(body, ['query'], 'count');
    return { count: run(idx, body['query']).length };
  });
  const page = (s: { hits: Doc[]; pos: number; size: number; index: string }, id: string) => {
    const idx = indices.get(s.index)!;
    const hits = s.hits.slice(s.pos, s.pos + s.size).map((d) => hit(idx, d));
    s.pos += s.size;
    return {
      _scroll_id: id,
      took: 1,
      timed_out: false,
      hits: { total: { value: s.hits.length, relation: 'eq' }, max_score: null, hits },
    };
  };
  add(['GET', 'POST'], '/:index/_search', (p) => {
    const idx = resolve(segments(p.path)[0]!);
    if (!idx) return notFound(segments(p.path)[0]!);
    const body = (p.body ?? {}) as Json;
    searches.push(body);
    only(body, ['query', 'sort', 'from', 'size', 'track_total_hits', 'collapse', 'aggs', '_source'], 'search');
    let hits = run(idx, body['query']);
    if (p.querystring['scroll'] !== undefined) {
      // Scroll: a snapshot of the matches, served a page at a time.
      const id = `scroll-${++scrollSeq}`;
      const s = {
        hits: hits.sort(compare(sortSpecs(body['sort']))),
        pos: 0,
        size: Number(body['size'] ?? 10),
        index: idx.name,
      };
      scrolls.set(id, s);
      return page(s, id);
    }
    const aggregations = body['aggs'] === undefined ? undefined : aggregate(hits, body['aggs']);
    hits.sort(compare(sortSpecs(body['sort'])));
    let total = hits.length;
    if (body['collapse'] !== undefined) {
      const c = body['collapse'] as Json;
      only(c, ['field'], 'collapse');
      const seen = new Set<string>();
      hits = hits.filter((d) => {
        const key = JSON.stringify(values(d, String(c['field']))[0] ?? null);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      total = hits.length;
    }
    const from = Number(body['from'] ?? 0);
    const size = Number(body['size'] ?? 10);
    const track = body['track_total_hits'];
    // As ES: an integer counts exactly up to it, then answers it with relation 'gte'.
    const totalHits =
      track === false
        ? undefined
        : typeof track === 'number' && total > track
          ? { value: track, relation: 'gte' }
          : { value: total, relation: 'eq' };
    return {
      took: 1,
      timed_out: false,
      hits: {
        ...(totalHits ? { total: totalHits } : {}),
        max_score: null,
        hits: hits.slice(from, from + size).map((d) => hit(idx, d, body['_source'])),
      },
      ...(aggregations === undefined ? {} : { aggregations }),
    };
  });
  add(['GET', 'POST'], '/_search/scroll', (p) => {
    const id = String(((p.body ?? {}) as Json)['scroll_id']);
    const s = scrolls.get(id);
    return s
      ? page(s, id)
      : esResponseError(404, {
          error: { type: 'search_context_missing_exception', reason: `No search context found for id [${id}]` },
          status: 404,
        });
  });
  add('DELETE', '/_search/scroll', (p) => {
    const ids = asArray(((p.body ?? {}) as Json)['scroll_id']).map(String);
    let freed = 0;
    for (const id of ids) if (scrolls.delete(id)) freed++;
    return { succeeded: true, num_freed: freed };
  });

  return {
    ...es,
    get docs() {
      return resolve('records')?.docs ?? new Map<string, Json>();
    },
    indices,
    aliases,
    searches,
  };
}
