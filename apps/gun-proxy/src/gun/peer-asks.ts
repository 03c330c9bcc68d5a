// Asks of GUN peers: a get sent to every connected peer or to one, the answer chunks merged, and
// one lifetime per ask (ack listener, timer, abort signal, peering close) released on every path.
import { randomBytes } from 'node:crypto';
import type { GunNodeWithMeta } from './graph-store.js';
import type { PageQuery } from './storage-adapter.js';
import type { GunMesh, GunMessage, GunPeerEntry, GunRoot, OntoContext, OntoListener } from './gun-types.js';
import { isReservedName } from './wire-guard.js';

/** How an ask ended: an answer (or its last chunk) came, the peer(s) said not found, time ran out, or it was cut off. */
type AskEnd = 'answered' | 'not-found' | 'timeout' | 'gone';

/** What one ask of one peer came to. */
export type PeerAskResult =
  { status: 'answer'; node: GunNodeWithMeta; keys: number } | { status: 'not-found' | 'timeout' | 'gone' };

export interface PeerAskOptions {
  waitMs: number;
  /** Ask one page (our paged get); a peer that does not page answers the whole node. */
  page?: PageQuery;
  /** Stop merging answer chunks past this many keys (a legacy peer streams a whole node). */
  maxKeys?: number;
  signal?: AbortSignal;
}

export interface AskOptions {
  waitMs: number;
  signal?: AbortSignal;
}

// Message ids: a random per-process prefix and a counter (cheaper than random bytes per message),
// the counter at a fixed width. GUN acknowledges each key of a put under `<message id><key
// counter>` and keeps those ids in its dedup table, so an id that is another id plus digits (as a
// growing counter makes: message 36·n + k after message n) was dropped by the receiving peer as
// already seen. Equal-length ids never extend one another (36^10 ids before the width grows).
const ID_PREFIX = randomBytes(6).toString('base64url');
let idCounter = 0;
/** The id of our next GUN message (puts we replicate, gets we ask peers). */
export const nextMessageId = (): string => `${ID_PREFIX}${(idCounter++).toString(36).padStart(10, '0')}`;

/** Deferred cleanup of an ack listener: `ask` sets a timer on it right after our callback returns. */
function release(listener: OntoListener | undefined): void {
  if (!listener) return;
  listener.off();
  queueMicrotask(() => {
    listener.off();
    if (listener.err) clearTimeout(listener.err);
  });
}

/** The asks in flight of one GUN peer; `stopAll` ends them when peering closes. */
export class PeerAsks {
  readonly #root: GunRoot;
  readonly #live = new Set<() => void>();

  constructor(root: GunRoot) {
    this.#root = root;
  }

  /** Asks in flight. */
  get pending(): number {
    return this.#live.size;
  }

  /** Ends every ask in flight as 'gone'. */
  stopAll(): void {
    for (const stop of [...this.#live]) stop();
  }

  /** Asks every connected peer (`peers` of them) for a soul: the merged answer of the first that has it, else null. */
  ofAll(mesh: GunMesh, soul: string, peers: number, opts: AskOptions): Promise<GunNodeWithMeta | null> {
    const id = nextMessageId();
    return new Promise((resolve) => {
      let merged: GunNodeWithMeta | undefined;
      let misses = 0;
      this.#listen(
        id,
        opts,
        (reply, end) => {
          const next = mergeReply(merged, reply, soul);
          if (next) {
            merged = next;
            if (!reply['%']) end('answered'); // '%' flags more chunks of the same reply
            return;
          }
          if (++misses >= peers && !merged) end('not-found');
        },
        () => resolve(merged ?? null),
      );
      mesh.say({ '#': id, get: { '#': soul } });
    });
  }

  /** Asks one peer for a soul (or one page of it); the answer is the caller's to merge. */
  ofOne(mesh: GunMesh, peer: GunPeerEntry, soul: string, opts: PeerAskOptions): Promise<PeerAskResult> {
    const id = nextMessageId();
    const maxKeys = opts.maxKeys ?? Infinity;
    return new Promise((resolve) => {
      let merged: GunNodeWithMeta | undefined;
      let keys = 0;
      this.#listen(
        id,
        opts,
        (reply, end) => {
          const next = mergeReply(merged, reply, soul);
          if (next) {
            merged = next;
            keys = Object.keys(merged).length - 1;
            // '%' flags more chunks of the same reply; past maxKeys the rest is not taken.
            if (!reply['%'] || keys >= maxKeys) end('answered');
            return;
          }
          end('not-found');
        },
        (why) => {
          if (merged && why !== 'gone') resolve({ status: 'answer', node: merged, keys });
          else resolve({ status: why === 'answered' ? 'not-found' : why });
        },
      );
      const get: Record<string, unknown> = { '#': soul };
      if (opts.page) get.oipPage = { after: opts.page.after, limit: opts.page.limit };
      mesh.say({ '#': id, get }, peer);
    });
  }

  /**
   * Listens for the replies to our message `id` until `end` is called, `waitMs` passes ('timeout'),
   * the signal aborts or peering closes ('gone'). The first end removes the ack listener, the
   * timer and the hooks, then calls `onEnd` once.
   */
  #listen(
    id: string,
    opts: { waitMs: number; signal?: AbortSignal },
    onReply: (reply: GunMessage, end: (why: AskEnd) => void) => void,
    onEnd: (why: AskEnd) => void,
  ): void {
    let done = false;
    const end = (why: AskEnd): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.#live.delete(gone);
      opts.signal?.removeEventListener('abort', gone);
      release(listener);
      onEnd(why);
    };
    const gone = (): void => end('gone');
    const timer = setTimeout(() => end('timeout'), opts.waitMs);
    this.#live.add(gone);
    opts.signal?.addEventListener('abort', gone, { once: true });
    const listener: OntoListener = this.#root.on(id, function (this: OntoContext, reply: GunMessage) {
      onReply(reply, end);
    });
  }
}

/** `merged` with the reply's version of `soul` merged in; undefined when the reply holds none (a not-found). */
function mergeReply(merged: GunNodeWithMeta | undefined, reply: GunMessage, soul: string): GunNodeWithMeta | undefined {
  const node = (reply.put as Record<string, GunNodeWithMeta> | undefined)?.[soul];
  return node && typeof node === 'object' ? mergeNodes(merged, node, soul) : undefined;
}

/** Merges two versions of a node key by key, newer state winning (GUN's HAM, minus deferral). */
export function mergeNodes(a: GunNodeWithMeta | undefined, b: GunNodeWithMeta, soul: string): GunNodeWithMeta {
  const out: GunNodeWithMeta = a ?? { _: { '#': soul, '>': {} } };
  const states = (b._?.['>'] ?? {}) as Record<string, number>;
  for (const [k, v] of Object.entries(b)) {
    // Peer answers pass the wire guard; this keeps the merge safe for any other caller.
    if (k === '_' || isReservedName(k)) continue;
    const s = Object.hasOwn(states, k) ? states[k]! : -Infinity;
    const was = Object.hasOwn(out._['>'], k) ? out._['>'][k]! : -Infinity;
    if (s >= was) {
      out[k] = v;
      out._['>'][k] = s;
    }
  }
  return out;
}
