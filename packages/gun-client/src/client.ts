// The one HTTP client for GUN relays (our gun-proxy or a legacy gun-relay-server): the relay API
// (souls, records, the registry, deletions, media). How requests travel (pool, coalescing, negative
// cache, retries, stats) is relay-requests.ts; what souls and nodes mean is @oip/records'.
import {
  DEFAULT_REGISTRY_ROOT,
  DELETION_INDEX_SOUL,
  type DeletionEntry,
  type DeletionProof,
  type GunNode,
  type GunRecordNode,
  type RegistryIndexEntry,
  deletionEntriesFromNode,
  deletionSoul,
  didFromSoul,
  mediaManifestSoul,
  recordFromNode,
  registryEntriesFromNode,
  registryIndexSoul,
  registryNodeSoul,
  reservedSoulProblem,
  soulProblem,
} from '@oip/records';
import { GunClientError, GunErrorCodes } from './errors.js';
import type { GunClientOptions } from './options.js';
import { type RegistryIndexPage, type RegistryPageOptions, registryIndexPages } from './registry-pages.js';
import { type CallOptions, RelayRequests } from './relay-requests.js';
import type { GunClientStats } from './stats.js';
import {
  type ListedRecord,
  type PeersStatus,
  listFromBody,
  nodeFromGetBody,
  objectBody,
  pageFromGetBody,
} from './wire.js';

export type { CallOptions };

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
  // The one soul rule set (@oip/records): what our relays would refuse never leaves this client.
  const problem = typeof soul !== 'string' ? 'not a string' : (soulProblem(soul) ?? reservedSoulProblem(soul));
  if (problem !== null) {
    throw new GunClientError(
      GunErrorCodes.INVALID_ARGUMENT,
      `invalid soul ${JSON.stringify(String(soul).slice(0, 80))}: ${problem}`,
    );
  }
}

export class GunClient {
  readonly #req: RelayRequests;

  constructor(options: GunClientOptions) {
    this.#req = new RelayRequests(options);
  }

  /** The relay's origin and path prefix, for logs and metrics labels. */
  get baseUrl(): string {
    return `${this.#req.opts.origin}${this.#req.opts.basePath}`;
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
    if (this.#req.negativeHit(soul)) return null;
    const result = await this.#req.get(path, soul, opts);
    if (result.kind === 'not-found') return null;
    const node = nodeFromGetBody(result.json, { path: '/get' });
    if (!node) this.#req.rememberMiss(soul);
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
    if (this.#req.negativeHit(soul)) return null;
    const params = new URLSearchParams({ soul, limit: String(q.limit) });
    if (q.after !== undefined) params.set('after', q.after);
    const result = await this.#req.get(`/get?${params}`, soul, q.signal ? { signal: q.signal } : {});
    if (result.kind === 'not-found') return null;
    const page = pageFromGetBody(result.json, { path: '/get' });
    if (!page) this.#req.rememberMiss(soul);
    return page;
  }

  /**
   * True when this base serves the relay API: `GET <base>/get` without a soul is answered with
   * the relay's 400 (or any 2xx/4xx other than 404), not a 404 for an unknown path.
   */
  async servesRelayApi(opts: CallOptions = {}): Promise<boolean> {
    try {
      const r = await this.#req.get('/get', null, opts);
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
    await this.#req.write('/put', { soul, data }, opts);
    this.#req.forget(soul);
    return { soul };
  }

  async list(query: ListQuery, opts: CallOptions = {}): Promise<ListedRecord[]> {
    const params = new URLSearchParams({
      publisherHash: query.publisherHash,
      limit: String(query.limit ?? 50),
      offset: String(query.offset ?? 0),
    });
    if (query.recordType) params.set('recordType', query.recordType);
    const result = await this.#req.get(`/list?${params}`, null, opts);
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
    if (this.#req.negativeHit(key)) return null;
    const result = await this.#req.get(`/media/manifest?mediaId=${encodeURIComponent(mediaId)}`, key, opts);
    if (result.kind === 'not-found') return null;
    return objectBody(result.json, { path: '/media/manifest' });
  }

  /** Publishes a manifest whose id is at `media.id`. */
  async putMediaManifest(
    manifest: { media: { id: string } } & Record<string, unknown>,
    opts: CallOptions = {},
  ): Promise<Record<string, unknown>> {
    const body = await this.#req.write('/media/manifest', manifest, opts);
    this.#req.forget(mediaManifestSoul(manifest.media.id));
    return body;
  }

  async putMediaPresence(input: PresenceInput, opts: CallOptions = {}): Promise<Record<string, unknown>> {
    return this.#req.write('/media/presence', input, opts);
  }

  async peersStatus(opts: CallOptions = {}): Promise<PeersStatus> {
    const result = await this.#req.get('/peers/status', null, opts);
    if (result.kind === 'not-found')
      throw new GunClientError(GunErrorCodes.REJECTED, 'relay has no /peers/status', {
        meta: { path: '/peers/status', statusCode: 404 },
      });
    return objectBody(result.json, { path: '/peers/status' }) as PeersStatus;
  }

  // ---- lifecycle and stats ------------------------------------------------------------------

  /** Forgets a remembered miss (e.g. when another channel says the soul now exists). */
  invalidate(soul: string): void {
    this.#req.forget(soul);
  }

  stats(): GunClientStats {
    return this.#req.stats();
  }

  /** Aborts calls in flight, drops the caches and closes the pool the client created. */
  close(): Promise<void> {
    return this.#req.close();
  }
}
