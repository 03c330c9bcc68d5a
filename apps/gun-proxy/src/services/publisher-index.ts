// The publisher index, persisted in GUN like the legacy relay's (`index:<publisherHash>` maps
// soul → { recordType, storedAt }, here as a JSON string so an entry is one key, not a child node)
// plus one soul per record type (`index:<publisherHash>:type:<t>` maps soul → storedAt) so a
// filtered page is one ordered range read. Memory holds only a bounded
// LRU of soul → recordType (to retract a soul from its old type list when its type changes);
// the legacy relay kept every record body of every publisher in a Map forever (seed 001).
import { LRUCache } from 'lru-cache';
import { publisherIndexSoul } from '@oip/records';
import type { GraphStore } from '../gun/graph-store.js';
import { encodeInto, type Graph } from './node-codec.js';

/** The publisher hash of a record soul: the part before the first `:`; null if there is none. */
export function publisherOfSoul(soul: string): string | null {
  const i = soul.indexOf(':');
  if (i <= 0) return null;
  const p = soul.slice(0, i);
  return p.includes('/') ? null : p;
}

export const publisherTypeIndexSoul = (publisher: string, recordType: string): string =>
  `index:${publisher}:type:${recordType}`;

export interface IndexedEntry {
  soul: string;
  recordType: string | null;
  storedAt: number | null;
}

const NONE = '\u0000none';

/** An `index:<publisher>` value: a JSON string here; a link or object from older writers. */
function parseEntry(value: unknown): { recordType: string | null; storedAt: number | null } {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      v = undefined;
    }
  }
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  return {
    recordType: typeof o.recordType === 'string' ? o.recordType : null,
    storedAt: typeof o.storedAt === 'number' ? o.storedAt : null,
  };
}

export class PublisherIndex {
  readonly #types: LRUCache<string, string>;

  constructor(
    readonly store: GraphStore,
    lruSize: number,
  ) {
    this.#types = new LRUCache({ max: lruSize });
  }

  get cachedEntries(): number {
    return this.#types.size;
  }

  /** The recordType a soul is indexed under now (LRU, else the persisted child node). */
  #currentType(publisher: string, soul: string): string | null | undefined {
    const cached = this.#types.get(soul);
    if (cached !== undefined) return cached === NONE ? null : cached;
    const node = this.store.readNode(publisherIndexSoul(publisher), soul);
    if (!node) return undefined;
    return parseEntry(node[soul]).recordType;
  }

  /**
   * Adds the index writes for a stored record to `graph` (so they commit with the record in one
   * GUN put). Retracts the soul from its previous type list when the type changed.
   */
  addToGraph(graph: Graph, soul: string, recordType: string | null, storedAt: number, state: number): void {
    const publisher = publisherOfSoul(soul);
    if (!publisher) return;
    const before = this.#currentType(publisher, soul);
    encodeInto(graph, publisherIndexSoul(publisher), { [soul]: JSON.stringify({ recordType, storedAt }) }, state);
    if (recordType) encodeInto(graph, publisherTypeIndexSoul(publisher, recordType), { [soul]: storedAt }, state);
    if (before && before !== recordType)
      encodeInto(graph, publisherTypeIndexSoul(publisher, before), { [soul]: null }, state);
    this.#types.set(soul, recordType ?? NONE);
  }

  /** One page of a publisher's index, ordered by soul, after the recordType filter. */
  page(publisher: string, recordType: string | undefined, limit: number, offset: number): IndexedEntry[] {
    if (limit <= 0) return [];
    if (recordType) {
      return this.store.pageKeys(publisherTypeIndexSoul(publisher, recordType), limit, offset).map((r) => ({
        soul: r.key,
        recordType,
        storedAt: typeof r.value === 'number' ? r.value : null,
      }));
    }
    return this.store
      .pageKeys(publisherIndexSoul(publisher), limit, offset)
      .map((r) => ({ soul: r.key, ...parseEntry(r.value) }));
  }
}
