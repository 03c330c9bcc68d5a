// Catch-up when a peer connects. Writes reach only the peers connected at the moment of the write,
// so a node that was down (or whose socket was gone) while a peer published never got those keys.
// Each time a peer socket opens (every re-dial included), we ask that peer for the registry souls
// discovery reads — every `<root>:index:<type>` and the deletion index — page by page, and for the
// registry entry nodes their keys link to, and merge the answers as a replicated put is merged
// (HAM per key, in SQL: older peer state never overwrites ours). Bounded: one run per peer socket
// at a time, a few asks in flight, links per run, keys per soul, a time limit per run.
import { DELETION_INDEX_SOUL, linkOf, mapBounded, registryIndexSoul } from '@oip/records';
import type { GunPeer } from './gun-peer.js';
import type { PeerAskResult } from './peer-asks.js';
import type { GunPeerEntry } from './gun-types.js';
import { redactPeerUrl } from '../services/redact-peer.js';

export interface CatchUpOptions {
  peer: GunPeer;
  /** @defaultValue oip:registry */
  registryRoot: string;
  /** Record types whose index is asked for besides those already in the store. @defaultValue [] */
  recordTypes: readonly string[];
  /** Most entry links followed per run. @defaultValue 10000 */
  maxLinks: number;
  /** Peer asks in flight per run. @defaultValue 4 */
  concurrency: number;
  /** How long one ask waits for the peer. @defaultValue 5000 */
  askTimeoutMs: number;
  /** How long one run may take in all. @defaultValue 120000 */
  runTimeoutMs: number;
  /** Most keys taken from the peer per soul (the node key bound). @defaultValue 100000 */
  maxNodeKeys: number;
  /** Keys asked per page. @defaultValue 500 */
  pageKeys?: number;
  log?: CatchUpLogger;
}

export interface CatchUpLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export type CatchUpKind = 'index' | 'deletions' | 'entry';
export type CatchUpResult = 'merged' | 'not-found' | 'timeout' | 'failed';
export type CatchUpOutcome = 'complete' | 'partial';

/** Cumulative counts (the Prometheus counters read them). */
export interface CatchUpStats {
  runs: Record<CatchUpOutcome, number>;
  /** `${kind}:${result}` → souls. */
  souls: Map<string, number>;
  keys: number;
}

/** Most record types taken from the store's own index souls. */
const MAX_TYPES = 1000;

interface RunCounts {
  souls: Record<string, number>;
  keys: number;
  links: number;
  linksSkipped: number;
  partial: boolean;
}

export class CatchUp {
  readonly stats: CatchUpStats = { runs: { complete: 0, partial: 0 }, souls: new Map(), keys: 0 };
  readonly #opts: CatchUpOptions;
  readonly #pageKeys: number;
  /** Peer entries with a run in progress → whether another socket opened meanwhile. */
  readonly #running = new Map<GunPeerEntry, { again: boolean }>();
  readonly #runs = new Set<Promise<void>>();
  readonly #closing = new AbortController();

  constructor(opts: CatchUpOptions) {
    this.#opts = opts;
    this.#pageKeys = Math.min(1000, Math.max(1, opts.pageKeys ?? 500));
  }

  /** Runs in flight. */
  get active(): number {
    return this.#running.size;
  }

