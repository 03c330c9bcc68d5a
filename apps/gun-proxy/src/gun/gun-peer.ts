// A real GUN peer: GUN's core (HAM, dedup, mesh/DAM) over our SQLite store, websocket peering on
// the app's own HTTP port, and nothing else. Multicast, AXE, radisk, stats files and localStorage
// are off; the only hosts ever dialled are the configured (allowlisted) peers.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { GraphStore, type GraphWrite, type GunNodeWithMeta, type GunValue } from './graph-store.js';
import { loadGun } from './load-gun.js';
import { StorageAdapter } from './storage-adapter.js';
import { PeerAsks, nextMessageId, type AskOptions, type PeerAskOptions, type PeerAskResult } from './peer-asks.js';
import { InboundAuth, type InboundAuthOptions } from './peer-credentials.js';
import { guardMessage, isReservedName } from './wire-guard.js';
import { WireDrops, type WarnLogger } from './wire-drops.js';
import { PutFailedError, PutTimeoutError, ShuttingDownError } from '../errors.js';
import type { GunInstance, GunMessage, GunPeerEntry, GunRoot, OntoContext } from './gun-types.js';

export interface GunPeerOptions {
  dataDir: string;
  /** Configured websocket peers (already checked against the allowlist). */
  peers: readonly string[];
  /** Path of the peering endpoint. @defaultValue /gun */
  wsPath?: string;
  /** @defaultValue 64 */
  maxInboundPeers?: number;
  /** @defaultValue 8 MiB */
  maxPeerMessageBytes?: number;
  /** @defaultValue 8192 */
  sqliteCacheKiB?: number;
  /**
   * Write auth on the websocket. Unset: anyone may peer and write (auth off, the legacy relay's
   * behaviour). Set: inbound sockets need a credential on the upgrade request; our configured
   * outbound peers are trusted; puts from any other socket are dropped.
   */
  inboundAuth?: InboundAuthOptions;
  /** Receives the rate-limited warnings about dropped wire messages. */
  log?: WarnLogger;
  /** Most bytes of one answer to a peer's paged get (catch-up). @defaultValue 1 MiB */
  pageMaxBytes?: number;
}

const HEARTBEAT_MS = 20_000;
export class GunPeer {
  readonly gun: GunInstance;
  readonly root: GunRoot;
  readonly store: GraphStore;
  readonly storage: StorageAdapter;
  readonly configuredPeers: readonly string[];
  /** What the wire guard dropped, by reason. */
  readonly wireDrops: WireDrops;
  readonly #inboundAuth: InboundAuth | undefined;
  /** Inbound peer entries and whether each may write. */
  readonly #inbound = new WeakMap<GunPeerEntry, boolean>();
  readonly #wsPath: string;
  readonly #wss: WebSocketServer;
  readonly #maxInbound: number;
  readonly #pending = new Set<() => void>();
  readonly #asks: PeerAsks;
  #server: http.Server | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #closed = false;
  #peeringClosed = false;

