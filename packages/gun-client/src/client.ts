// The one HTTP client for GUN relays (our gun-proxy or a legacy gun-relay-server).
import { setMaxListeners } from 'node:events';
import { type Dispatcher, Pool } from 'undici';
import { type ResolvedRetry, resolveRetry } from './backoff.js';
import { callWithRetries, raceSignal } from './call-with-retries.js';
import { channels, publish } from './diagnostics.js';
import { GunClientError, GunErrorCodes } from './errors.js';
import { NegativeCache } from './negative-cache.js';
import {
  type GunClientLogger,
  type GunClientOptions,
  type ResolvedGunClientOptions,
  resolveOptions,
} from './options.js';
import {
  DEFAULT_REGISTRY_ROOT,
  DELETION_INDEX_SOUL,
  deletionSoul,
  didFromSoul,
  mediaManifestSoul,
  registryIndexSoul,
  registryNodeSoul,
  reservedSoulProblem,
  soulProblem,
} from './souls.js';
import { type RegistryIndexPage, type RegistryPageOptions, registryIndexPages } from './registry-pages.js';
import { type GunClientStats, StatsCounter } from './stats.js';
import type { Attempt, AttemptResult } from './transport.js';
import {
  type DeletionEntry,
  type DeletionProof,
  type GunNode,
  type GunRecordNode,
  type ListedRecord,
  type PeersStatus,
  type RegistryIndexEntry,
  deletionEntriesFromNode,
  listFromBody,
  nodeFromGetBody,
  objectBody,
  pageFromGetBody,
  recordFromNode,
  registryEntriesFromNode,
} from './wire.js';

export interface CallOptions {
  /** Aborts this call only (a coalesced request goes on for the other callers). */
  signal?: AbortSignal;
}

export interface ListQuery {
  publisherHash: string;
  recordType?: string;
  /** @defaultValue 50 */
  limit?: number;
  /** @defaultValue 0 */
  offset?: number;
}

export interface RegistrationInput {
  did?: string;
  soul: string;
  recordType: string;
  creatorPubKey: string;
  nodeId: string;
  /** @defaultValue 'oip:registry' */
  root?: string;
  /** @defaultValue Date.now() */
  timestamp?: number;
}

export interface PresenceInput {
  mediaId: string;
  peerId: string;
  protocols?: Record<string, unknown>;
  endpoints?: Record<string, unknown>;
}

/** Longest page cursor (a node key) sent; the relay's own bound for `after`. */
const MAX_CURSOR_LENGTH = 1024;

function validSoul(soul: unknown): asserts soul is string {
  // The one soul rule set (souls.ts): what our relays would refuse never leaves this client.
  const problem = typeof soul !== 'string' ? 'not a string' : (soulProblem(soul) ?? reservedSoulProblem(soul));
  if (problem !== null) {
    throw new GunClientError(
      GunErrorCodes.INVALID_ARGUMENT,
      `invalid soul ${JSON.stringify(String(soul).slice(0, 80))}: ${problem}`,
    );
  }
}

export class GunClient {
  readonly #opts: ResolvedGunClientOptions;
  readonly #retry: ResolvedRetry;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #negative: NegativeCache | null;
  readonly #inflight = new Map<string, Promise<AttemptResult>>();
  readonly #stats = new StatsCounter();
  readonly #close = new AbortController();
  readonly #authHeaders: Record<string, string>;
  readonly #logger: GunClientLogger | undefined;
  readonly #random: () => number;
  #closed = false;

