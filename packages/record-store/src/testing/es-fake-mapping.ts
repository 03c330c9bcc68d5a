// The mapping side of the in-memory Elasticsearch (es-fake.ts): dynamic mapping on index, with
// the bulk item errors real ES answers, word for word (ES 8/9 texts):
//
// - a float into a long field: `illegal_argument_exception` "mapper [p] cannot be changed from
//   type [long] to [float]". Real ES coerces a float into a settled long field; seed 000's error
//   came from concurrent dynamic-mapping updates, which this deterministic model stands for (the
//   store's guard models it the same way).
// - an object into a concrete field: `document_parsing_exception` "[1:N] failed to parse field
//   [p] of type [text] in document with id 'ID'. Preview of field's value: '{k=v}'", caused by
//   `illegal_state_exception` "Can't get text on a START_OBJECT at 1:N".
// - a concrete value into an object field: "[1:N] object mapping for [p] tried to parse field
//   [k] as object, but found a concrete value".
// - a non-numeric string into a number field, a non-boolean into a boolean field, a bad date.
// Put-mapping adds fields and refuses type changes as ES does.
import type { Json } from './es-fake-query.js';
import { isObject } from '@oip/records';

export interface MappingNode {
  type?: string;
  properties?: Record<string, MappingNode>;
  [key: string]: unknown;
}

export interface IndexMappings {
  properties: Record<string, MappingNode>;
  date_detection?: boolean;
  [key: string]: unknown;
}

export interface ItemError {
  type: string;
  reason: string;
  caused_by?: { type: string; reason: string };
}

const INTEGERS = new Set(['long', 'integer', 'short', 'byte', 'unsigned_long']);
const FLOATS = new Set(['float', 'double', 'half_float', 'scaled_float']);
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}(?::\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const isObjectNode = (n: MappingNode): boolean => n.type === undefined || n.type === 'object' || n.type === 'nested';

/** ES's preview of a value: Java's Map/List toString for objects. */
function preview(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(preview).join(', ')}]`;
  if (isObject(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}=${preview(x)}`)
      .join(', ')}}`;
  return String(v);
}

class Rejected extends Error {
  constructor(readonly item: ItemError) {
    super(item.reason);
  }
}

function parseFailure(
  path: string,
  type: string,
  id: string,
  col: number,
  value: unknown,
  cause: { type: string; reason: string },
): never {
  throw new Rejected({
    type: 'document_parsing_exception',
    reason: `[1:${col}] failed to parse field [${path}] of type [${type}] in document with id '${id}'. Preview of field's value: '${preview(value)}'`,
    caused_by: cause,
  });
}

function newField(value: unknown, dateDetection: boolean): MappingNode {
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'long' : 'float' };
  if (typeof value === 'boolean') return { type: 'boolean' };
  const s = String(value);
  if (dateDetection && ISO.test(s) && Number.isFinite(Date.parse(s))) return { type: 'date' };
  return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
}

interface Walk {
  id: string;
  json: string;
  dateDetection: boolean;
  /** Fields this document created: within one document long and float unify to float. */
  created: Set<MappingNode>;
}

function col(w: Walk, key: string): number {
  return Math.max(1, w.json.indexOf(`"${key}"`) + key.length + 3);
}

