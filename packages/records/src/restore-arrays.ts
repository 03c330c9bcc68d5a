// Legacy publishers run every record through convertArraysForGUN before the put (GUN cannot hold
// arrays), so arrays arrive as their JSON text. This undoes it exactly as the legacy consumer
// (processRecordForElasticsearch) does, so what we index matches what a legacy node indexes:
// a string that starts with `[`, ends with `]` and JSON.parses to an array becomes that array
// (its elements are kept as parsed, not walked again); objects are walked; anything else,
// `"[bracketed] step"` or `"[not, json"` included, stays as it is.
import type { GunRecordNode } from './gun-node.js';
import { isObject } from './is-object.js';

function restoreValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    if (value.length < 2 || value[0] !== '[' || value[value.length - 1] !== ']') return value;
    try {
      const parsed: unknown = JSON.parse(value);
      return Array.isArray(parsed) ? parsed : value;
    } catch {
      return value;
    }
  }
  // The depth bound only guards the stack: validated records are a few levels deep.
  if (isObject(value) && depth < 64) {
    // Null-prototype: a peer's own `__proto__` key (JSON.parse keeps one) stays a key instead of
    // becoming this object's prototype (its fields would then read as the record's own).
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[k] = restoreValue(v, depth + 1);
    return out;
  }
  return value;
}

/** `data` with legacy JSON-string arrays turned back into arrays; a new object, the input is untouched. */
export function restoreGunArrays<T>(data: T): T {
  return restoreValue(data, 0) as T;
}

/** The record with `data`'s legacy JSON-string arrays restored (a record without object data as it is). */
export function restoreRecord(record: GunRecordNode): GunRecordNode {
  if (!isObject(record.data)) return record;
  return { ...record, data: restoreGunArrays(record.data) };
}