  constructor(opts: GunPeerOptions) {
    const Gun = loadGun();
    this.store = new GraphStore({ dataDir: opts.dataDir, cacheKiB: opts.sqliteCacheKiB });
    this.storage = new StorageAdapter(this.store, opts.pageMaxBytes);
    this.configuredPeers = [...opts.peers];
    this.#wsPath = opts.wsPath ?? '/gun';
    this.#maxInbound = opts.maxInboundPeers ?? 64;
    this.#inboundAuth = opts.inboundAuth ? new InboundAuth(opts.inboundAuth) : undefined;
    this.wireDrops = new WireDrops(opts.log);
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: opts.maxPeerMessageBytes ?? 8 * 1024 * 1024,
      perMessageDeflate: false,
    });
    this.gun = Gun({
      peers: [...opts.peers],
      file: opts.dataDir,
      localStorage: false,
      radisk: false,
      rad: false,
      multicast: false,
      axe: false,
      stats: false,
      // GUN's own websocket server (lib/wire.js) stays off: we attach inbound peers ourselves so
      // their timers and sockets are ours to close. Outbound peers use the `ws` client.
      ws: false,
      WebSocket,
      // What lib/server sets for a relay peer: no re-subscription storm on reconnect.
      super: true,
      oipStorage: this.storage,
    });
    this.root = this.gun._;
    this.#asks = new PeerAsks(this.root);
    const mesh = this.root.opt.mesh;
    if (!mesh) throw new Error('GUN mesh did not start');
    // DAM "mob" asks us to drop a peer and dial others it names: never dial what a peer says.
    mesh.hear.mob = () => undefined;
    const allowed = new Set(this.configuredPeers);
    // Every parsed message, from inbound and outbound sockets and inside batches, passes hear.one:
    // checked there, GUN never sees a reserved name or a write from a socket that may not write.
    const one = mesh.hear.one;
    mesh.hear.one = (msg: unknown, peer: GunPeerEntry, S?: number) => {
      const { msg: safe, reason } = guardMessage(msg, this.#mayWrite(peer, allowed));
      if (reason) this.wireDrops.record(reason);
      if (safe) one(safe, peer, S);
    };
    const dial = mesh.wire;
    mesh.wire = (peer: GunPeerEntry) => {
      if (peer.url && !allowed.has(peer.url)) {
        delete this.root.opt.peers[peer.url];
        return undefined;
      }
      return dial(peer);
    };
    // GUN's 'bye' deletes the peer from opt.peers, and its reconnect timer only re-dials peers still
    // listed there: a configured peer whose first re-dial (2 s after the close) failed was dropped
    // for good, so a peer down longer than that was never reached again. Configured peers stay
    // listed (without a wire) until peering closes, so the re-dial repeats every 2 s.
    const bye = mesh.bye;
    mesh.bye = (peer: GunPeerEntry) => {
      bye(peer);
      if (!this.#peeringClosed && peer.url !== undefined && allowed.has(peer.url)) this.root.opt.peers[peer.url] = peer;
    };
    for (const url of this.configuredPeers) {
      const peer = this.root.opt.peers[url];
      if (peer) mesh.hi(peer);
    }
  }

  /**
   * Calls `fn` each time a peer socket opens: an outbound peer we dialled (every re-dial after a
   * drop included) or an inbound one. GUN's 'hi' fires once per socket (when `met` is first set).
   */
  onPeerOpen(fn: (peer: GunPeerEntry) => void): void {
    this.root.on('hi', function (this: OntoContext, peer: GunMessage) {
      this.to.next(peer);
      fn(peer as unknown as GunPeerEntry);
    });
  }

  /** True while `peer` is an open socket of ours (outbound still the listed one, inbound still open). */
  isConnected(peer: GunPeerEntry): boolean {
    if (this.#peeringClosed || !peer.wire || !peer.met) return false;
    if (this.#inbound.has(peer)) return true;
    return peer.url !== undefined && this.root.opt.peers[peer.url] === peer;
  }

  /** Whether what `peer` sends may be written (the websocket write-auth rules). */
  peerMayWrite(peer: GunPeerEntry): boolean {
    return this.#mayWrite(peer, new Set(this.configuredPeers));
  }

  /** Serves websocket peering at `wsPath` on an HTTP server (Fastify's `app.server`). */
  attach(server: http.Server): void {
    this.#server = server;
    server.on('upgrade', this.#onUpgrade);
    this.#heartbeat = setInterval(() => {
      for (const ws of this.#wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send('[]');
    }, HEARTBEAT_MS);
  }

  /** Auth off: everyone. On: authenticated inbound sockets and our own configured outbound peers. */
  #mayWrite(peer: GunPeerEntry, configured: ReadonlySet<string>): boolean {
    if (!this.#inboundAuth) return true;
    const inbound = this.#inbound.get(peer);
    if (inbound !== undefined) return inbound;
    return peer.url !== undefined && configured.has(peer.url) && this.root.opt.peers[peer.url] === peer;
  }

  readonly #onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const pathname = (req.url ?? '').split('?')[0];
    if (this.#peeringClosed || pathname !== this.#wsPath) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (this.#wss.clients.size >= this.#maxInbound) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const verdict = this.#inboundAuth ? this.#inboundAuth.verdict(req) : 'peer';
    if (verdict === 'refused') {
      socket.end(
        'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onInbound(ws, verdict === 'peer'));
  };

  #onInbound(ws: WebSocket, mayWrite: boolean): void {
    const mesh = this.root.opt.mesh!;
    const peer: GunPeerEntry = { wire: ws as unknown as GunPeerEntry['wire'] };
    this.#inbound.set(peer, mayWrite);
    mesh.hi(peer);
    ws.on('message', (data) => {
      mesh.hear(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8'), peer);
    });
    ws.on('close', () => mesh.bye(peer));
    ws.on('error', () => ws.terminate());
  }

  /** Connected peers (inbound and outbound). */
  connectedPeers(): number {
    return Object.values(this.root.opt.peers).filter((p) => p.wire && p.met).length;
  }

  inboundPeers(): number {
    return this.#wss.clients.size;
  }

  /** Souls currently held in GUN's in-memory graph (bounded by the per-turn eviction). */
  graphSize(): number {
    return Object.keys(this.root.graph).length;
  }

  /** Chains in `root.next` (only the GUN chain API creates them; we never do). */
  chainCount(): number {
    return Object.keys(this.root.next ?? {}).length;
  }

  /** Peer asks in flight (each holds one GUN ack listener). */
  pendingAsks(): number {
    return this.#asks.pending;
  }

  /** GUN event tags with live listeners (ack listeners included): flat when cleanup works. */
  listenerTags(): number {
    return Object.keys(this.root.tag ?? {}).length;
  }

  dupSize(): number {
    return Object.keys(this.root.dup.s).length;
  }

  /** The GUN state (HAM clock) for a write made now. */
  state(): number {
    return loadGun().state();
  }

  /**
   * Writes a graph locally (one SQLite transaction, HAM in SQL) and then replicates it to the
   * connected peers as a GUN put message. Resolves after the local commit; rejects with a coded
   * error: `GUNPROXY_PUT_TIMEOUT` after `timeoutMs`, `GUNPROXY_SHUTTING_DOWN` once closed (or
   * closing), `GUNPROXY_PUT_FAILED` when the store refused the write (its error as `cause`).
   *
   * Our own writes skip GUN's in-process put pipeline (per-key HAM against the in-memory graph,
   * per-key acks, ~12 dedup ids per record): that pipeline only exists to merge into the
   * in-memory graph we evict anyway. Writes from peers still go through it.
   */
  put(graph: Record<string, GunNodeWithMeta>, timeoutMs: number): Promise<void> {
    if (this.#closed) return Promise.reject(new ShuttingDownError());
    const rows: GraphWrite[] = [];
    for (const [soul, node] of Object.entries(graph)) {
      const states = node._['>'];
      for (const [key, value] of Object.entries(node)) {
        if (key === '_') continue;
        // hasOwn: `states.constructor` of a plain object is a function, not a state.
        const state = Object.hasOwn(states, key) ? states[key] : undefined;
        rows.push({ soul, key, value: value as GunValue, state: state ?? this.state() });
      }
    }
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#pending.delete(abort);
        if (err) reject(err);
        else resolve();
      };
      const abort = (): void => finish(new ShuttingDownError());
      const timer = setTimeout(() => finish(new PutTimeoutError(timeoutMs)), timeoutMs);
      this.#pending.add(abort);
      this.storage.writeLocal(rows, (err) => {
        if (err) {
          // The store's own text stays in `cause` (logged), not in the answer.
          finish(new PutFailedError('storage write failed', { cause: new Error(err) }));
          return;
        }
        this.#replicate(graph);
        finish();
      });
    });
  }

  /** Sends a put to the connected peers (GUN wire format); nothing to do without peers. */
  #replicate(graph: Record<string, GunNodeWithMeta>): void {
    const mesh = this.root.opt.mesh;
    if (this.#peeringClosed || !mesh || this.connectedPeers() === 0) return;
    mesh.say({ '#': nextMessageId(), put: graph });
  }

  /**
   * Asks connected peers for a soul. Resolves with the merged node from the first peer that has
   * it, or null when every peer said "not found" or `waitMs` passed. The listener is removed on
   * every path (answer, timeout, abort, close).
   */
  askPeers(soul: string, opts: AskOptions): Promise<GunNodeWithMeta | null> {
    const mesh = this.root.opt.mesh;
    const peers = this.connectedPeers();
    if (this.#peeringClosed || !mesh || peers === 0 || opts.waitMs <= 0 || opts.signal?.aborted)
      return Promise.resolve(null);
    return this.#asks.ofAll(mesh, soul, peers, opts);
  }

  /**
   * Asks one peer for a soul (or one page of it). The answer is not written: the caller merges it
   * (`merge`). Resolves `not-found` when the peer said so, `timeout` after `waitMs`, `gone` when the
   * peer is not connected or peering closed. The ack listener is removed on every path.
   */
  askPeer(peer: GunPeerEntry, soul: string, opts: PeerAskOptions): Promise<PeerAskResult> {
    const mesh = this.root.opt.mesh;
    if (!mesh || !this.isConnected(peer) || opts.signal?.aborted) return Promise.resolve({ status: 'gone' });
    return this.#asks.ofOne(mesh, peer, soul, opts);
  }

  /**
   * Merges a node a peer sent into the store as a replicated put is merged: per key, GUN's HAM
   * (newer state wins; equal state, larger value), applied in SQL. Nothing is replicated onward.
   */
  merge(node: GunNodeWithMeta, soul: string): Promise<void> {
    const rows: GraphWrite[] = [];
    const states = node._['>'];
    for (const key of Object.keys(node)) {
      if (key === '_' || isReservedName(key)) continue;
      const state = Object.hasOwn(states, key) ? states[key] : undefined;
      if (typeof state !== 'number' || !Number.isFinite(state)) continue;
      rows.push({ soul, key, value: node[key] as GunValue, state });
    }
    if (rows.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.storage.writeLocal(rows, (err) =>
        err ? reject(new PutFailedError('storage write failed', { cause: new Error(err) })) : resolve(),
      );
    });
  }

  /** Closes peering (inbound and outbound sockets, reconnect timers), pending asks and storage. */
  async close(): Promise<void> {
    await this.closePeering();
    if (this.#closed) return;
    this.#closed = true;
    for (const stop of [...this.#pending]) stop();
    if (this.root.dup.to) clearTimeout(this.root.dup.to);
    this.storage.close();
    this.store.close();
  }

  /** Stops peering only: sockets, reconnects, heartbeats, pending peer asks. Writes still work. */
  async closePeering(): Promise<void> {
    if (this.#peeringClosed) return;
    this.#peeringClosed = true;
    this.#asks.stopAll();
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#server?.off('upgrade', this.#onUpgrade);
    const peers = this.root.opt.peers;
    for (const key of Object.keys(peers)) {
      const peer = peers[key]!;
      delete peers[key]; // GUN's reconnect loop gives up on peers no longer listed
      if (peer.defer) clearTimeout(peer.defer);
      const wire = peer.wire;
      peer.wire = null;
      if (wire && !(wire instanceof WebSocket && this.#wss.clients.has(wire))) {
        wire.onclose = null;
        wire.onerror = () => undefined;
        wire.onmessage = null;
        wire.onopen = null;
        try {
          if (wire.terminate) wire.terminate();
          else wire.close();
        } catch {
          // a socket still connecting may refuse; it is dropped either way
        }
      }
    }
    for (const ws of this.#wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
