// fast-check arbitraries from a JSON schema as @fastify/swagger writes it into the OpenAPI document
// (TypeBox output: type, enum, anyOf, allOf, properties/required/additionalProperties, string
// length and pattern, number bounds, array bounds). validValue() stays inside the schema, with
// generated sizes capped so payloads stay small; invalidValue() breaks it one way at a time: wrong
// type, out of bounds, pattern or enum missed, a required key missing, an unknown or prototype key
// added, a key repeated, or a hostile value where a plain one was expected.
import fc from 'fast-check';
import {
  anyJson,
  deepNesting,
  hostileNumberToken,
  hostileString,
  hugeString,
  plainJson,
  prototypeKey,
  wrongType,
} from './hostile-values.js';
import { isJsonObject, jsonObject, type JsonTree } from './json-text.js';

/** The part of JSON schema the api's route schemas use. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
}

/** Longest generated string, array and object (beyond what the schema requires). */
const CAP = { string: 48, array: 4, extraKeys: 3 } as const;

const asTree = (v: unknown): JsonTree => (v === undefined ? null : (JSON.parse(JSON.stringify(v)) as JsonTree));

function typeOf(s: JsonSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type[0];
  if (s.type !== undefined) return s.type;
  if (s.properties !== undefined) return 'object';
  return undefined;
}

/** allOf of object schemas as one object schema (TypeBox's Intersect). */
function merged(all: JsonSchema[]): JsonSchema {
  const out: JsonSchema = { type: 'object', properties: {}, required: [] };
  for (const s of all) {
    Object.assign(out.properties!, s.properties ?? {});
    out.required!.push(...(s.required ?? []));
    if (s.additionalProperties === false) out.additionalProperties = false;
  }
  return out;
}

function validString(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.max(min, Math.min(s.maxLength ?? CAP.string, min + CAP.string));
  if (s.pattern !== undefined) {
    const re = new RegExp(s.pattern);
    return fc
      .stringMatching(re, { size: 'small' })
      .filter((x) => x.length >= min && x.length <= (s.maxLength ?? Infinity));
  }
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    fc.string({ unit: 'grapheme', minLength: min, maxLength: max }),
  );
}

function validNumber(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : Number.EPSILON) : s.minimum;
  const hi = s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : Number.EPSILON) : s.maximum;
  if (integer) return fc.integer({ min: Math.ceil(lo ?? -1_000_000), max: Math.floor(hi ?? 1_000_000) });
  return fc.double({ min: lo ?? -1e9, max: hi ?? 1e9, noNaN: true, noDefaultInfinity: true });
}

function validObject(s: JsonSchema): fc.Arbitrary<JsonTree> {
  const props = Object.entries(s.properties ?? {});
  const required = new Set(s.required ?? []);
  const fields = props.map(([k, ps]) => {
    const v = validValue(ps);
    return required.has(k)
      ? v.map((x) => [[k, x] as const])
      : fc.option(v, { nil: undefined }).map((x) => (x === undefined ? [] : [[k, x] as const]));
  });
  const extras =
    s.additionalProperties === false
      ? fc.constant([])
      : fc.array(
          fc.tuple(
            fc.string({ minLength: 1, maxLength: 12 }),
            typeof s.additionalProperties === 'object' ? validValue(s.additionalProperties) : plainJson,
          ),
          { maxLength: CAP.extraKeys },
        );
  return fc.tuple(fc.tuple(...fields), extras).map(([fs, ex]) => {
    const known = new Set(props.map(([k]) => k));
    return jsonObject([...fs.flat(), ...ex.filter(([k]) => !known.has(k))]);
  });
}

/** Values that satisfy `s` (sizes capped). */
export function validValue(s: JsonSchema): fc.Arbitrary<JsonTree> {
  if (s.const !== undefined) return fc.constant(asTree(s.const));
  if (s.enum !== undefined) return fc.constantFrom(...s.enum.map(asTree));
  if (s.anyOf ?? s.oneOf) return fc.oneof(...(s.anyOf ?? s.oneOf)!.map(validValue));
  if (s.allOf) return validValue(merged(s.allOf));
  switch (typeOf(s)) {
    case 'string':
      return validString(s);
    case 'integer':
      return validNumber(s, true);
    case 'number':
      return validNumber(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min = s.minItems ?? 0;
      return fc.array(validValue(s.items ?? {}), {
        minLength: min,
        maxLength: Math.max(min, Math.min(s.maxItems ?? CAP.array, min + CAP.array)),
      });
    }
    case 'object':
      return validObject(s);
    default:
      return plainJson;
  }
}

