// In-memory model of what the legacy relay keeps in GUN, with a hard bound on souls.

const RECORD_SOUL = /^([0-9a-f]{12}):/;

export interface ListEntry {
  soul: string;
  data: unknown;
  recordType: string | undefined;
  storedAt: number;
}

export class RelayStore {
  readonly #nodes = new Map<string, Record<string, unknown>>();
  readonly #publishers = new Map<string, Map<string, { recordType: string | undefined; storedAt: number }>>();

  constructor(readonly maxSouls: number) {}

  get size(): number {
    return this.#nodes.size;
  }

  has(soul: string): boolean {
    return this.#nodes.has(soul);
  }

  delete(soul: string): void {
    this.#nodes.delete(soul);
  }

  /** Stores like the legacy relay: records get `data`/`oip` as JSON strings; simple souls merge. */
  put(soul: string, value: Record<string, unknown>): void {
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

  /** The node as `/get` answers it: record strings parsed back. */
  get(soul: string): Record<string, unknown> | undefined {
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
      rows.push({ soul, data: this.get(soul), recordType: e.recordType, storedAt: e.storedAt });
    }
    return rows.slice(offset, offset + limit);
  }
}
