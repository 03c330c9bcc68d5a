// Requests for one documented operation. Valid ones fill the path parameters, the query and the JSON
// body from the schema (or, where the parameter or route has one, from its dictionary of meaningful
// values); invalid ones take a valid request and break it once or twice: a parameter out of its
// schema, a required one missing, an unknown, prototype-named or repeated parameter, a body that
// breaks the schema or is not JSON, a garbage content type or encoding, another method, a mangled
// path or a malformed query.
import fc from 'fast-check';
import { deletion, indexBody, login, mediaRecordBody, recordPublication, registration } from './domain-bodies.js';
import type { FuzzRequest } from './fuzz-request.js';
import { hostileString, prototypeKey } from './hostile-values.js';
import { toJsonText, toQueryText, type JsonTree } from './json-text.js';
import { operationLabel, templateSegments, type Operation, type OperationParameter } from './openapi-operations.js';
import { hintFor, localId } from './param-hints.js';
import { anyMethod, contextHeaders, garbageContentType, headerText, identity, notJsonBody } from './request-parts.js';
import { invalidValue, validValue } from './schema-values.js';

type Pairs = Array<[string, string]>;

/** Route-level values where the documented schema is loose on purpose: query pairs and a body that belong together. */
const ROUTE_VALUES: ReadonlyMap<string, fc.Arbitrary<{ query?: Pairs; body?: JsonTree }>> = new Map([
  [
    'POST /api/records/newRecord',
    fc
      .tuple(
        recordPublication,
        fc.option(localId, { nil: undefined }),
        fc.oneof({ weight: 9, arbitrary: fc.constant('gun') }, fc.constantFrom('arweave', 'irys')),
      )
      .map(([p, localId, storage]) => ({
        query: [
          ['recordType', p.recordType],
          ['storage', storage],
          ...(localId ? ([['localId', localId]] as Pairs) : []),
        ] as Pairs,
        body: p.body,
      })),
  ],
  ['POST /api/user/register', registration.map((body) => ({ body }))],
  ['POST /api/user/login', login.map((body) => ({ body }))],
  ['POST /api/records/deleteRecord', deletion.map((body) => ({ body }))],
  ['POST /api/records/index', indexBody.map((body) => ({ body }))],
  ['POST /api/media/createRecord', mediaRecordBody.map((body) => ({ body }))],
]);

function paramValue(p: OperationParameter): fc.Arbitrary<string> {
  const fromSchema = validValue(p.schema).map(toQueryText);
  const hint = hintFor(p.name);
  return hint ? fc.oneof({ weight: 3, arbitrary: hint }, fromSchema) : fromSchema;
}

function validRequest(op: Operation): fc.Arbitrary<FuzzRequest> {
  const label = operationLabel(op);
  const segments = fc.tuple(
    ...templateSegments(op.path).map((s) => {
      if (typeof s === 'string') return fc.constant(s);
      const p = op.parameters.find((x) => x.in === 'path' && x.name === s.param);
      return p ? paramValue(p) : fc.string({ minLength: 1, maxLength: 12 });
    }),
  );
  // Optional parameters are sparse (a few of the records routes' 37 at a time), so one bad value
  // does not decide every answer.
  const optional = (p: OperationParameter) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constant<Pairs>([]) },
      { weight: 1, arbitrary: paramValue(p).map((v): Pairs => [[p.name, v]]) },
    );
  const query = fc
    .tuple(
      ...op.parameters
        .filter((p) => p.in === 'query')
        .map((p) => (p.required ? paramValue(p).map((v): Pairs => [[p.name, v]]) : optional(p))),
    )
    .map((xs) => xs.flat());
  const fromSchema = fc.record({ query, body: op.body ? validValue(op.body) : fc.constant(undefined) });
  const special = ROUTE_VALUES.get(label);
  const values = special
    ? fc.oneof(
        {
          weight: 3,
          arbitrary: fc
            .tuple(fromSchema, special)
            .map(([a, b]) => ({ query: mergePairs(a.query, b.query ?? []), body: b.body ?? a.body })),
        },
        fromSchema,
      )
    : fromSchema;
  return fc
    .record({ segments, values, who: identity, context: contextHeaders })
    .map(({ segments: segs, values: v, who, context }) => {
      const headers: Record<string, string> = { ...context };
      if (v.body !== undefined) headers['content-type'] = 'application/json';
      return {
        route: label,
        kind: 'valid',
        method: op.method,
        segments: segs,
        query: v.query,
        ...who,
        headers,
        ...(v.body !== undefined ? { body: toJsonText(v.body) } : {}),
      };
    });
}