function checkScalar(w: Walk, node: MappingNode, path: string, key: string, value: unknown): void {
  const type = node.type!;
  const c = col(w, key);
  if (INTEGERS.has(type)) {
    if (typeof value === 'number' && !Number.isInteger(value)) {
      if (w.created.has(node)) {
        node.type = 'float';
        return;
      }
      throw new Rejected({
        type: 'illegal_argument_exception',
        reason: `mapper [${path}] cannot be changed from type [${type}] to [float]`,
      });
    }
    if (typeof value === 'boolean')
      parseFailure(path, type, w.id, c, value, {
        type: 'illegal_argument_exception',
        reason: 'Current token (VALUE_TRUE) not numeric, can not use numeric value accessors',
      });
    if (typeof value === 'string' && !/^-?\d+$/.test(value.trim()))
      parseFailure(path, type, w.id, c, value, {
        type: 'illegal_argument_exception',
        reason: `For input string: "${value}"`,
      });
  } else if (FLOATS.has(type)) {
    if (typeof value === 'boolean')
      parseFailure(path, type, w.id, c, value, {
        type: 'illegal_argument_exception',
        reason: 'Current token (VALUE_TRUE) not numeric, can not use numeric value accessors',
      });
    if (typeof value === 'string' && !Number.isFinite(Number(value)))
      parseFailure(path, type, w.id, c, value, {
        type: 'number_format_exception',
        reason: `For input string: "${value}"`,
      });
  } else if (type === 'boolean') {
    if (!(typeof value === 'boolean' || value === 'true' || value === 'false')) {
      parseFailure(path, type, w.id, c, value, {
        type: 'illegal_argument_exception',
        reason: `Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`,
      });
    }
  } else if (type === 'date') {
    if (typeof value === 'string' ? !Number.isFinite(Date.parse(value)) : typeof value !== 'number') {
      parseFailure(path, type, w.id, c, value, {
        type: 'illegal_argument_exception',
        reason: `failed to parse date field [${String(value)}] with format [strict_date_optional_time||epoch_millis]`,
      });
    }
  }
  // text, keyword and the rest take any scalar.
}

function walk(w: Walk, props: Record<string, MappingNode>, obj: Json, prefix: string): void {
  for (const [key, raw] of Object.entries(obj)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    for (const value of Array.isArray(raw) ? raw.flat(Infinity) : [raw]) {
      if (value === null || value === undefined) continue;
      let node = props[key];
      if (isObject(value)) {
        if (node === undefined) {
          node = props[key] = { properties: {} };
          w.created.add(node);
        } else if (!isObjectNode(node)) {
          const c = col(w, key);
          parseFailure(path, node.type!, w.id, c, value, {
            type: 'illegal_state_exception',
            reason: `Can't get text on a START_OBJECT at 1:${c}`,
          });
        }
        walk(w, (node.properties ??= {}), value, path);
        continue;
      }
      if (node === undefined) {
        node = props[key] = newField(value, w.dateDetection);
        w.created.add(node);
        continue;
      }
      if (isObjectNode(node)) {
        throw new Rejected({
          type: 'document_parsing_exception',
          reason: `[1:${col(w, key)}] object mapping for [${path}] tried to parse field [${key}] as object, but found a concrete value`,
        });
      }
      checkScalar(w, node, path, key, value);
    }
  }
}

/**
 * Indexes `doc` into `mappings` the way dynamic mapping does: new fields are added, a conflict
 * is the item error ES gives and leaves the mapping unchanged.
 */
export function applyDynamicMapping(mappings: IndexMappings, doc: Json, id: string): ItemError | null {
  const props = structuredClone(mappings.properties);
  try {
    walk(
      { id, json: JSON.stringify(doc), dateDetection: mappings.date_detection !== false, created: new Set() },
      props,
      doc,
      '',
    );
  } catch (err) {
    if (err instanceof Rejected) return err.item;
    throw err;
  }
  mappings.properties = props;
  return null;
}

/** Put-mapping: merges `properties`; a type change is refused with ES's error. */
export function putMapping(mappings: IndexMappings, properties: Record<string, MappingNode>): ItemError | null {
  const merged = structuredClone(mappings.properties);
  const merge = (
    into: Record<string, MappingNode>,
    from: Record<string, MappingNode>,
    prefix: string,
  ): ItemError | null => {
    for (const [key, node] of Object.entries(from)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      const old = into[key];
      if (old === undefined) {
        into[key] = structuredClone(node);
        continue;
      }
      const oldType = old.type ?? 'object';
      const newType = node.type ?? 'object';
      if (oldType !== newType)
        return {
          type: 'illegal_argument_exception',
          reason: `mapper [${path}] cannot be changed from type [${oldType}] to [${newType}]`,
        };
      if (node.properties !== undefined) {
        const err = merge((old.properties ??= {}), node.properties, path);
        if (err !== null) return err;
      }
    }
    return null;
  };
  const err = merge(merged, properties, '');
  if (err === null) mappings.properties = merged;
  return err;
}
