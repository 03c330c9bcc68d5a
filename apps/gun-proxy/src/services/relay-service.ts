// The legacy relay's operations over our GUN peer, without Fastify: put (with the publisher
// index in the same GUN write), get (local store, then connected peers for a bounded wait), list,
// media manifest and presence.
import type { GunPeer } from '../gun/gun-peer.js';
import { NodeTooLargeError } from '../errors.js';
import {
  encodeInto,
  isRecordShape,
  newGraph,
  parseArrayStrings,
  parseRecordStrings,
  recordTypeOf,
  toRecordLayout,
  type Graph,
} from './node-codec.js';
import { ReadSession, readPage, readWhole, type Page, type WholeNode } from './node-reader.js';
import type { PublisherIndex } from './publisher-index.js';

/** Per-call bounds (from config): what one answer may assemble, what one node may hold. */
export interface RelayLimits {
  /** Bytes one answer may assemble. @defaultValue 8 MiB */
  maxBytes?: number;
  /** Most keys a node may hold after a write. @defaultValue 100000 */
  maxNodeKeys?: number;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
const DEFAULT_MAX_NODE_KEYS = 100_000;

/** A node's answer text; a record (`data` + `oip`) gets its JSON-string fields parsed (legacy contract). */
function legacyText(node: WholeNode): string {
  if (!node.keys.includes('data') || !node.keys.includes('oip')) return node.text;
  const value = JSON.parse(node.text) as Record<string, unknown>;
  return isRecordShape(value) ? JSON.stringify(parseRecordStrings(value)) : node.text;
}

export interface RelayServiceOptions {
  peer: GunPeer;
  index: PublisherIndex;
  /** @defaultValue 10000 */
  putTimeoutMs: number;
  /** @defaultValue 500 */
  getMissWaitMs: number;
}

export interface RelayStats {
  puts: number;
  gets: number;
  localHits: number;
  peerHits: number;
  misses: number;
}

export interface ListedRecord {
  soul: string;
  data: Record<string, unknown> | null;
  recordType: string | null;
  storedAt: number | null;
}

export class RelayService {
  readonly stats: RelayStats = { puts: 0, gets: 0, localHits: 0, peerHits: 0, misses: 0 };
  readonly peer: GunPeer;
  readonly index: PublisherIndex;
  readonly #opts: RelayServiceOptions;

  constructor(opts: RelayServiceOptions) {
    this.#opts = opts;
    this.peer = opts.peer;
    this.index = opts.index;
  }

  /** Stores `data` at `soul` through GUN; records also update the publisher index. */
  async put(soul: string, data: Record<string, unknown>, limits: RelayLimits = {}): Promise<void> {
    const state = this.peer.state();
    const graph = newGraph();
    if (isRecordShape(data)) {
      encodeInto(graph, soul, toRecordLayout(data), state);
      this.#checkNodeKeys(graph, limits);
      this.index.addToGraph(graph, soul, recordTypeOf(data), Date.now(), state);
    } else {
      encodeInto(graph, soul, data, state);
      this.#checkNodeKeys(graph, limits);
    }
    await this.peer.put(graph, this.#opts.putTimeoutMs);
    this.stats.puts++;
  }

  /**
   * Refuses a write that would leave a node of the client's data with more than `maxNodeKeys` keys
   * (stored keys + new ones; deleted keys count, GUN keeps them). Our own index souls are exempt:
   * a publisher's index grows with its records and is only ever read in pages.
   */
  #checkNodeKeys(graph: Graph, limits: RelayLimits): void {
    const max = limits.maxNodeKeys ?? DEFAULT_MAX_NODE_KEYS;
    for (const soul of Object.keys(graph)) {
      const keys = Object.keys(graph[soul]!).filter((k) => k !== '_');
      if (keys.length > max) throw new NodeTooLargeError(soul, max);
      const stored = this.peer.store.countKeys(soul);
      if (stored + keys.length <= max) continue;
      // Near the bound: only keys the node does not hold yet add to it.
      const added = keys.length - this.peer.store.existingKeys(soul, keys).size;
      if (stored + added > max) throw new NodeTooLargeError(soul, max);
    }
  }

  /** A read session (one answer's byte budget). */
  session(limits: RelayLimits = {}): ReadSession {
    return new ReadSession(this.peer.store, { maxBytes: limits.maxBytes ?? DEFAULT_MAX_BYTES });
  }

