// The persistent GUN graph: one SQLite row per (soul, key) with its HAM state. Conflict resolution
// happens in SQL (newer state wins; on equal states the larger JSON value wins, as GUN's HAM does),
// so the in-memory GUN graph can be emptied after every write without losing correctness.
import path from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateSqliteFile } from '@oip/service-kit';

/** A GUN value: primitive or a link `{ '#': soul }`. */
export type GunValue = string | number | boolean | null | { '#': string };

export interface GraphWrite {
  soul: string;
  key: string;
  value: GunValue;
  state: number;
}

/** A node as GUN holds it: values plus `_` with the soul and per-key states. */
export interface GunNodeWithMeta {
  _: { '#': string; '>': Record<string, number> };
  [key: string]: unknown;
}

export interface GraphStoreOptions {
  /** Directory of `graph.sqlite`. */
  dataDir: string;
  /** SQLite page cache, KiB. @defaultValue 8192 */
  cacheKiB?: number;
  /** Most keys one node read returns (bounds a reply's size). @defaultValue 100000 */
  maxKeysPerRead?: number;
}

export interface KeyPageRow {
  key: string;
  value: GunValue;
}

/** A row as stored: the value still JSON text (its length is what it adds to an answer). */
export interface RawRow {
  key: string;
  val: string;
}

/** A stored row with its GUN state (the value still JSON text). */
export interface StatedRow {
  key: string;
  val: string;
  state: number;
}

export class GraphStore {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #upsert: Database.Statement<[string, string, string, number]>;
  readonly #readNode: Database.Statement<[string, number]>;
  readonly #readKey: Database.Statement<[string, string]>;
  readonly #page: Database.Statement<[string, number, number]>;
  readonly #first: Database.Statement<[string, number]>;
  readonly #after: Database.Statement<[string, string, number]>;
  readonly #count: Database.Statement<[string]>;
  readonly #rowsFrom: Database.Statement<[string, number]>;
  readonly #rowsAfter: Database.Statement<[string, string, number]>;
  readonly #soulAfter: Database.Statement<[string, string]>;
  readonly #soulFrom: Database.Statement<[string, string]>;
  readonly #has: Database.Statement<[string]>;
  readonly #writeMany: (rows: GraphWrite[]) => void;
  readonly #maxKeys: number;
  #closed = false;