function outOfBounds(s: JsonSchema): fc.Arbitrary<JsonTree>[] {
  const out: fc.Arbitrary<JsonTree>[] = [];
  const t = typeOf(s);
  if (t === 'string') {
    if (s.maxLength !== undefined)
      out.push(fc.integer({ min: s.maxLength + 1, max: s.maxLength + 64 }).map((n) => 'x'.repeat(n)));
    if ((s.minLength ?? 0) > 0) out.push(fc.string({ maxLength: s.minLength! - 1 }));
    if (s.pattern !== undefined) out.push(fc.string({ maxLength: 24 }).filter((x) => !new RegExp(s.pattern!).test(x)));
  }
  if (t === 'integer' || t === 'number') {
    if (s.maximum !== undefined) out.push(fc.integer({ min: 1, max: 1_000_000 }).map((d) => s.maximum! + d));
    if (s.minimum !== undefined) out.push(fc.integer({ min: 1, max: 1_000_000 }).map((d) => s.minimum! - d));
    if (t === 'integer') out.push(fc.double({ min: -1000, max: 1000, noNaN: true, noInteger: true }));
  }
  if (t === 'array' && s.maxItems !== undefined && s.maxItems < 2000) {
    out.push(
      fc.integer({ min: s.maxItems + 1, max: s.maxItems + 3 }).map((n) => Array.from({ length: n }, () => null)),
    );
  }
  if (s.enum ?? s.anyOf) out.push(fc.oneof(fc.string({ maxLength: 16 }), hostileString));
  return out;
}

/** An object of `s` broken at the key level (missing required, unknown or prototype key, a key twice) or in one value. */
function brokenObject(s: JsonSchema, depth: number, heavy: boolean): fc.Arbitrary<JsonTree> {
  const base = validObject(s);
  const pairs = base.map((o) => (isJsonObject(o) ? o.obj : []));
  const required = s.required ?? [];
  const props = Object.entries(s.properties ?? {});
  const variants: fc.Arbitrary<JsonTree>[] = [
    fc.tuple(pairs, prototypeKey, anyJson).map(([p, k, v]) => jsonObject([...p, [k, v]])),
    fc.tuple(pairs, fc.string({ minLength: 1, maxLength: 12 }), anyJson).map(([p, k, v]) => jsonObject([...p, [k, v]])),
    pairs.filter((p) => p.length > 0).map((p) => jsonObject([...p, p[0]!])),
  ];
  if (required.length > 0)
    variants.push(
      fc.tuple(pairs, fc.constantFrom(...required)).map(([p, k]) => jsonObject(p.filter(([x]) => x !== k))),
    );
  if (props.length > 0) {
    variants.push(
      fc
        .tuple(pairs, fc.constantFrom(...props))
        .chain(([p, [k, ps]]) =>
          invalidValue(ps, depth + 1, heavy).map((bad) => jsonObject([...p.filter(([x]) => x !== k), [k, bad]])),
        ),
    );
  }
  return fc.oneof(...variants);
}

/**
 * Values that break `s`. `depth` bounds how far into nested objects the break goes; `heavy` lets a
 * small share be deep nesting or a huge string (bodies only: in a URL they would only meet the
 * header size limit).
 */
export function invalidValue(s: JsonSchema, depth = 0, heavy = false): fc.Arbitrary<JsonTree> {
  const t = s.allOf ? 'object' : typeOf(s);
  const schema = s.allOf ? merged(s.allOf) : s;
  const ways: fc.Arbitrary<JsonTree>[] = [wrongType(t), hostileString, hostileNumberToken, ...outOfBounds(schema)];
  if (t === 'object' && depth < 2) ways.push(brokenObject(schema, depth, heavy), brokenObject(schema, depth, heavy));
  if (!heavy) return fc.oneof(...ways);
  return fc.oneof(
    { weight: 20, arbitrary: fc.oneof(...ways) },
    { weight: 1, arbitrary: fc.oneof(deepNesting, hugeString) },
  );
}
