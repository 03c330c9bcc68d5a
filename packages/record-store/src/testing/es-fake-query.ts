// The query side of the in-memory Elasticsearch (es-fake.ts): it evaluates the DSL subset the
// adapter emits, honestly. A clause, option or request key it does not know throws Unsupported,
// which the routes answer with 400 (so an unsupported clause fails the test instead of matching
// everything). Text fields use a lower-case letters/digits tokenizer (standard analyzer, near
// enough); `<path>.keyword` is the string values of <path> of at most 256 characters.
export type Json = Record<string, unknown>;
export type Doc = { _id: string; _source: Json };
type Scalar = string | number | boolean;

export class Unsupported extends Error {}

export function fail(what: string): never {
  throw new Unsupported(`es-fake does not support ${what}`);
}

export function only(obj: Json, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(`${where}.${k}`);
}

export const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Leaf values at a dotted path, arrays flattened at every level (ES object-array semantics). */
function leaves(source: unknown, path: string[]): unknown[] {
  let current: unknown[] = [source];
  for (const seg of path) {
    const next: unknown[] = [];
    for (const c of current.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
      if (c !== null && typeof c === 'object' && Object.hasOwn(c, seg)) next.push((c as Json)[seg]);
    }
    current = next;
  }
  return current.flat(Infinity).filter((v) => v !== null && v !== undefined && typeof v !== 'object');
}

export function values(doc: Doc, field: string): Scalar[] {
  if (field === '_id') return [doc._id];
  if (field.endsWith('.keyword')) {
    return leaves(doc._source, field.slice(0, -8).split('.')).filter(
      (v): v is string => typeof v === 'string' && v.length <= 256,
    );
  }
  const out = leaves(doc._source, field.split('.')) as Scalar[];
  // Dates (oip.indexedAt) compare as epoch millis.
  if (field === 'oip.indexedAt') return out.map((v) => (typeof v === 'string' ? Date.parse(v) : v));
  return out;
}

const tokens = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Elasticsearch's `fuzziness: AUTO`: edits allowed in a term of this many characters. */
const autoEdits = (t: string): number => (t.length <= 2 ? 0 : t.length <= 5 ? 1 : 2);

