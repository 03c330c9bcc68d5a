// GUN storage hooks over the SQLite GraphStore, replacing radisk (which throttles writes with its
// `until` timer and keeps every node it reads in `root.next`). Writes are batched per event-loop
// turn into one transaction and acknowledged after commit; then the written souls are dropped from
// GUN's in-memory graph. That eviction is what bounds GUN's memory: a node lives in `root.graph`
// only between GUN's HAM step and the end of the current turn.
import type { GraphStore, GraphWrite, GunNodeWithMeta, GunValue } from './graph-store.js';
import { nodeFromRows } from './graph-store.js';
import type { GunMessage, GunRoot, GunStatic, OntoContext } from './gun-types.js';
import { isReservedName } from './wire-guard.js';

export interface StorageAdapterStats {
  writes: number;
  batches: number;
  reads: number;
  evicted: number;
  errors: number;
  /** Puts and gets refused for a reserved soul or key (the wire guard stops them first). */
  refused: number;
}

interface PendingWrite {
  /** GUN's per-key message id, acknowledged through GUN after commit (writes from peers). */
  id?: unknown;
  row: GraphWrite;
  /** Called after commit (local writes, which bypass GUN's ack plumbing). */
  done?: (err?: string) => void;
}

/**
 * A paged get (our extension of GUN's get, used by catch-up): `get: { '#': soul, oipPage: { after,
 * limit } }` answers the node's keys strictly after `after` (from the first when null), at most
 * `limit`, with their states, deleted keys included. Peers that do not know it answer the whole node.
 */
export interface PageQuery {
  after: string | null;
  limit: number;
}

export const MAX_PAGE_KEYS = 1000;

/** The page query of a get, or undefined when it has none or a malformed one. */
export function pageQueryOf(get: Record<string, unknown>): PageQuery | undefined {
  const q = get.oipPage as { after?: unknown; limit?: unknown } | undefined;
  if (typeof q !== 'object' || q === null) return undefined;
  const after = q.after ?? null;
  if (after !== null && (typeof after !== 'string' || after.length > 1024)) return undefined;
  if (typeof q.limit !== 'number' || !Number.isInteger(q.limit) || q.limit < 1) return undefined;
  return { after, limit: Math.min(q.limit, MAX_PAGE_KEYS) };
}

/** Most queued writes before a synchronous flush (bounds the queue). */
const MAX_BATCH = 4096;
/** Writes arriving within this window share one transaction (fewer commits under load). */
const FLUSH_DELAY_MS = 2;

export class StorageAdapter {
  readonly stats: StorageAdapterStats = { writes: 0, batches: 0, reads: 0, evicted: 0, errors: 0, refused: 0 };
  #root: GunRoot | undefined;
  #queue: PendingWrite[] = [];
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /**
   * @param pageMaxBytes most bytes of one paged-get answer (it holds at least one key).
   */
  constructor(
    readonly store: GraphStore,
    readonly pageMaxBytes = 1024 * 1024,
  ) {}

  attach(root: GunRoot): void {
    this.#root = root;
  }

  get pendingWrites(): number {
    return this.#queue.length;
  }

  onPut(msg: GunMessage): void {
    const put = msg.put as { '#': string; '.': string; ':': GunValue; '>': number } | undefined;
    if (!put || typeof put['#'] !== 'string' || typeof put['.'] !== 'string') return;
    // Second line of defence behind the wire guard: these names index plain objects in GUN.
    if (isReservedName(put['#']) || isReservedName(put['.'])) {
      this.stats.refused++;
      this.#ack(msg['#'], 'reserved name');
      return;
    }
    if (this.#closed) {
      this.#ack(msg['#'], 'storage closed');
      return;
    }
    this.#queue.push({ id: msg['#'], row: { soul: put['#'], key: put['.'], value: put[':'], state: put['>'] } });
    this.#schedule();
  }

  /**
   * Queues a local write (from our HTTP API) for the next transaction; `done` runs after commit.
   * Local writes skip GUN's per-key HAM/ack/dedup pipeline (HAM is applied in SQL all the same).
   */
  writeLocal(rows: GraphWrite[], done: (err?: string) => void): void {
    if (this.#closed || rows.length === 0) {
      done(this.#closed ? 'storage closed' : undefined);
      return;
    }
    for (let i = 0; i < rows.length - 1; i++) this.#queue.push({ row: rows[i]! });
    this.#queue.push({ row: rows[rows.length - 1]!, done });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#queue.length >= MAX_BATCH) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }

  onGet(msg: GunMessage): void {
    const get = msg.get as ({ '#'?: unknown; '.'?: unknown } & Record<string, unknown>) | undefined;
    const id = msg['#'];
    if (!get || this.#closed) return;
    const soul = get['#'];
    const key = typeof get['.'] === 'string' ? get['.'] : undefined;
    let node;
    if (typeof soul === 'string' && (isReservedName(soul) || (key !== undefined && isReservedName(key)))) {
      this.stats.refused++;
    } else if (typeof soul === 'string') {
      try {
        const page = key === undefined ? pageQueryOf(get) : undefined;
        node = page ? this.#readPage(soul, page) : this.store.readNode(soul, key);
        this.stats.reads++;
      } catch {
        this.stats.errors++;
      }
    }
    // `faith` marks the reply as already-stored data: GUN relays it to the asker without
    // running HAM on it again (which would rewrite it and re-grow the in-memory graph).
    const faith = Object.assign(() => undefined, { faith: true, rad: get });
    const reply = { '@': id, put: node && typeof soul === 'string' ? { [soul]: node } : undefined, _: faith };
    queueMicrotask(() => this.#root?.on('in', reply));
  }

  #readPage(soul: string, page: PageQuery): GunNodeWithMeta | undefined {
    return nodeFromRows(soul, this.store.pageWithStates(soul, page.after, page.limit, this.pageMaxBytes));
  }

  /** Commits queued writes, acknowledges them, and evicts their souls from GUN's memory. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    let err: string | undefined;
    try {
      this.store.write(batch.map((p) => p.row));
      this.stats.writes += batch.length;
      this.stats.batches++;
    } catch (e) {
      err = (e as Error).message;
      this.stats.errors++;
    }
    const graph = this.#root?.graph;
    for (const p of batch) {
      // hasOwn: `in` would also match Object.prototype members such as `constructor`.
      if (graph && Object.hasOwn(graph, p.row.soul)) {
        delete graph[p.row.soul];
        this.stats.evicted++;
      }
      if (p.done) p.done(err);
      else if (p.id !== undefined) this.#ack(p.id, err);
    }
  }

  #ack(id: unknown, err?: string): void {
    if (!this.#root) return;
    this.#root.on('in', err ? { '@': id, err } : { '@': id, ok: 1 });
  }

  /** Flushes what is queued and refuses further writes. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
  }
}

let installed = false;

/**
 * Registers the storage hooks on the GUN module once. Each GUN root opts in by carrying its
 * adapter at `opt.oipStorage`, so several instances in one process keep separate stores.
 */
export function installStorageHooks(Gun: GunStatic): void {
  if (installed) return;
  installed = true;
  Gun.on('create', function (this: OntoContext, root: GunRoot) {
    this.to.next(root);
    const adapter = root.opt.oipStorage;
    if (!(adapter instanceof StorageAdapter)) return;
    adapter.attach(root);
    root.on('put', function (this: OntoContext, msg: GunMessage) {
      this.to.next(msg);
      adapter.onPut(msg);
    });
    root.on('get', function (this: OntoContext, msg: GunMessage) {
      this.to.next(msg);
      adapter.onGet(msg);
    });
  });
}
