// JSON ⇄ GUN graph, the way the legacy relay's `gun.get(soul).put(data)` laid data out: nested
// objects become child nodes at `<soul>/<key>` linked by `{ '#': childSoul }`; arrays (which GUN
// cannot hold) become JSON strings; a record's `data` and `oip` are stored as JSON strings.
import type { GraphStore, GunNodeWithMeta, GunValue } from '../gun/graph-store.js';
import { NumberNotFiniteError, ReservedNameError, ValidationError } from '../errors.js';
import { keyProblem, reservedKeyProblem, reservedSoulProblem, isObject } from '@oip/records';

export type Graph = Record<string, GunNodeWithMeta>;

/**
 * A graph under construction. Null-prototype, like every object here keyed by a soul or a key
 * from input: `graph['__proto__']` on an ordinary object is Object.prototype itself.
 */
export const newGraph = (): Graph => Object.create(null) as Graph;

/** An empty GUN node for `soul`, null-prototype all the way down (node, `_`, states). */
export function newNode(soul: string): GunNodeWithMeta {
  const node = Object.create(null) as GunNodeWithMeta;
  const meta = Object.create(null) as GunNodeWithMeta['_'];
  meta['#'] = soul;
  meta['>'] = Object.create(null) as Record<string, number>;
  node._ = meta;
  return node;
}

/** Deepest nesting turned into child nodes; deeper objects are stored as JSON strings. */
const MAX_DEPTH = 6;

/** True for the legacy record shape `{ data, oip, meta? }`. */
export function isRecordShape(value: Record<string, unknown>): boolean {
  return 'data' in value && 'oip' in value && (isObject(value.oip) || typeof value.oip === 'string');
}

/** The record's type, read from `oip.recordType` (object or JSON string). */
export function recordTypeOf(value: Record<string, unknown>): string | null {
  let oip = value.oip;
  if (typeof oip === 'string') {
    try {
      oip = JSON.parse(oip) as unknown;
    } catch {
      return null;
    }
  }
  const t = isObject(oip) ? oip.recordType : undefined;
  return typeof t === 'string' && t.length > 0 ? t : null;
}

/** The record fields stored as JSON strings (and parsed back on read). */
const RECORD_JSON_KEYS = ['data', 'oip', 'meta'] as const;

/**
 * Record layout: `data` and `oip` as JSON strings (as the legacy relay stored them) and `meta`
 * too, so a record is one GUN node of three keys instead of a node plus a child node; `/get`
 * parses all three back, so HTTP clients see the legacy shape.
 */
export function toRecordLayout(value: Record<string, unknown>): Record<string, unknown> {
  const out = Object.assign(Object.create(null) as Record<string, unknown>, value);
  for (const k of RECORD_JSON_KEYS) {
    if (k === 'meta' && (out.meta === undefined || out.meta === null)) continue;
    if (typeof out[k] !== 'string') out[k] = JSON.stringify(out[k] ?? null);
  }
  return out;
}

/** Adds `value` under `soul` to `graph` (merging with nodes already there), all keys at `state`. */
export function encodeInto(
  graph: Graph,
  soul: string,
  value: Record<string, unknown>,
  state: number,
  depth = 0,
): Graph {
  const reserved = reservedSoulProblem(soul);
  if (reserved) throw new ReservedNameError(reserved);
  const node = (graph[soul] ??= newNode(soul));
  for (const [key, raw] of Object.entries(value)) {
    if (raw === undefined) continue;
    if (reservedKeyProblem(key)) throw new ReservedNameError(`${reservedKeyProblem(key)} (key of ${soul})`);
    const problem = keyProblem(key);
    if (problem) throw new ValidationError(problem);
    let v: GunValue;
    if (raw === null || typeof raw === 'string' || typeof raw === 'boolean') v = raw;
    else if (typeof raw === 'number') {
      // GUN would store null for ±Infinity/NaN: refuse rather than acknowledge a different value.
      if (!Number.isFinite(raw)) throw new NumberNotFiniteError(`"${key}" of ${soul}`);
      v = raw;
    } else if (Array.isArray(raw)) v = JSON.stringify(raw);
    else if (isObject(raw)) {
      if (typeof raw['#'] === 'string' && Object.keys(raw).length === 1) v = { '#': raw['#'] };
      else if (depth >= MAX_DEPTH) v = JSON.stringify(raw);
      else {
        const child = `${soul}/${key}`;
        encodeInto(graph, child, raw, state, depth + 1);
        v = { '#': child };
      }
    } else throw new ValidationError(`unsupported value at "${key}"`);
    node[key] = v;
    node._['>'][key] = state;
  }
  return graph;
}

export interface DecodeOptions {
  /** Child links followed below the top node. @defaultValue 3 */
  depth?: number;
  /** Most child nodes read for one decode (larger graphs keep their links). @defaultValue 2000 */
  budget?: number;
}

/**
 * Reads a node from the store with GUN metadata removed, null values (GUN deletes) dropped and
 * links to child nodes resolved (bounded by depth and a node budget). Undefined when absent/empty.
 */
export function decodeFromStore(
  store: GraphStore,
  soul: string,
  opts: DecodeOptions = {},
): Record<string, unknown> | undefined {
  const budget = { left: opts.budget ?? 2000 };
  const node = store.readNode(soul);
  if (!node) return undefined;
  const out = plain(store, node, opts.depth ?? 3, budget);
  return Object.keys(out).length > 0 ? out : undefined;
}

function plain(
  store: GraphStore,
  node: GunNodeWithMeta,
  depth: number,
  budget: { left: number },
): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(node)) {
    if (k === '_' || v === null || v === undefined) continue;
    if (isObject(v) && typeof v['#'] === 'string') {
      if (depth <= 0 || budget.left <= 0) {
        out[k] = { '#': v['#'] }; // beyond the bounds: left as a link, as the legacy relay did
        continue;
      }
      budget.left--;
      const child = store.readNode(v['#']);
      // A linked node without keys was an empty object when written.
      out[k] = child ? plain(store, child, depth - 1, budget) : {};
      continue;
    }
    out[k] = v;
  }
  return out;
}

/** Parses a record's `data`/`oip`/`meta` JSON strings back into objects (the legacy `/get` contract). */
export function parseRecordStrings(value: Record<string, unknown>): Record<string, unknown> {
  for (const k of RECORD_JSON_KEYS) {
    const v = value[k];
    if (typeof v === 'string' && (v.startsWith('{') || v.startsWith('['))) {
      try {
        value[k] = JSON.parse(v) as unknown;
      } catch {
        // a string that only looks like JSON stays a string
      }
    }
  }
  return value;
}

/** Turns strings holding JSON arrays back into arrays, recursively (media manifests). */
export function parseArrayStrings(value: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && v.startsWith('[') && v.endsWith(']')) {
      try {
        const parsed = JSON.parse(v) as unknown;
        if (Array.isArray(parsed)) value[k] = parsed;
      } catch {
        // not JSON: keep the string
      }
    } else if (isObject(v)) parseArrayStrings(v);
  }
  return value;
}