/** Edits between two words (insert, delete, substitute, swap neighbours), as Elasticsearch's fuzzy query counts them. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function wildcardRegex(pattern: string, ci: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, ci ? 'iu' : 'u');
}

function fieldClause(clause: unknown, where: string): [string, Json] {
  if (clause === null || typeof clause !== 'object') fail(where);
  const entries = Object.entries(clause as Json);
  if (entries.length !== 1) fail(`${where} with ${entries.length} fields`);
  const [field, spec] = entries[0]!;
  return [field, spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Json) : { value: spec }];
}

function sameScalar(a: Scalar, b: unknown, ci: boolean): boolean {
  if (ci && typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

export function matches(doc: Doc, query: unknown): boolean {
  if (query === null || typeof query !== 'object') fail('a non-object query');
  const entries = Object.entries(query as Json);
  if (entries.length !== 1) fail(`a query object with keys ${entries.map((e) => e[0]).join(',')}`);
  const [kind, body] = entries[0]! as [string, Json];
  switch (kind) {
    case 'match_all':
      only(body, [], 'match_all');
      return true;
    case 'ids':
      only(body, ['values'], 'ids');
      return asArray(body['values']).includes(doc._id);
    case 'bool': {
      only(body, ['filter', 'must', 'should', 'must_not', 'minimum_should_match'], 'bool');
      const must = [...asArray(body['filter']), ...asArray(body['must'])];
      const should = asArray(body['should']);
      const msm = body['minimum_should_match'] ?? (should.length > 0 && must.length === 0 ? 1 : 0);
      if (typeof msm !== 'number') fail('a non-numeric minimum_should_match');
      // Every branch is evaluated (no short-circuit), so an unsupported clause anywhere fails.
      const mustOk = must.map((q) => matches(doc, q)).every(Boolean);
      const notOk = asArray(body['must_not'])
        .map((q) => matches(doc, q))
        .some(Boolean);
      const shouldHits = should.map((q) => matches(doc, q)).filter(Boolean).length;
      return mustOk && !notOk && shouldHits >= msm;
    }
    case 'term': {
      const [field, spec] = fieldClause(body, 'term');
      only(spec, ['value', 'case_insensitive'], 'term');
      return values(doc, field).some((v) => sameScalar(v, spec['value'], spec['case_insensitive'] === true));
    }
    case 'terms': {
      const [field, spec] = fieldClause(body, 'terms');
      const wanted = spec['value'];
      if (!Array.isArray(wanted)) fail('terms without an array');
      return values(doc, field).some((v) => wanted.includes(v));
    }
    case 'range': {
      const [field, spec] = fieldClause(body, 'range');
      only(spec, ['gte', 'gt', 'lte', 'lt'], 'range');
      return values(doc, field).some((v) => {
        if (typeof v !== 'number') return false;
        const n = (k: string) => spec[k] as number;
        return (
          (spec['gte'] === undefined || v >= n('gte')) &&
          (spec['gt'] === undefined || v > n('gt')) &&
          (spec['lte'] === undefined || v <= n('lte')) &&
          (spec['lt'] === undefined || v < n('lt'))
        );
      });
    }
    case 'exists':
      only(body, ['field'], 'exists');
      return values(doc, String(body['field'])).length > 0;
    case 'prefix': {
      const [field, spec] = fieldClause(body, 'prefix');
      only(spec, ['value', 'case_insensitive'], 'prefix');
      const p = String(spec['value']);
      const ci = spec['case_insensitive'] === true;
      return values(doc, field).some(
        (v) => typeof v === 'string' && (ci ? v.toLowerCase().startsWith(p.toLowerCase()) : v.startsWith(p)),
      );
    }
    case 'wildcard': {
      const [field, spec] = fieldClause(body, 'wildcard');
      only(spec, ['value', 'case_insensitive'], 'wildcard');
      const re = wildcardRegex(String(spec['value']), spec['case_insensitive'] === true);
      return values(doc, field).some((v) => typeof v === 'string' && re.test(v));
    }
    case 'multi_match': {
      only(body, ['query', 'type', 'fields', 'operator', 'fuzziness'], 'multi_match');
      const fuzzy = body['fuzziness'] !== undefined;
      if (fuzzy ? body['fuzziness'] !== 'AUTO' || body['type'] !== undefined : body['type'] !== 'cross_fields')
        fail(`multi_match type ${String(body['type'])} fuzziness ${String(body['fuzziness'])}`);
      const have = new Set(
        asArray(body['fields']).flatMap((f) => values(doc, String(f)).flatMap((v) => tokens(String(v)))),
      );
      const found = (t: string): boolean =>
        have.has(t) || (fuzzy && [...have].some((h) => editDistance(t, h) <= autoEdits(t)));
      const want = tokens(String(body['query']));
      return body['operator'] === 'or' ? want.some(found) : want.every(found);
    }
    default:
      return fail(`query ${kind}`);
  }
}

export type SortSpec = { field: string; order: 'asc' | 'desc' };

export function sortSpecs(sort: unknown): SortSpec[] {
  return asArray(sort).map((s) => {
    const [field, spec] = fieldClause(s, 'sort');
    only(spec, ['order', 'missing', 'unmapped_type'], 'sort');
    if (spec['missing'] !== undefined && spec['missing'] !== '_last') fail(`sort missing ${String(spec['missing'])}`);
    return { field, order: spec['order'] === 'desc' ? 'desc' : 'asc' };
  });
}

function sortKey(doc: Doc, s: SortSpec): Scalar | undefined {
  const vs = values(doc, s.field);
  if (vs.length === 0) return undefined;
  return vs.reduce((a, b) => ((s.order === 'asc' ? b < a : b > a) ? b : a));
}

export function compare(specs: SortSpec[]): (a: Doc, b: Doc) => number {
  return (a, b) => {
    for (const s of specs) {
      const va = sortKey(a, s);
      const vb = sortKey(b, s);
      if (va === vb) continue;
      if (va === undefined) return 1;
      if (vb === undefined) return -1;
      const c = va < vb ? -1 : 1;
      return s.order === 'asc' ? c : -c;
    }
    return 0;
  };
}

export function project(source: Json, includes: unknown): Json | undefined {
  if (includes === undefined || includes === true) return source;
  if (includes === false) return undefined;
  const out: Json = {};
  for (const path of asArray(includes).map(String)) {
    const segs = path.split('.');
    let from: unknown = source;
    for (const s of segs) from = from !== null && typeof from === 'object' ? (from as Json)[s] : undefined;
    if (from === undefined) continue;
    let to = out;
    for (const s of segs.slice(0, -1)) to = (to[s] ??= {}) as Json;
    to[segs.at(-1)!] = from;
  }
  return out;
}

export function aggregate(docs: Doc[], aggs: unknown): Json {
  const out: Json = {};
  for (const [name, def] of Object.entries((aggs ?? {}) as Json)) {
    const [kind, spec] = fieldClause(def, `aggs.${name}`);
    const field = String(spec['field']);
    const counts = new Map<Scalar, number>();
    for (const d of docs) for (const v of new Set(values(d, field))) counts.set(v, (counts.get(v) ?? 0) + 1);
    if (kind === 'cardinality') {
      only(spec, ['field', 'precision_threshold'], 'cardinality');
      out[name] = { value: counts.size };
    } else if (kind === 'terms') {
      only(spec, ['field', 'size', 'order'], 'terms agg');
      const order = JSON.stringify(spec['order'] ?? [{ _count: 'desc' }, { _key: 'asc' }]);
      if (order !== JSON.stringify([{ _count: 'desc' }, { _key: 'asc' }])) fail(`terms agg order ${order}`);
      const buckets = [...counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, Number(spec['size'] ?? 10))
        .map(([key, doc_count]) => ({ key, doc_count }));
      out[name] = { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets };
    } else fail(`aggregation ${kind}`);
  }
  return out;
}
