// The legacy relay's operations over our GUN peer, without Fastify: put (with the publisher
// index in the same GUN write), get (local store, then connected peers for a bounded wait), list,
// media manifest and presence.
import type { GunPeer } from '../gun/gun-peer.js';
import {
  decodeFromStore,
  decodeNode,
  encodeInto,
  isRecordShape,
  parseArrayStrings,
  parseRecordStrings,
  recordTypeOf,
  toRecordLayout,
  type Graph,
} from './node-codec.js';
import type { PublisherIndex } from './publisher-index.js';

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
  async put(soul: string, data: Record<string, unknown>): Promise<void> {
    const state = this.peer.state();
    const graph: Graph = {};
    if (isRecordShape(data)) {
      encodeInto(graph, soul, toRecordLayout(data), state);
      this.index.addToGraph(graph, soul, recordTypeOf(data), Date.now(), state);
    } else {
      encodeInto(graph, soul, data, state);
    }
    await this.peer.put(graph, this.#opts.putTimeoutMs);
    this.stats.puts++;
  }

  /** The node at `soul` (records with `data`/`oip` parsed), or undefined after the miss wait. */
  async get(soul: string, signal?: AbortSignal): Promise<Record<string, unknown> | undefined> {
    const local = this.lookupLocal(soul);
    return local ?? this.getFromPeers(soul, signal);
  }

  /** Local lookup, counted as a get (a hit or the first half of a miss). */
  lookupLocal(soul: string): Record<string, unknown> | undefined {
    this.stats.gets++;
    const local = this.getLocal(soul);
    if (local) this.stats.localHits++;
    return local;
  }

  /** The peers' answer for a soul missing locally, within the configured wait. */
  async getFromPeers(soul: string, signal?: AbortSignal): Promise<Record<string, unknown> | undefined> {
    const remote = await this.peer.askPeers(soul, { waitMs: this.#opts.getMissWaitMs, signal });
    const value = remote ? decodeNode(this.peer.store, remote) : undefined;
    if (!value) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.peerHits++;
    return isRecordShape(value) ? parseRecordStrings(value) : value;
  }

  /** Local lookup only (no peers): what the store holds now. */
  getLocal(soul: string): Record<string, unknown> | undefined {
    const value = decodeFromStore(this.peer.store, soul);
    if (!value) return undefined;
    return isRecordShape(value) ? parseRecordStrings(value) : value;
  }

  list(publisher: string, recordType: string | undefined, limit: number, offset: number): ListedRecord[] {
    return this.index.page(publisher, recordType, limit, offset).map((e) => ({
      soul: e.soul,
      data: this.getLocal(e.soul) ?? null,
      recordType: e.recordType,
      storedAt: e.storedAt,
    }));
  }

  async putManifest(mediaId: string, manifest: Record<string, unknown>): Promise<string> {
    const soul = `media:${mediaId}`;
    await this.put(soul, manifest);
    return soul;
  }

  async getManifest(mediaId: string, signal?: AbortSignal): Promise<Record<string, unknown> | undefined> {
    const value = await this.get(`media:${mediaId}`, signal);
    return value ? parseArrayStrings(value) : undefined;
  }

  async putPresence(p: { mediaId: string; peerId: string; protocols?: unknown; endpoints?: unknown }, now = new Date()): Promise<string> {
    const soul = `media:${p.mediaId}:peers:${p.peerId}`;
    const graph: Graph = {};
    encodeInto(
      graph,
      soul,
      { peerId: p.peerId, protocols: p.protocols ?? {}, endpoints: p.endpoints ?? {}, lastSeen: now.getTime(), timestamp: now.toISOString() },
      this.peer.state(),
    );
    await this.peer.put(graph, this.#opts.putTimeoutMs);
    this.stats.puts++;
    return soul;
  }
}
