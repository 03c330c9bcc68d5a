// A record as GUN holds it. The legacy relay keeps `data` and `oip` as JSON strings (GUN cannot
// hold arrays) and answers a nested object as a link `{ "#": "<soul>/<key>" }`; these read both.
import { isObject } from './is-object.js';

/** A GUN node as a relay's `/get` returns it, GUN internals removed. */
export type GunNode = Record<string, unknown>;

/** A record node: `data` and `oip` parsed from the JSON strings GUN holds. */
export interface GunRecordNode {
  data: unknown;
  oip: unknown;
  meta?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Drops GUN metadata (`_`) at the top level. */
export function stripGunMeta(node: GunNode): GunNode {
  if (!('_' in node)) return node;
  const { _: _meta, ...rest } = node;
  return rest;
}

/** Parses a value that may be a JSON string (how GUN holds objects and arrays). */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A record node out of a GUN node: `data`, `oip` and `meta` parsed where they are JSON text. */
export function recordFromNode(node: GunNode): GunRecordNode {
  const out: GunRecordNode = { ...node, data: parseMaybeJson(node['data']), oip: parseMaybeJson(node['oip']) };
  const meta = parseMaybeJson(node['meta']);
  if (isObject(meta)) out.meta = stripGunMeta(meta);
  return out;
}

/** The soul a value links to when it is a bare GUN link `{ "#": soul }`, else null. */
export function linkOf(value: unknown): string | null {
  if (!isObject(value) || typeof value['#'] !== 'string') return null;
  return Object.keys(value).length === 1 ? value['#'] : null;
}
