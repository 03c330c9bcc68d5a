// GUN's graph layout as the legacy relay (real GUN behind gun-relay-server) keeps it: a put of
// nested objects stores each object as its own node under `<soul>/<key>` and the parent holds a
// link `{ "#": "<soul>/<key>" }`; `/get` answers the parent with the links, not the children.
// Arrays are refused as GUN refuses them ("Invalid data: Array"), which is why legacy publishers
// run records through convertArraysForGUN first.

/** A GUN link: the only key is `#`, naming the soul the value lives at. */
export type GunLink = { '#': string };

export interface GraphNode {
  /** Field values: primitives, null (a GUN tombstone) or links. */
  fields: Record<string, unknown>;
  /** Per-field state (ms), as GUN keeps in `_['>']`. */
  states: Record<string, number>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const isLink = (v: unknown): v is GunLink =>
  isPlainObject(v) && typeof v['#'] === 'string' && Object.keys(v).length === 1;

/** The error GUN acks a put with when a value is an array. */
export class GunPutError extends Error {}

/** Souls this put would create (for the relay's soul bound), without writing anything. */
export function checkGraphPut(soul: string, value: Record<string, unknown>, path = soul): string[] {
  const created: string[] = [soul];
  for (const [key, v] of Object.entries(value)) {
    if (Array.isArray(v)) throw new GunPutError(`Invalid data: Array at ${path}.${key}`);
    if (v === undefined) throw new GunPutError(`Invalid data: undefined at ${path}.${key}`);
    if (isPlainObject(v) && !isLink(v)) created.push(...checkGraphPut(`${soul}/${key}`, v, `${path}.${key}`));
  }
  return created;
}

/** Merges `value` into `soul` the way `gun.get(soul).put(value)` does. Call checkGraphPut first. */
export function graphPut(
  nodes: Map<string, GraphNode>,
  soul: string,
  value: Record<string, unknown>,
  now: number,
): void {
  let node = nodes.get(soul);
  if (!node) nodes.set(soul, (node = { fields: {}, states: {} }));
  for (const [key, v] of Object.entries(value)) {
    if (isPlainObject(v) && !isLink(v)) {
      const child = `${soul}/${key}`;
      graphPut(nodes, child, v, now);
      node.fields[key] = { '#': child };
    } else {
      node.fields[key] = v;
    }
    node.states[key] = now;
  }
}

/**
 * A node as the legacy `/get` answers it: links stay links, tombstoned (null) fields are left
 * out, and GUN's `_` metadata is included except for a parent registry index
 * (`oip:registry:index:<type>`), which the legacy relay answers "flat". Undefined when nothing is left.
 */
export function graphGet(nodes: Map<string, GraphNode>, soul: string): Record<string, unknown> | undefined {
  const node = nodes.get(soul);
  if (!node) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node.fields))
    if (v !== null && v !== undefined) out[k] = isLink(v) ? { '#': v['#'] } : v;
  if (Object.keys(out).length === 0) return undefined;
  const parentIndex = soul.startsWith('oip:registry:index:') && soul.split(':').length === 4;
  if (parentIndex) return out;
  return { _: { '#': soul, '>': { ...node.states } }, ...out };
}