/** `base` with the names of `over` replaced by its pairs. */
function mergePairs(base: Pairs, over: Pairs): Pairs {
  const names = new Set(over.map(([k]) => k));
  return [...base.filter(([k]) => !names.has(k)), ...over];
}

const RAW_QUERIES = [
  '%',
  '%zz',
  '%C0%AF',
  '%E0%A4%A',
  '&&&',
  '=',
  '==',
  'a[b]=1',
  'a[__proto__][x]=1',
  '__proto__[isAdmin]=true',
  'constructor[prototype][x]=1',
  'limit',
  'limit=1&limit=2',
  'x=%00',
];

/** Ways to break a valid request of `op`. */
function breaks(op: Operation, r: FuzzRequest): fc.Arbitrary<FuzzRequest>[] {
  const params = op.parameters.filter((p) => p.in === 'query' || p.in === 'path');
  const template = templateSegments(op.path);
  const ways: fc.Arbitrary<FuzzRequest>[] = [
    fc
      .tuple(
        fc.oneof(prototypeKey, fc.string({ minLength: 1, maxLength: 12 }), hostileString),
        fc.oneof(fc.string({ maxLength: 12 }), hostileString),
      )
      .map(([k, v]) => ({ ...r, query: [...r.query, [k, v]] })),
    fc.constantFrom(...RAW_QUERIES).map((q) => ({ ...r, rawQuery: q })),
    anyMethod.filter((m) => m !== op.method).map((method) => ({ ...r, method })),
    fc.constantFrom('trailing', 'double', 'extra', 'dots').map((how) => ({ ...r, segments: mangle(r.segments, how) })),
    fc
      .tuple(garbageContentType, fc.oneof(notJsonBody, fc.constant(r.body ?? '{}')))
      .map(([ct, body]) => ({ ...r, headers: { ...r.headers, 'content-type': ct }, body })),
    notJsonBody.map((body) => ({ ...r, headers: { ...r.headers, 'content-type': 'application/json' }, body })),
    fc.constantFrom('gzip', 'br', 'deflate', 'x-unknown').map((enc) => ({
      ...r,
      headers: { ...r.headers, 'content-type': 'application/json', 'content-encoding': enc },
      body: r.body ?? '{}',
    })),
    headerText(30).map((accept) => ({ ...r, headers: { ...r.headers, accept } })),
  ];
  if (params.length > 0) {
    ways.push(
      fc.constantFrom(...params).chain((p) =>
        invalidValue(p.schema).map((bad) => {
          const text = toQueryText(bad);
          if (p.in === 'query')
            return { ...r, query: [...r.query.filter(([k]) => k !== p.name), [p.name, text] as [string, string]] };
          const i = template.findIndex((s) => typeof s !== 'string' && s.param === p.name);
          return { ...r, segments: r.segments.map((s, j) => (j === i ? text : s)) };
        }),
      ),
    );
  }
  if (r.query.length > 0) {
    ways.push(
      fc
        .tuple(fc.nat({ max: r.query.length - 1 }), fc.oneof(fc.string({ maxLength: 12 }), hostileString))
        .map(([i, v]) => ({ ...r, query: [...r.query, [r.query[i]![0], v]] })),
    );
    ways.push(fc.nat({ max: r.query.length - 1 }).map((i) => ({ ...r, query: r.query.filter((_, j) => j !== i) })));
  }
  if (op.body) {
    const schema = op.body;
    ways.push(
      invalidValue(schema, 0, true).map((bad) => ({
        ...r,
        headers: { ...r.headers, 'content-type': 'application/json' },
        body: toJsonText(bad),
      })),
    );
    ways.push(
      fc.constant({
        ...r,
        headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => k !== 'content-type')),
        body: undefined,
      } as FuzzRequest),
    );
  }
  return ways;
}

function mangle(segments: string[], how: string): string[] {
  if (how === 'trailing') return [...segments, ''];
  if (how === 'double') return ['', ...segments];
  if (how === 'extra') return [...segments, 'extra'];
  return [...segments.slice(0, -1), '..', ...segments.slice(-1)];
}

/** Requests for `op`: valid ones and ones broken once or twice, in equal shares. */
export function operationRequests(op: Operation): fc.Arbitrary<FuzzRequest> {
  const valid = validRequest(op);
  const broken = valid
    .chain((r) => fc.oneof(...breaks(op, r)))
    .chain((r) => fc.oneof({ weight: 3, arbitrary: fc.constant(r) }, fc.oneof(...breaks(op, r))))
    .map((r): FuzzRequest => ({ ...r, kind: 'invalid' }));
  return fc.oneof(valid, broken);
}