  constructor(opts: GraphStoreOptions) {
    ensurePrivateDir(opts.dataDir);
    this.file = path.join(opts.dataDir, 'graph.sqlite');
    // 0600 before SQLite opens it: its -wal and -shm take the database file's mode.
    ensurePrivateSqliteFile(this.file);
    this.#maxKeys = opts.maxKeysPerRead ?? 100_000;
    const db = (this.#db = new Database(this.file));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${opts.cacheKiB ?? 8192}`);
    db.pragma('temp_store = MEMORY');
    // Checkpoint the WAL every ~16 MB instead of ~4 MB: fewer fsyncs under sustained writes.
    db.pragma('wal_autocheckpoint = 4000');
    db.exec(`CREATE TABLE IF NOT EXISTS gun_graph (
      soul TEXT NOT NULL, key TEXT NOT NULL, val TEXT NOT NULL, state REAL NOT NULL,
      PRIMARY KEY (soul, key)) WITHOUT ROWID`);
    // Keys per soul, kept by triggers (an upsert that updates fires no INSERT trigger), so the
    // write-time node bound costs one lookup instead of counting a 50,000-key node (~11 ms).
    const hadCounts =
      db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gun_key_counts'`).get() !== undefined;
    db.exec(`CREATE TABLE IF NOT EXISTS gun_key_counts (soul TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TRIGGER IF NOT EXISTS gun_key_counts_ins AFTER INSERT ON gun_graph BEGIN
        INSERT INTO gun_key_counts (soul, n) VALUES (new.soul, 1) ON CONFLICT (soul) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER IF NOT EXISTS gun_key_counts_del AFTER DELETE ON gun_graph BEGIN
        UPDATE gun_key_counts SET n = n - 1 WHERE soul = old.soul;
      END;`);
    // A store written before the counts existed: count once.
    if (!hadCounts)
      db.exec('INSERT OR REPLACE INTO gun_key_counts (soul, n) SELECT soul, COUNT(*) FROM gun_graph GROUP BY soul');
    this.#upsert = db.prepare(`INSERT INTO gun_graph (soul, key, val, state) VALUES (?, ?, ?, ?)
      ON CONFLICT (soul, key) DO UPDATE SET val = excluded.val, state = excluded.state
      WHERE excluded.state > gun_graph.state OR (excluded.state = gun_graph.state AND excluded.val > gun_graph.val)`);
    this.#readNode = db.prepare('SELECT key, val, state FROM gun_graph WHERE soul = ? LIMIT ?');
    this.#readKey = db.prepare('SELECT key, val, state FROM gun_graph WHERE soul = ? AND key = ?');
    this.#page = db.prepare(
      `SELECT key, val FROM gun_graph WHERE soul = ? AND val <> 'null' ORDER BY key LIMIT ? OFFSET ?`,
    );
    // Keyset pages: a range of the (soul, key) primary key, no OFFSET scan.
    this.#first = db.prepare(`SELECT key, val FROM gun_graph WHERE soul = ? AND val <> 'null' ORDER BY key LIMIT ?`);
    this.#after = db.prepare(
      `SELECT key, val FROM gun_graph WHERE soul = ? AND key > ? AND val <> 'null' ORDER BY key LIMIT ?`,
    );
    this.#count = db.prepare('SELECT n FROM gun_key_counts WHERE soul = ?');
    // Pages with GUN state, deleted keys (null) included: what a peer needs to merge (catch-up).
    this.#rowsFrom = db.prepare('SELECT key, val, state FROM gun_graph WHERE soul = ? ORDER BY key LIMIT ?');
    this.#rowsAfter = db.prepare(
      'SELECT key, val, state FROM gun_graph WHERE soul = ? AND key > ? ORDER BY key LIMIT ?',
    );
    // Soul listing by prefix, one soul a step (the primary key of gun_key_counts).
    this.#soulAfter = db.prepare('SELECT soul FROM gun_key_counts WHERE soul > ? AND soul < ? ORDER BY soul LIMIT 1');
    this.#soulFrom = db.prepare('SELECT soul FROM gun_key_counts WHERE soul >= ? AND soul < ? ORDER BY soul LIMIT 1');
    this.#has = db.prepare('SELECT 1 FROM gun_graph WHERE soul = ? LIMIT 1');
    this.#writeMany = db.transaction((rows: GraphWrite[]) => {
      for (const r of rows) this.#upsert.run(r.soul, r.key, JSON.stringify(r.value), r.state);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Applies writes in one transaction (HAM in SQL). */
  write(rows: GraphWrite[]): void {
    if (rows.length > 0) this.#writeMany(rows);
  }

  /** The node with GUN metadata, or undefined when the soul has no keys. `key` narrows to one key. */
  readNode(soul: string, key?: string): GunNodeWithMeta | undefined {
    const rows = (key === undefined ? this.#readNode.all(soul, this.#maxKeys) : this.#readKey.all(soul, key)) as Array<{
      key: string;
      val: string;
      state: number;
    }>;
    return nodeFromRows(soul, rows);
  }

  /** Keys of a soul whose value is not null (GUN's delete), ordered by key. */
  pageKeys(soul: string, limit: number, offset: number): KeyPageRow[] {
    const rows = this.#page.all(soul, limit, offset) as Array<{ key: string; val: string }>;
    return rows.map((r) => ({ key: r.key, value: JSON.parse(r.val) as GunValue }));
  }

  /** Up to `limit` non-null rows of a soul with key > `after` (from the first key when null), by key. */
  pageRaw(soul: string, after: string | null, limit: number): RawRow[] {
    return (after === null ? this.#first.all(soul, limit) : this.#after.all(soul, after, limit)) as RawRow[];
  }

  /**
   * Up to `limit` rows of a soul with key > `after` (from the first key when null), by key, with
   * their GUN state; deleted keys (null) included. Stops early once the rows' JSON passes `maxBytes`
   * (at least one row is returned).
   */
  pageWithStates(soul: string, after: string | null, limit: number, maxBytes = Infinity): StatedRow[] {
    const rows = (
      after === null ? this.#rowsFrom.all(soul, limit) : this.#rowsAfter.all(soul, after, limit)
    ) as StatedRow[];
    let bytes = 0;
    for (let i = 0; i < rows.length; i++) {
      bytes += rows[i]!.key.length + rows[i]!.val.length + 24;
      if (bytes > maxBytes && i > 0) return rows.slice(0, i);
    }
    return rows;
  }

  /**
   * The distinct names `N` of souls `<prefix>N` and `<prefix>N/<child>` (child nodes of N), at most
   * `max`, in order. One index step per name: a type's child nodes (its registry entries) are
   * skipped in one range, not scanned.
   */
  soulNamesUnder(prefix: string, max: number): string[] {
    const end = `${prefix}\u{10FFFF}`;
    const out = new Set<string>();
    let row = this.#soulAfter.get(prefix, end) as { soul: string } | undefined;
    // Bounded steps: names interleaved with children (`a`, `a.b`, `a/x`) can each cost a step.
    for (let steps = 0; row && out.size < max && steps < 4 * max; steps++) {
      const rest = row.soul.slice(prefix.length);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      if (name.length > 0) out.add(name);
      // `<prefix>name/…` sorts before `<prefix>name0` ('0' follows '/'): jump past the children.
      row = (slash < 0 ? this.#soulAfter.get(row.soul, end) : this.#soulFrom.get(`${prefix}${name}0`, end)) as
        { soul: string } | undefined;
    }
    return [...out];
  }

  /** The GUN state of one key, or undefined when the soul does not hold it. */
  stateOf(soul: string, key: string): number | undefined {
    return (this.#readKey.get(soul, key) as { state: number } | undefined)?.state;
  }

  /** Keys stored for a soul (null values included: GUN keeps deleted keys). */
  countKeys(soul: string): number {
    return (this.#count.get(soul) as { n: number } | undefined)?.n ?? 0;
  }

  /** Which of `keys` the soul already holds. */
  existingKeys(soul: string, keys: readonly string[]): Set<string> {
    const found = new Set<string>();
    for (const k of keys) if (this.#readKey.get(soul, k)) found.add(k);
    return found;
  }

  /** True when the soul has any row. */
  hasSoul(soul: string): boolean {
    return this.#has.get(soul) !== undefined;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}

/** Stored rows of one soul as a GUN node with its states, or undefined when there are none. */
export function nodeFromRows(
  soul: string,
  rows: ReadonlyArray<{ key: string; val: string; state: number }>,
): GunNodeWithMeta | undefined {
  if (rows.length === 0) return undefined;
  // Null-prototype: a stored key `__proto__` (or `constructor`) must stay a plain key.
  const node = Object.create(null) as GunNodeWithMeta;
  node._ = { '#': soul, '>': Object.create(null) as Record<string, number> };
  for (const r of rows) {
    node[r.key] = JSON.parse(r.val) as GunValue;
    node._['>'][r.key] = r.state;
  }
  return node;
}
