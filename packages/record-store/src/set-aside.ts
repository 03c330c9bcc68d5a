// Degraded indexing: a record whose only problems are fields that conflict with the store's
// fixed types is stored with those fields set aside instead of being dropped. The set-aside
// values are kept in the document as one JSON string under `meta.setAside` (unindexed: the ES
// adapter maps it `index: false`, SQLite indexes nothing under meta), the record is flagged
// `oip.degraded: [paths]`, and every other field stays searchable. Readers put the values back
// with restoreSetAside(); a later widening plus a replay stores the record whole.
import type { OipRecord } from './types.js';
import { isObject } from '@oip/records';

/** Key under `meta` holding the set-aside values as a JSON string `{ "<path>": value }`. */
export const SET_ASIDE_FIELD = 'setAside';
/** Key under `oip` listing the conflicting paths of a degraded record. */
export const DEGRADED_FIELD = 'degraded';
/** Most fields one record may have set aside before it is dead-lettered instead. */
export const MAX_SET_ASIDE_PATHS = 16;

type Json = Record<string, unknown>;

/**
 * Removes the value at `path` from `root` (mutating it). A path through an array of objects is
 * set aside at the array (its elements cannot be split), so the removed path may be a prefix of
 * `path`. Returns what was removed, or null when the path holds nothing.
 */
function removeAt(root: Json, path: string): { path: string; value: unknown } | null {
  const segs = path.split('.');
  let node: Json = root;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (!Object.hasOwn(node, seg)) return null;
    const value = node[seg];
    if (i === segs.length - 1 || !isObject(value)) {
      delete node[seg];
      return { path: segs.slice(0, i + 1).join('.'), value };
    }
    node = value;
  }
  return null;
}

function setAt(root: Json, path: string, value: unknown): void {
  const segs = path.split('.');
  let node = root;
  for (const seg of segs.slice(0, -1)) {
    if (!isObject(node[seg])) node[seg] = {};
    node = node[seg] as Json;
  }
  node[segs.at(-1)!] = value;
}

/** A path under `data` that cannot walk a prototype. */
function isDataPath(path: string): boolean {
  const segs = path.split('.');
  return (
    segs[0] === 'data' && segs.length >= 2 && segs.length <= 32 && !segs.some((s) => s === '' || UNSAFE_KEYS.has(s))
  );
}

/**
 * The fields that decide who may read a record (access.ts). Setting one aside would store a
 * restricted record as a public one, so a conflict there (or on a category holding one) leaves
 * the record undegraded: it is refused whole.
 */
const ACCESS_PATHS = [
  'data.accessControl',
  'data.conversationSession.is_private',
  'data.conversationSession.owner_public_key',
];
const touchesAccess = (path: string): boolean =>
  ACCESS_PATHS.some((a) => path === a || path.startsWith(`${a}.`) || a.startsWith(`${path}.`));

/** True for the paths a degraded record may set aside: its own data, never `oip`, `meta` or the fields that decide who may read it. */
export function canSetAside(path: string): boolean {
  return isDataPath(path) && !touchesAccess(path);
}

/** Keys that would reach an object's prototype when walked. */
const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * A copy of `record` with the values at `paths` moved into `meta.setAside` and `oip.degraded`
 * listing `paths` (merged with what the record already set aside). Null when a path may not be
 * set aside or holds nothing, or past MAX_SET_ASIDE_PATHS: such a record is not degraded.
 */
export function setAsideFields(record: OipRecord, paths: readonly string[]): OipRecord | null {
  const previous = parseSetAside(record);
  const degraded = new Set(
    Array.isArray(record.oip[DEGRADED_FIELD])
      ? (record.oip[DEGRADED_FIELD] as unknown[]).filter((p): p is string => typeof p === 'string')
      : [],
  );
  const copy = structuredClone(record) as OipRecord;
  if (copy.meta !== undefined) delete copy.meta[SET_ASIDE_FIELD];
  const aside: Json = { ...(previous ?? {}) };
  for (const path of paths) {
    if (!canSetAside(path)) return null;
    const removed = removeAt(copy as unknown as Json, path);
    if (removed === null) return null;
    aside[removed.path] = removed.value;
    degraded.add(path);
  }
  if (degraded.size > MAX_SET_ASIDE_PATHS) return null;
  copy.meta = { ...(copy.meta ?? {}), [SET_ASIDE_FIELD]: JSON.stringify(aside) };
  copy.oip = { ...copy.oip, [DEGRADED_FIELD]: [...degraded] };
  return copy;
}

function parseSetAside(record: OipRecord): Json | null {
  const raw = record.meta?.[SET_ASIDE_FIELD];
  if (typeof raw !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** The paths a stored record has set aside (empty for a record stored whole). */
export function degradedPaths(record: OipRecord): string[] {
  const d = record.oip?.[DEGRADED_FIELD];
  return Array.isArray(d) ? d.filter((p): p is string => typeof p === 'string') : [];
}

/**
 * The record as published: set-aside values back at their paths and `meta.setAside` removed;
 * `oip.degraded` stays, so a reader can tell the record is not searchable by those fields.
 * A record stored whole is returned as it is (same object).
 */
export function restoreSetAside(record: OipRecord): OipRecord {
  const aside = parseSetAside(record);
  if (aside === null) return record;
  const copy = structuredClone(record) as OipRecord;
  delete copy.meta![SET_ASIDE_FIELD];
  for (const [path, value] of Object.entries(aside)) {
    if (isDataPath(path)) setAt(copy as unknown as Json, path, value);
  }
  return copy;
}