  /** Starts a run for a peer whose socket just opened (at most one per peer entry at a time). */
  onPeerOpen(peer: GunPeerEntry): void {
    if (this.#closing.signal.aborted) return;
    // A read-only socket's answers are dropped by the wire guard: nothing to ask it.
    if (!this.#opts.peer.peerMayWrite(peer)) return;
    const running = this.#running.get(peer);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.#running.set(peer, state);
    const run = (async () => {
      try {
        do {
          state.again = false;
          await this.run(peer);
        } while (state.again && !this.#closing.signal.aborted && this.#opts.peer.isConnected(peer));
      } finally {
        this.#running.delete(peer);
      }
    })();
    this.#runs.add(run);
    void run.finally(() => this.#runs.delete(run));
  }

  /** The souls a run asks for: every index soul (stored types ∪ configured ones), the deletion index. */
  souls(): Array<{ soul: string; kind: CatchUpKind }> {
    const prefix = `${this.#opts.registryRoot}:index:`;
    const types = new Set(this.#opts.peer.store.soulNamesUnder(prefix, MAX_TYPES));
    for (const t of this.#opts.recordTypes) types.add(t);
    const out: Array<{ soul: string; kind: CatchUpKind }> = [...types]
      .sort()
      .map((t) => ({ soul: registryIndexSoul(t, this.#opts.registryRoot), kind: 'index' }));
    out.push({ soul: DELETION_INDEX_SOUL, kind: 'deletions' });
    return out;
  }

  /** One run against one peer. Never throws; logs one line at info. */
  async run(peer: GunPeerEntry): Promise<void> {
    const t0 = Date.now();
    const signal = AbortSignal.any([this.#closing.signal, AbortSignal.timeout(this.#opts.runTimeoutMs)]);
    const counts: RunCounts = { souls: {}, keys: 0, links: 0, linksSkipped: 0, partial: false };
    const souls = this.souls();
    try {
      await mapBounded(souls, this.#opts.concurrency, (s) => this.#soul(peer, s.soul, s.kind, counts, signal));
    } catch (err) {
      counts.partial = true;
      this.#opts.log?.warn(
        { code: (err as { code?: string }).code, err: (err as Error).message },
        'catch-up run failed',
      );
    }
    if (signal.aborted || !this.#opts.peer.isConnected(peer)) counts.partial = true;
    const outcome: CatchUpOutcome = counts.partial ? 'partial' : 'complete';
    this.stats.runs[outcome]++;
    this.stats.keys += counts.keys;
    this.#opts.log?.info(
      {
        peer: peer.url ? redactPeerUrl(peer.url) : 'inbound',
        outcome,
        souls: souls.length,
        results: counts.souls,
        keys: counts.keys,
        links: counts.links,
        linksSkipped: counts.linksSkipped,
        ms: Date.now() - t0,
      },
      'GUN catch-up with a peer done',
    );
  }

  #count(counts: RunCounts, kind: CatchUpKind, result: CatchUpResult): void {
    const k = `${kind}:${result}`;
    counts.souls[k] = (counts.souls[k] ?? 0) + 1;
    this.stats.souls.set(k, (this.stats.souls.get(k) ?? 0) + 1);
    if (result === 'timeout' || result === 'failed') counts.partial = true;
  }

  #ask(
    peer: GunPeerEntry,
    soul: string,
    signal: AbortSignal,
    page?: { after: string | null; limit: number },
    maxKeys?: number,
  ): Promise<PeerAskResult> {
    return this.#opts.peer.askPeer(peer, soul, {
      waitMs: this.#opts.askTimeoutMs,
      signal,
      ...(page ? { page } : {}),
      ...(maxKeys ? { maxKeys } : {}),
    });
  }

  /** One registry soul, page by page: linked entry nodes first, then the page's keys. */
  async #soul(
    peer: GunPeerEntry,
    soul: string,
    kind: CatchUpKind,
    counts: RunCounts,
    signal: AbortSignal,
  ): Promise<void> {
    const store = this.#opts.peer.store;
    let after: string | null = null;
    let taken = 0;
    let merged = false;
    for (;;) {
      if (signal.aborted) return;
      const limit = Math.min(this.#pageKeys, this.#opts.maxNodeKeys - taken);
      // A peer that pages answers at most `limit` keys; one that does not streams the whole node,
      // taken up to the node key bound.
      const res = await this.#ask(peer, soul, signal, { after, limit }, this.#opts.maxNodeKeys);
      if (res.status === 'gone') {
        counts.partial = true;
        return;
      }
      if (res.status !== 'answer') {
        // A later page that is "not found" is the end of the node.
        if (!merged) this.#count(counts, kind, res.status);
        else if (res.status === 'timeout') counts.partial = true;
        break;
      }
      const node = res.node;
      // A peer that does not page answers the whole node: only keys past the cursor are new.
      const keys = Object.keys(node)
        .filter((k) => k !== '_' && (after === null || k > after))
        .sort();
      if (keys.length === 0) break;
      const links: string[] = [];
      for (const key of keys) {
        const link = linkOf(node[key]);
        if (link === null) continue;
        const theirs = node._['>'][key] ?? -Infinity;
        const ours = store.stateOf(soul, key);
        // Missing here, or re-registered there since (the link's state moved with the entry).
        if (!store.hasSoul(link) || ours === undefined || theirs > ours) links.push(link);
      }
      await this.#links(peer, links, counts, signal);
      try {
        await this.#opts.peer.merge(node, soul);
      } catch {
        this.#count(counts, kind, 'failed');
        return;
      }
      merged = true;
      counts.keys += keys.length;
      taken += keys.length;
      // More keys than asked: a whole-node answer, nothing more to page.
      if (res.keys > limit || taken >= this.#opts.maxNodeKeys) break;
      after = keys[keys.length - 1]!;
    }
    if (merged) this.#count(counts, kind, 'merged');
  }

  /** Fetches linked entry nodes (bounded per run), a few at a time, and merges them. */
  async #links(peer: GunPeerEntry, links: string[], counts: RunCounts, signal: AbortSignal): Promise<void> {
    const room = Math.max(0, this.#opts.maxLinks - counts.links);
    if (links.length > room) counts.linksSkipped += links.length - room;
    const take = links.slice(0, room);
    counts.links += take.length;
    await mapBounded(take, this.#opts.concurrency, async (link) => {
      if (signal.aborted) return;
      const res = await this.#ask(peer, link, signal, undefined, this.#pageKeys);
      if (res.status === 'gone') {
        counts.partial = true;
        return;
      }
      if (res.status !== 'answer') {
        this.#count(counts, 'entry', res.status);
        return;
      }
      try {
        await this.#opts.peer.merge(res.node, link);
        this.#count(counts, 'entry', 'merged');
      } catch {
        this.#count(counts, 'entry', 'failed');
      }
    });
  }

  /** Stops runs in progress (their asks end at once) and waits for them. */
  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.allSettled([...this.#runs]);
  }
}
