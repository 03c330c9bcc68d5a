// What a migration did, per index and record type: read, written, skipped (why) and failed
// (the dead-letter code). Bounded: past MAX_TYPES types in one index the rest count as `(other)`.

/** Why a document was read and not written. */
export type SkipReason =
  /** The store holds what this document converts to (written by an earlier run). */
  | 'unchanged'
  /** The store holds a copy the migration did not write (synced from a relay, or published here): never overwritten. */
  | 'held'
  /** The DID is in this node's deletion ledger. */
  | 'deleted'
  /** --dry-run: it would have been written. */
  | 'dry-run'
  /** --replay-dead-letters: the legacy index no longer holds the document (its entry is removed). */
  | 'gone';

export interface TypeCounts {
  read: number;
  written: number;
  skipped: Record<string, number>;
  failed: Record<string, number>;
}

/** index → record type → counts. */
export type TallyJson = Record<string, Record<string, TypeCounts>>;

const MAX_TYPES = 200;
const OTHER = '(other)';

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

export class MigrateTally {
  readonly #t = new Map<string, Map<string, TypeCounts>>();

  /** Takes up the counts a cursor kept for its index (a resumed pass). */
  restore(from: TallyJson): void {
    for (const [index, types] of Object.entries(from)) this.#t.set(index, new Map(Object.entries(types)));
  }

  #of(index: string, type: string): TypeCounts {
    let types = this.#t.get(index);
    if (!types) this.#t.set(index, (types = new Map()));
    const name = type === '' ? '(none)' : type;
    let c = types.get(name);
    if (!c) {
      const key = types.size >= MAX_TYPES ? OTHER : name;
      c = types.get(key) ?? { read: 0, written: 0, skipped: {}, failed: {} };
      types.set(key, c);
    }
    return c;
  }

  /** An index the run found; it is reported even when empty. */
  index(index: string): void {
    if (!this.#t.has(index)) this.#t.set(index, new Map());
  }

  read(index: string, type: string): void {
    this.#of(index, type).read++;
  }

  written(index: string, type: string): void {
    this.#of(index, type).written++;
  }

  skipped(index: string, type: string, why: SkipReason): void {
    const s = this.#of(index, type).skipped;
    s[why] = (s[why] ?? 0) + 1;
  }

  failed(index: string, type: string, code: string): void {
    const f = this.#of(index, type).failed;
    f[code] = (f[code] ?? 0) + 1;
  }

  /** Totals over every index and type, or over one index. */
  totals(index?: string): { read: number; written: number; skipped: number; failed: number } {
    const t = { read: 0, written: 0, skipped: 0, failed: 0 };
    for (const [name, types] of this.#t)
      for (const c of types.values()) {
        if (index !== undefined && name !== index) continue;
        t.read += c.read;
        t.written += c.written;
        t.skipped += sum(c.skipped);
        t.failed += sum(c.failed);
      }
    return t;
  }

  /** One index's part, for its cursor. */
  indexJson(index: string): TallyJson {
    const types = this.#t.get(index);
    return types ? { [index]: Object.fromEntries(types) } : {};
  }

  toJSON(): TallyJson {
    const out: TallyJson = {};
    for (const [index, types] of this.#t) out[index] = Object.fromEntries(types);
    return out;
  }

  /** The closing report: one line per index and type, then the totals. */
  lines(): string[] {
    const out: string[] = [];
    const why = (o: Record<string, number>) =>
      Object.keys(o).length === 0
        ? ''
        : ` (${Object.entries(o)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')})`;
    for (const [index, types] of this.#t) {
      if (types.size === 0) out.push(`${index}: nothing to read`);
      for (const [type, c] of [...types].sort(([a], [b]) => a.localeCompare(b))) {
        out.push(
          `${index}/${type}: read ${c.read}, written ${c.written}, skipped ${sum(c.skipped)}${why(c.skipped)}, failed ${sum(c.failed)}${why(c.failed)}`,
        );
      }
    }
    const t = this.totals();
    out.push(`total: read ${t.read}, written ${t.written}, skipped ${t.skipped}, failed ${t.failed}`);
    return out;
  }
}
