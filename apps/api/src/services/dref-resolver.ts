// dref resolution for a page of records, level by level: all drefs of one depth level are looked
// up in ONE store query (getMany); only `did:gun:` drefs the store lacks go to the relay, and only
// once per request. The tree built here is the reply: nothing of it is kept after the request
// (seed 002: the legacy node made 61 lookups / 183 relay requests for one workout at depth 2 and
// held the resolved tree long after the reply).
import type { OipRecord } from '@oip/record-store';
import { ResolveLimitError } from '../errors.js';
import { isObject } from '@oip/records';
import { fieldSelection, type FieldSelection } from './field-selection.js';

const DID = /^did:[a-z]+:./;

export interface DrefResolverDeps {
  /**
   * One store round trip for any number of DIDs. The records returned are the resolver's to
   * modify (both stores parse them fresh for each call), so the first use of one is not copied.
   */
  getMany(dids: readonly string[]): Promise<Map<string, OipRecord>>;
  /** Looks up `did:gun:` DIDs the store lacks (relay), fresh records as getMany; never called with an empty list. */
  fetchMissing?(dids: readonly string[]): Promise<Map<string, OipRecord>>;
}

export interface ResolveOptions {
  /** Levels to resolve (0 = none). */
  depth: number;
  /** Most referenced records substituted for one request (all levels together). */
  maxNodes: number;
  /**
   * Only these dref fields are resolved, in legacy's forms (field-selection.ts): `data.workout.exercise`,
   * `workout.exercise`, a category `data.workout` or `workout`; all when absent.
   */
  fieldNames?: readonly string[];
  /** The deepest level is replaced by the referenced record's `basic.name`. */
  namesOnly?: boolean;
}

export interface ResolveStats {
  storeQueries: number;
  relayLookups: number;
  resolved: number;
}

interface Slot {
  holder: Record<string, unknown> | unknown[];
  key: string | number;
  did: string;
  /** DIDs from the page record down to the holder: a dref to one of them is a cycle. */
  path: ReadonlySet<string>;
}

/** The legacy stub for a record already on the current path. */
function circularStub(rec: OipRecord): Record<string, unknown> {
  return { oip: rec.oip, data: { basic: rec.data.basic ?? {} }, _circular: true };
}

/** The dref slots of one record copy: `data.<category>.<field>` holding a DID or an array with DIDs. */
function slotsOf(rec: Record<string, unknown>, path: ReadonlySet<string>, selected: FieldSelection | null): Slot[] {
  const out: Slot[] = [];
  const data = rec.data;
  if (!isObject(data)) return out;
  for (const [category, fields] of Object.entries(data)) {
    if (!isObject(fields)) continue;
    for (const [field, value] of Object.entries(fields)) {
      if (selected && !selected(category, field)) continue;
      if (typeof value === 'string' && DID.test(value)) out.push({ holder: fields, key: field, did: value, path });
      else if (Array.isArray(value)) {
        value.forEach((v, i) => {
          if (typeof v === 'string' && DID.test(v)) out.push({ holder: value, key: i, did: v, path });
        });
      }
    }
  }
  return out;
}

const set = (s: Slot, v: unknown): void => {
  (s.holder as Record<string | number, unknown>)[s.key] = v;
};

/**
 * Returns `records` with drefs substituted up to `opts.depth` levels, and what it cost. The
 * records are modified in place (pass copies: both stores return fresh objects for every read);
 * unresolvable drefs stay strings.
 */
export async function resolveDrefs(
  records: readonly OipRecord[],
  opts: ResolveOptions,
  deps: DrefResolverDeps,
): Promise<{ records: OipRecord[]; stats: ResolveStats }> {
  const stats: ResolveStats = { storeQueries: 0, relayLookups: 0, resolved: 0 };
  // The page records, like getMany's, are the caller's fresh copies from the store: substituted in place.
  const out = [...records];
  if (opts.depth <= 0 || out.length === 0) return { records: out, stats };
  const selected = fieldSelection(opts.fieldNames);
  let slots = out.flatMap((r) => slotsOf(r as unknown as Record<string, unknown>, new Set([r.oip.did]), selected));
  const relayMisses = new Set<string>();

  for (let level = 1; level <= opts.depth && slots.length > 0; level++) {
    const wanted = [...new Set(slots.map((s) => s.did))];
    const found = await deps.getMany(wanted);
    stats.storeQueries++;
    const missing = wanted.filter((d) => !found.has(d) && d.startsWith('did:gun:') && !relayMisses.has(d));
    if (missing.length > 0 && deps.fetchMissing) {
      const fetched = await deps.fetchMissing(missing);
      stats.relayLookups += missing.length;
      for (const d of missing) {
        const rec = fetched.get(d);
        if (rec) found.set(d, rec);
        else relayMisses.add(d);
      }
    }
    const next: Slot[] = [];
    const deepest = level === opts.depth;
    // A record referenced from several slots is copied for every use after the first.
    const used = new Set<string>();
    for (const s of slots) {
      const rec = found.get(s.did);
      if (!rec) continue;
      if (s.path.has(s.did)) {
        set(s, circularStub(rec));
        continue;
      }
      if (++stats.resolved > opts.maxNodes) throw new ResolveLimitError(opts.maxNodes);
      if (deepest && opts.namesOnly) {
        const name = rec.data.basic?.name;
        set(s, typeof name === 'string' ? name : s.did);
        continue;
      }
      const copy = (used.has(s.did) ? structuredClone(rec) : rec) as unknown as Record<string, unknown>;
      used.add(s.did);
      set(s, copy);
      if (!deepest) next.push(...slotsOf(copy, new Set([...s.path, s.did]), selected));
    }
    slots = next;
  }
  return { records: out, stats };
}
