// Follows GUN links found where a record's values were expected. A legacy relay (real GUN)
// answers a nested object of a put as a link `{ "#": "<soul>/<key>" }` instead of the object:
// a record's `meta` always, an encrypted record's `data`, and any other nested field. The value
// matters (meta.encrypted decides whether we index at all), and a link must never be stored, so
// each link is read through the record's relay client, level by level (one batch of distinct
// souls per level, bounded concurrency), under a bound on links, bytes and depth.
//
// Policy: a link whose node the relay does not answer is retried (RECORDS_ERR_LINK_UNRESOLVED is
// transient: a legacy relay answers child nodes late or after peer sync), so a record is indexed
// whole or, after its attempts, dead-lettered as exhausted; it is never stored with a link or
// with the field dropped. A record over the bound is dead-lettered at once as too large.
import { RecordsError } from './errors.js';
import { type GunNode, linkOf, stripGunMeta } from './gun-node.js';
import { mapBounded } from './map-bounded.js';

export interface LinkSource {
  getSoul(soul: string): Promise<GunNode | null>;
}

export interface LinkBounds {
  /** Links followed per record, all levels together. @defaultValue 32 */
  maxLinks?: number;
  /** JSON bytes of the nodes read per record. @defaultValue 1 MiB */
  maxBytes?: number;
  /** Levels of links inside linked nodes. @defaultValue 4 */
  maxDepth?: number;
  /** Reads in flight per record. @defaultValue 8 */
  concurrency?: number;
}

type Container = Record<string, unknown> | unknown[];
interface Slot {
  parent: Container;
  key: string | number;
  soul: string;
}

const linkBound = (why: string): RecordsError =>
  new RecordsError('RECORDS_ERR_LINK_BOUND', `record links over bound: ${why}`);

const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;
const WALK_DEPTH_MAX = 64;

/** Slots holding a link under `value` (not inside the links themselves); `_` (GUN metadata) skipped. */
function collect(value: unknown, out: Slot[], depth = 0): void {
  if (!isContainer(value) || depth > WALK_DEPTH_MAX) return;
  const entries: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  for (const [key, v] of entries) {
    if (key === '_') continue;
    const soul = linkOf(v);
    if (soul !== null) out.push({ parent: value, key, soul });
    else collect(v, out, depth + 1);
  }
}

/** True when a link shape is anywhere in `value`. */
export function hasLink(value: unknown): boolean {
  const found: Slot[] = [];
  collect(value, found);
  return found.length > 0;
}

/**
 * The record with every link replaced by the node it names (GUN metadata stripped). Returns the
 * input itself when it holds no link (the common case costs one walk, no copy).
 */
export async function resolveLinks<T extends object>(record: T, src: LinkSource, bounds: LinkBounds = {}): Promise<T> {
  const maxLinks = bounds.maxLinks ?? 32;
  const maxBytes = bounds.maxBytes ?? 1024 * 1024;
  const maxDepth = bounds.maxDepth ?? 4;
  const concurrency = bounds.concurrency ?? 8;
  let slots: Slot[] = [];
  collect(record, slots);
  if (slots.length === 0) return record;
  const root = structuredClone(record);
  slots = [];
  collect(root, slots);
  let links = 0;
  let bytes = 0;
  for (let level = 0; slots.length > 0; level++) {
    if (level >= maxDepth) throw linkBound(`links nested deeper than ${maxDepth} levels`);
    links += slots.length;
    if (links > maxLinks) throw linkBound(`more than ${maxLinks} links`);
    const souls = [...new Set(slots.map((s) => s.soul))];
    const nodes = await mapBounded(souls, concurrency, (s) => src.getSoul(s));
    const bySoul = new Map<string, GunNode>();
    souls.forEach((soul, i) => {
      const node = nodes[i];
      if (!node) throw new RecordsError('RECORDS_ERR_LINK_UNRESOLVED', `record link not resolved: ${soul}`);
      bytes += JSON.stringify(node).length;
      bySoul.set(soul, stripGunMeta(node));
    });
    if (bytes > maxBytes) throw linkBound(`linked nodes over ${maxBytes} bytes`);
    const next: Slot[] = [];
    for (const slot of slots) {
      const node = structuredClone(bySoul.get(slot.soul)!);
      (slot.parent as Record<string | number, unknown>)[slot.key] = node;
      collect(node, next);
    }
    slots = next;
  }
  return root;
}