  /** The node at `soul` (records with `data`/`oip` parsed), or undefined after the miss wait. */
  async get(
    soul: string,
    signal?: AbortSignal,
    limits: RelayLimits = {},
  ): Promise<Record<string, unknown> | undefined> {
    const text = (await this.lookupLocal(soul, limits)) ?? (await this.getFromPeers(soul, signal, limits));
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  }

  /** Local lookup as JSON text, counted as a get (a hit or the first half of a miss). */
  async lookupLocal(soul: string, limits: RelayLimits = {}): Promise<string | undefined> {
    this.stats.gets++;
    const local = await this.getLocal(soul, this.session(limits));
    if (local) this.stats.localHits++;
    return local;
  }

  /** The peers' answer (JSON text) for a soul missing locally, within the configured wait. */
  async getFromPeers(soul: string, signal?: AbortSignal, limits: RelayLimits = {}): Promise<string | undefined> {
    const remote = await this.#askPeers(soul, signal);
    const node = remote ? await readWhole(this.session(limits), soul, 3, remote) : undefined;
    if (!node) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.peerHits++;
    return legacyText(node);
  }

  async #askPeers(soul: string, signal?: AbortSignal): Promise<Record<string, unknown> | undefined> {
    return ((await this.peer.askPeers(soul, { waitMs: this.#opts.getMissWaitMs, signal })) ?? undefined) as
      Record<string, unknown> | undefined;
  }

  /**
   * One page of a node (the paged `/get` extension): local store first, else the peers' answer
   * paged in memory. Undefined when the soul is unknown (after the miss wait).
   */
  async getPage(
    soul: string,
    limit: number,
    after: string | null,
    signal?: AbortSignal,
    limits: RelayLimits = {},
  ): Promise<Page | undefined> {
    this.stats.gets++;
    const session = this.session(limits);
    if (this.peer.store.hasSoul(soul)) {
      const page = await readPage(session, soul, limit, after);
      // A node whose keys are all deleted is not found, as on the unpaged read.
      if (after !== null || page.count > 0) {
        this.stats.localHits++;
        return page;
      }
    }
    const remote = await this.#askPeers(soul, signal);
    if (!remote) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.peerHits++;
    return readPage(session, soul, limit, after, remote);
  }

  /** Local lookup only (no peers): the node as JSON text, as the legacy `/get` answers it. */
  async getLocal(soul: string, session = this.session()): Promise<string | undefined> {
    const node = await readWhole(session, soul);
    return node ? legacyText(node) : undefined;
  }

  /** A page of a publisher's records; their bodies share one answer budget (past it: data null). */
  async list(
    publisher: string,
    recordType: string | undefined,
    limit: number,
    offset: number,
    limits: RelayLimits = {},
  ): Promise<ListedRecord[]> {
    const session = this.session(limits);
    const out: ListedRecord[] = [];
    for (const e of this.index.page(publisher, recordType, limit, offset)) {
      let data: Record<string, unknown> | null = null;
      try {
        const text = await this.getLocal(e.soul, session);
        data = text === undefined ? null : (JSON.parse(text) as Record<string, unknown>);
      } catch (err) {
        if ((err as { code?: string }).code !== 'GUNPROXY_ANSWER_TOO_LARGE') throw err;
      }
      out.push({ soul: e.soul, data, recordType: e.recordType, storedAt: e.storedAt });
    }
    return out;
  }

  async putManifest(mediaId: string, manifest: Record<string, unknown>, limits: RelayLimits = {}): Promise<string> {
    const soul = `media:${mediaId}`;
    await this.put(soul, manifest, limits);
    return soul;
  }

  async getManifest(
    mediaId: string,
    signal?: AbortSignal,
    limits: RelayLimits = {},
  ): Promise<Record<string, unknown> | undefined> {
    const value = await this.get(`media:${mediaId}`, signal, limits);
    return value ? parseArrayStrings(value) : undefined;
  }

  async putPresence(
    p: { mediaId: string; peerId: string; protocols?: unknown; endpoints?: unknown },
    now = new Date(),
  ): Promise<string> {
    const soul = `media:${p.mediaId}:peers:${p.peerId}`;
    const graph = newGraph();
    encodeInto(
      graph,
      soul,
      {
        peerId: p.peerId,
        protocols: p.protocols ?? {},
        endpoints: p.endpoints ?? {},
        lastSeen: now.getTime(),
        timestamp: now.toISOString(),
      },
      this.peer.state(),
    );
    await this.peer.put(graph, this.#opts.putTimeoutMs);
    this.stats.puts++;
    return soul;
  }
}
