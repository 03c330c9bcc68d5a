// In-memory model of what the legacy relay keeps in GUN, with a hard bound on souls.
// Two modes: 'default' keeps records as `{ data, oip }` JSON strings with an inline `meta` and
// merges simple souls flat (what our gun-proxy does); 'legacy' keeps GUN's graph (legacy-graph.ts):
// nested objects become child nodes that `/get` answers as links, as a real legacy relay does.
import { type GraphNode, checkGraphPut, graphGet, graphPut } from './legacy-graph.js';

const RECORD_SOUL = /^([0-9a-f]{12}):/;

export interface ListEntry {
  soul: string;
  data: unknown;
  recordType: string | undefined;
  storedAt: number;
}

export type RelayMode = 'default' | 'legacy';

export class RelayStore {
  readonly #nodes = new Map<string, Record<string, unknown>>();
  readonly #graph = new Map<string, GraphNode>();
  readonly #publishers = new Map<
    string,
    Map<string, { recordType: string | undefined; storedAt: number; body?: unknown }>
  >();

  /** @param mode 'legacy' stores GUN's graph (links for nested objects). @defaultValue 'default' */
  constructor(
    readonly maxSouls: number,
    readonly mode: RelayMode = 'default',
  ) {}

  get size(): number {
    return this.mode === 'legacy' ? this.#graph.size : this.#nodes.size;
  }

  has(soul: string): boolean {
    return this.mode === 'legacy' ? this.#graph.has(soul) : this.#nodes.has(soul);
  }

  delete(soul: string): void {
    this.#nodes.delete(soul);
    this.#graph.delete(soul);
  }

  /**
   * Default mode: records get `data`/`oip` as JSON strings, simple souls merge. Legacy mode: the
   * value is merged into GUN's graph as `gun.get(soul).put(value)` would (arrays throw, as GUN
   * refuses them), and the soul is listed under its first `:` segment as the legacy relay does.
   */
  put(soul: string, value: Record<string, unknown>): void {
    if (this.mode === 'legacy') {
      this.#legacyPut(soul, value);
      return;
    }
    if (!this.#nodes.has(soul) && this.#nodes.size >= this.maxSouls) {
      throw new Error(`fake relay holds its maximum of ${this.maxSouls} souls`);
    }
    const isRecord = 'data' in value && 'oip' in value && typeof value.oip === 'object';
    if (isRecord) {
      const oip = value.oip as Record<string, unknown>;
      this.#nodes.set(soul, {
        data: typeof value.data === 'string' ? value.data : JSON.stringify(value.data),
        oip: JSON.stringify(oip),
        meta: (value.meta as Record<string, unknown> | undefined) ?? { created: Date.now() },
      });
      const m = RECORD_SOUL.exec(soul);
      if (m?.[1]) {
        let idx = this.#publishers.get(m[1]);
        if (!idx) this.#publishers.set(m[1], (idx = new Map()));
        idx.set(soul, { recordType: oip.recordType as string | undefined, storedAt: Date.now() });
      }
      return;
    }
    const prev = this.#nodes.get(soul) ?? {};
    this.#nodes.set(soul, { ...prev, ...value });
  }

  #legacyPut(soul: string, value: Record<string, unknown>): void {
    const now = Date.now();
    const prefix = soul.split(':')[0] ?? '';
    const indexSoul = `index:${prefix}`;
    const created = [...checkGraphPut(soul, value), indexSoul, `${indexSoul}/${soul}`].filter(
      (s, i, a) => !this.#graph.has(s) && a.indexOf(s) === i,
    );
    if (this.#graph.size + created.length > this.maxSouls)
      throw new Error(`fake relay holds its maximum of ${this.maxSouls} souls`);
    graphPut(this.#graph, soul, value, now);
    // The legacy relay reads recordType off `data.oip`, which legacy publishers send as a JSON
    // string: their records are listed with a null recordType.
    const oip = value.oip;
    const recordType =
      typeof oip === 'object' && oip !== null
        ? ((oip as Record<string, unknown>).recordType as string | undefined)
        : undefined;
    let idx = this.#publishers.get(prefix);
    if (!idx) this.#publishers.set(prefix, (idx = new Map()));
    idx.set(soul, { recordType, storedAt: now, body: value });
    graphPut(this.#graph, indexSoul, { [soul]: { recordType: recordType ?? null, storedAt: now } }, now);
  }

  /** The node as `/get` answers it: default mode parses record strings back; legacy mode answers links as links. */
  get(soul: string): Record<string, unknown> | undefined {
    if (this.mode === 'legacy') return graphGet(this.#graph, soul);
    const node = this.#nodes.get(soul);
    if (!node) return undefined;
    const out: Record<string, unknown> = { ...node };
    for (const k of ['data', 'oip']) {
      const v = out[k];
      if (typeof v === 'string' && (v.startsWith('{') || v.startsWith('['))) {
        try {
          out[k] = JSON.parse(v);
        } catch {
          // a string that only looks like JSON stays a string, as with the legacy relay
        }
      }
    }
    return out;
  }

  list(publisherHash: string, recordType: string | undefined, limit: number, offset: number): ListEntry[] {
    const idx = this.#publishers.get(publisherHash);
    if (!idx) return [];
    const rows: ListEntry[] = [];
    for (const [soul, e] of idx) {
      if (recordType && e.recordType !== recordType) continue;
      rows.push({
        soul,
        data: this.mode === 'legacy' ? e.body : this.get(soul),
        recordType: e.recordType,
        storedAt: e.storedAt,
      });
    }
    return rows.slice(offset, offset + limit);
  }
}