  constructor(options: GunClientOptions) {
    this.#opts = resolveOptions(options);
    this.#retry = resolveRetry(options.retry);
    this.#negative = options.negativeCache === false ? null : new NegativeCache(options.negativeCache);
    this.#authHeaders = options.authToken ? { authorization: `Bearer ${options.authToken}` } : {};
    this.#logger = options.logger;
    this.#random = options.random ?? Math.random;
    // Every attempt in flight listens for close; the in-flight bound is the listener bound.
    setMaxListeners(this.#opts.maxInFlight + 1, this.#close.signal);
    if (options.dispatcher) {
      this.#dispatcher = options.dispatcher;
      this.#ownsDispatcher = false;
    } else {
      const o = this.#opts;
      this.#dispatcher = new Pool(o.origin, {
        connections: o.connections,
        keepAliveTimeout: o.keepAliveTimeoutMs,
        keepAliveMaxTimeout: Math.max(o.keepAliveTimeoutMs, 10_000),
        headersTimeout: o.headersTimeoutMs,
        bodyTimeout: o.bodyTimeoutMs,
        connect: { timeout: o.connectTimeoutMs },
        maxResponseSize: o.maxResponseBytes,
        pipelining: 1,
      });
      this.#ownsDispatcher = true;
    }
  }

  /** The relay's origin and path prefix, for logs and metrics labels. */
  get baseUrl(): string {
    return `${this.#opts.origin}${this.#opts.basePath}`;
  }

  // ---- records and simple souls -------------------------------------------------------------

  /** A record node with `data`/`oip` parsed; null when the relay has no such soul. */
  async getRecord(soul: string, opts: CallOptions = {}): Promise<GunRecordNode | null> {
    const node = await this.getSoul(soul, opts);
    return node ? recordFromNode(node) : null;
  }

  /** Any soul as a plain object (registry index, manifests…); null when absent. */
  async getSoul(soul: string, opts: CallOptions = {}): Promise<GunNode | null> {
    validSoul(soul);
    const path = `/get?soul=${encodeURIComponent(soul)}`;
    if (this.#negativeHit(soul)) return null;
    const result = await this.#get(path, soul, opts);
    if (result.kind === 'not-found') return null;
    const node = nodeFromGetBody(result.json, { path: '/get' });
    if (!node) this.#rememberMiss(soul);
    return node;
  }

  /**
   * Up to `limit` keys of a soul after `after` (the paged `/get`). `paged` is false when the relay
   * ignored the paging parameters and sent the whole node (a legacy relay: no `next` field).
   * Null when the relay has no such soul.
   */
  async getSoulPage(
    soul: string,
    q: { limit: number; after?: string; signal?: AbortSignal },
  ): Promise<{ node: GunNode; next: string | null; paged: boolean } | null> {
    validSoul(soul);
    if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 1000)
      throw new GunClientError(GunErrorCodes.INVALID_ARGUMENT, `page limit must be 1..1000, got ${q.limit}`);
    if (q.after !== undefined && (q.after.length > MAX_CURSOR_LENGTH || q.after.length === 0))
      throw new GunClientError(GunErrorCodes.INVALID_ARGUMENT, 'page cursor must be 1..1024 chars');
    if (this.#negativeHit(soul)) return null;
    const params = new URLSearchParams({ soul, limit: String(q.limit) });
    if (q.after !== undefined) params.set('after', q.after);
    const result = await this.#get(`/get?${params}`, soul, q.signal ? { signal: q.signal } : {});
    if (result.kind === 'not-found') return null;
    const page = pageFromGetBody(result.json, { path: '/get' });
    if (!page) this.#rememberMiss(soul);
    return page;
  }

  /**
   * True when this base serves the relay API: `GET <base>/get` without a soul is answered with
   * the relay's 400 (or any 2xx/4xx other than 404), not a 404 for an unknown path.
   */
  async servesRelayApi(opts: CallOptions = {}): Promise<boolean> {
    try {
      const r = await this.#get('/get', null, opts);
      return r.kind !== 'not-found';
    } catch (err) {
      if ((err as GunClientError).code === GunErrorCodes.REJECTED) return true;
      throw err;
    }
  }

  /** Stores a record (`{ data, oip, meta? }`); the relay keeps `data`/`oip` as JSON strings. */
  async putRecord(
    soul: string,
    record: { data: unknown; oip: unknown; meta?: Record<string, unknown> },
    opts: CallOptions = {},
  ): Promise<{ soul: string; did: string }> {
    await this.putSoul(soul, record as Record<string, unknown>, opts);
    return { soul, did: didFromSoul(soul) };
  }

  /** Puts (merges) fields into a soul. */
  async putSoul(soul: string, data: Record<string, unknown>, opts: CallOptions = {}): Promise<{ soul: string }> {
    validSoul(soul);
    await this.#write('/put', { soul, data }, opts);
    this.#negative?.delete(soul);
    return { soul };
  }

  async list(query: ListQuery, opts: CallOptions = {}): Promise<ListedRecord[]> {
    const params = new URLSearchParams({
      publisherHash: query.publisherHash,
      limit: String(query.limit ?? 50),
      offset: String(query.offset ?? 0),
    });
    if (query.recordType) params.set('recordType', query.recordType);
    const result = await this.#get(`/list?${params}`, null, opts);
    if (result.kind === 'not-found') return [];
    return listFromBody(result.json, { path: '/list' });
  }

  // ---- registry -----------------------------------------------------------------------------

  /** Entries of `oip:registry:index:<recordType>`; empty when the index does not exist. */
  async getRegistryIndex(
    recordType: string,
    root = DEFAULT_REGISTRY_ROOT,
    opts: CallOptions = {},
  ): Promise<RegistryIndexEntry[]> {
    const node = await this.getSoul(registryIndexSoul(recordType, root), opts);
    return node ? registryEntriesFromNode(node) : [];
  }

  /**
   * Pages of `oip:registry:index:<recordType>`, paged `/get` where the relay supports it, entry
   * links followed in bounded batches (singleflight and the negative cache apply to each read).
   * Use this instead of getRegistryIndex for indexes that may be large: memory stays bounded by
   * one page (or, against a legacy relay, by its single answer).
   */
  registryIndexPages(
    recordType: string,
    opts: RegistryPageOptions = {},
  ): AsyncGenerator<RegistryIndexPage, void, undefined> {
    return registryIndexPages(this, registryIndexSoul(recordType, opts.root ?? DEFAULT_REGISTRY_ROOT), opts);
  }

  /**
   * Registers a record under our node id: the node entry, then one key merged into the type's
   * index (a GUN merge, not a read-modify-write, so concurrent registrations don't lose entries).
   */
  async registerRecord(input: RegistrationInput, opts: CallOptions = {}): Promise<void> {
    const root = input.root ?? DEFAULT_REGISTRY_ROOT;
    const timestamp = input.timestamp ?? Date.now();
    const did = input.did ?? didFromSoul(input.soul);
    await this.putSoul(
      registryNodeSoul(input.nodeId, input.soul, root),
      {
        did,
        soul: input.soul,
        recordType: input.recordType,
        creatorPubKey: input.creatorPubKey,
        nodeId: input.nodeId,
        timestamp,
        oipVersion: '0.8.0',
      },
      opts,
    );
    await this.putSoul(
      registryIndexSoul(input.recordType, root),
      { [input.soul]: { soul: input.soul, nodeId: input.nodeId, timestamp } },
      opts,
    );
  }

  /** DIDs in the deletion registry index. */
  async getDeletedRecords(opts: CallOptions = {}): Promise<DeletionEntry[]> {
    const node = await this.getSoul(DELETION_INDEX_SOUL, opts);
    return node ? deletionEntriesFromNode(node) : [];
  }

  /**
   * Marks a DID deleted the way legacy nodes write it, so their `getAllDeletedDIDs` (which counts
   * only index keys whose value is `true`) and `isDeleted` see it: the per-DID entry with its ISO
   * `timestamp`, then a `true` flag under the DID in the index. Readers accept both this and the
   * object entries earlier versions of ours wrote. With a `proof`, the entry carries the
   * publisher's signature over did, deletedAt and deletedBy (see @oip/records signDeletion).
   */
  async markDeleted(did: string, deletedBy: string, opts: CallOptions = {}, proof?: DeletionProof): Promise<void> {
    const now = new Date(proof?.deletedAt ?? Date.now());
    const signed = proof ? { signature: proof.signature, sigScheme: proof.sigScheme } : {};
    await this.putSoul(
      deletionSoul(did),
      { did, deletedAt: now.getTime(), deletedBy, timestamp: now.toISOString(), ...signed },
      opts,
    );
    await this.putSoul(DELETION_INDEX_SOUL, { [did]: true }, opts);
  }

  // ---- media and peers ----------------------------------------------------------------------

  async getMediaManifest(mediaId: string, opts: CallOptions = {}): Promise<Record<string, unknown> | null> {
    const key = mediaManifestSoul(mediaId);
    if (this.#negativeHit(key)) return null;
    const result = await this.#get(`/media/manifest?mediaId=${encodeURIComponent(mediaId)}`, key, opts);
    if (result.kind === 'not-found') return null;
    return objectBody(result.json, { path: '/media/manifest' });
  }

  /** Publishes a manifest whose id is at `media.id`. */
  async putMediaManifest(
    manifest: { media: { id: string } } & Record<string, unknown>,
    opts: CallOptions = {},
  ): Promise<Record<string, unknown>> {
    const body = await this.#write('/media/manifest', manifest, opts);
    this.#negative?.delete(mediaManifestSoul(manifest.media.id));
    return body;
  }

  async putMediaPresence(input: PresenceInput, opts: CallOptions = {}): Promise<Record<string, unknown>> {
    return this.#write('/media/presence', input, opts);
  }

  async peersStatus(opts: CallOptions = {}): Promise<PeersStatus> {
    const result = await this.#get('/peers/status', null, opts);
    if (result.kind === 'not-found')
      throw new GunClientError(GunErrorCodes.REJECTED, 'relay has no /peers/status', {
        meta: { path: '/peers/status', statusCode: 404 },
      });
    return objectBody(result.json, { path: '/peers/status' }) as PeersStatus;
  }

  // ---- lifecycle and stats ------------------------------------------------------------------

  /** Forgets a remembered miss (e.g. when another channel says the soul now exists). */
  invalidate(soul: string): void {
    this.#negative?.delete(soul);
  }

  stats(): GunClientStats {
    const s = this.#stats;
    return {
      requests: s.requests,
      responses2xx: s.responses2xx,
      responses4xx: s.responses4xx,
      responses5xx: s.responses5xx,
      notFound: s.notFound,
      failures: Object.fromEntries(s.failures),
      retries: s.retries,
      coalesced: s.coalesced,
      inFlight: s.inFlight,
      bytesIn: s.bytesIn,
      bytesOut: s.bytesOut,
      openSockets: this.#openSockets(),
      negativeCache: this.#negative?.stats() ?? null,
    };
  }

  /** Aborts calls in flight, drops the caches and closes the pool the client created. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#close.abort(new GunClientError(GunErrorCodes.CLOSED, 'client closed'));
    this.#negative?.clear();
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  // ---- internals ----------------------------------------------------------------------------

  #openSockets(): number | null {
    const st = (this.#dispatcher as { stats?: unknown }).stats;
    if (!st || typeof st !== 'object') return null;
    if (typeof (st as { connected?: unknown }).connected === 'number') return (st as { connected: number }).connected;
    // An Agent reports per origin.
    let n = 0;
    for (const v of Object.values(st as Record<string, { connected?: number }>)) n += v?.connected ?? 0;
    return n;
  }

  #negativeHit(key: string): boolean {
    if (!this.#negative) return false;
    const hit = this.#negative.has(key);
    publish(channels.negativeCache, { key, hit });
    return hit;
  }

  #rememberMiss(key: string | null): void {
    this.#stats.notFound++;
    if (key) this.#negative?.add(key);
  }

  /** GETs are coalesced: identical calls in flight share one request. */
  #get(path: string, missKey: string | null, opts: CallOptions): Promise<AttemptResult> {
    const shared = this.#inflight.get(path);
    if (shared) {
      this.#stats.coalesced++;
      return raceSignal(shared, opts.signal, path);
    }
    const p = this.#withRetries({ method: 'GET', path: this.#opts.basePath + path }).then((r) => {
      if (r.kind === 'not-found') this.#rememberMiss(missKey);
      return r;
    });
    this.#inflight.set(path, p);
    const clear = () => {
      this.#inflight.delete(path);
    };
    p.then(clear, clear);
    return raceSignal(p, opts.signal, path);
  }

  async #write(path: string, payload: unknown, opts: CallOptions): Promise<Record<string, unknown>> {
    const body = JSON.stringify(payload);
    const p = this.#withRetries({ method: 'POST', path: this.#opts.basePath + path, body, headers: this.#authHeaders });
    const result = await raceSignal(p, opts.signal, path);
    if (result.kind === 'not-found') {
      throw new GunClientError(GunErrorCodes.REJECTED, `relay has no ${path} (404)`, {
        meta: { path, statusCode: 404 },
      });
    }
    return objectBody(result.json, { path });
  }

  #withRetries(a: Attempt): Promise<AttemptResult> {
    return callWithRetries(
      {
        stats: this.#stats,
        retry: this.#retry,
        random: this.#random,
        logger: this.#logger,
        maxInFlight: this.#opts.maxInFlight,
        closeSignal: this.#close.signal,
        isClosed: () => this.#closed,
        transport: this.#transportDeps(),
      },
      a,
    );
  }

  #transportDeps() {
    return {
      dispatcher: this.#dispatcher,
      origin: this.#opts.origin,
      maxResponseBytes: this.#opts.maxResponseBytes,
      requestTimeoutMs: this.#opts.requestTimeoutMs,
      headersTimeoutMs: this.#opts.headersTimeoutMs,
      bodyTimeoutMs: this.#opts.bodyTimeoutMs,
      closeSignal: this.#close.signal,
      onBytes: (inB: number, outB: number) => {
        this.#stats.bytesIn += inB;
        this.#stats.bytesOut += outB;
      },
      onStatus: (code: number) => this.#stats.status(code),
    };
  }
}
