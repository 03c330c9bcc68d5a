// Public media this node lacks, fetched from a peer that announced it: the manifest and presence
// entries come from GUN through our relay; only peers whose ORIGIN (scheme, host, port) is on the
// allowlist are asked, and only at `<origin>/api/media/<id>` whatever path the entry names (a
// forged presence entry cannot point us anywhere else); the body is hashed while it streams to
// a temp file and kept only when its sha256 is the mediaId; a peer that sends other bytes, too
// many bytes, or nothing in time is skipped. Concurrent requests for one mediaId share one fetch;
// fetches in flight are bounded, and every stream is destroyed on failure and on close().
// Whatever a peer does (a non-200, a reset, a body cut short, silence) is one counted failure of
// that fetch: the next peer is tried and nothing escapes as an unhandled error.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { readMediaPeers, type MediaPeer, type MediaPeersClient } from '@oip/gun-client';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '@oip/service-kit';
import { MediaErrorCodes, PeerBodyTooLargeError } from '../errors.js';
import type { MediaManifest } from './manifest.js';
import { originKey, parseAllowedOrigin } from './peer-origin.js';

/** What the replicator reads from GUN (a GunClient). */
export interface ReplicatorRelay extends MediaPeersClient {
  getMediaManifest(mediaId: string): Promise<Record<string, unknown> | null>;
}

/** The media store's part the replicator uses (services/media-store.ts). */
export interface ReplicaStore {
  readonly paths: { readonly tmpDir: string };
  place(tmpFile: string, mediaId: string, manifest: MediaManifest): Promise<unknown>;
}

export interface ReplicatorOptions {
  relay: ReplicatorRelay;
  /** Where fetched files go: the app's media store (temp dir, atomic placement with the manifest). */
  store: ReplicaStore;
  /** Our public base URL, for the stored manifest's httpUrl. */
  publicBase: () => string;
  /** Origins (`http(s)://host[:port]`, compared exactly, default port filled in) that may be fetched from. Empty: none. */
  allowOrigins: readonly string[];
  /** Our own peer id: our presence entries are skipped. */
  selfPeerId: string;
  /** Largest body fetched. */
  maxBytes: number;
  /** Fetches in flight at once, all media together; a fetch past it answers "not here". */
  maxConcurrent: number;
  /** No answer or no body progress for this long → that peer is skipped. */
  timeoutMs: number;
  /** Peers tried per media. @defaultValue 8 */
  maxPeers?: number;
  /** Transport (tests); by default a bounded Agent closed by close(). */
  dispatcher?: Dispatcher;
  /** Told the result of every peer fetch (the app counts them in oip_media_peer_fetch_total). */
  onPeerResult?: (result: PeerResult) => void;
}

export type FetchOutcome = 'stored' | 'no-manifest' | 'not-public' | 'no-peer' | 'busy' | 'closed';

/**
 * What one peer fetch came to: stored; a body whose sha256 was not the mediaId; a host off the
 * allowlist (never contacted); an answer other than 200; a body past maxBytes; no answer or no
 * progress in time; the connection failed, was reset or ended early (or the local write failed).
 */
export type PeerResult =
  'stored' | 'hash_mismatch' | 'host_refused' | 'status' | 'too_large' | 'timeout' | 'connection';

export interface ReplicatorStats {
  fetched: number;
  /** Bodies discarded because their sha256 was not the mediaId. */
  hashMismatch: number;
  /** Presence entries naming an origin off the allowlist (never contacted). */
  hostRefused: number;
  /** Peers that failed (status, size, timeout, connection). */
  peerFailed: number;
  /** peerFailed by cause. */
  failures: { status: number; tooLarge: number; timeout: number; connection: number };
  inFlight: number;
}

const MEDIA_ID = /^[0-9a-f]{64}$/;

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Why a fetch threw: too large, timed out, or anything else on the way (reset, refused, cut short, local write). */
function failureOf(err: unknown, timedOut: boolean): 'too_large' | 'timeout' | 'connection' {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === MediaErrorCodes.PEER_BODY_TOO_LARGE) return 'too_large';
  if (timedOut || (typeof code === 'string' && TIMEOUT_CODES.has(code))) return 'timeout';
  return 'connection';
}

/**
 * Drops a response body we will not read. destroy() without an error makes undici's body emit
 * RequestAbortedError; with no listener that is an uncaught exception that takes the process down.
 */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

export class MediaReplicator {
  readonly #o: Required<Omit<ReplicatorOptions, 'dispatcher' | 'onPeerResult'>>;
  readonly #dispatcher: Dispatcher;
  readonly #ownDispatcher: boolean;
  readonly #inFlight = new Map<string, Promise<FetchOutcome>>();
  readonly #closing = new AbortController();
  readonly #allow: ReadonlySet<string>;
  readonly #onPeerResult: (result: PeerResult) => void;
  #stats = { fetched: 0, hashMismatch: 0, hostRefused: 0 };
  #failures = { status: 0, tooLarge: 0, timeout: 0, connection: 0 };

  constructor(opts: ReplicatorOptions) {
    this.#o = { maxPeers: 8, ...opts } as Required<Omit<ReplicatorOptions, 'dispatcher' | 'onPeerResult'>>;
    this.#onPeerResult = opts.onPeerResult ?? (() => {});
    this.#allow = new Set(
      opts.allowOrigins.map((entry) => {
        const parsed = parseAllowedOrigin(entry);
        if ('problem' in parsed) throw new TypeError(`allowOrigins: ${parsed.problem}`);
        return parsed.origin;
      }),
    );
    this.#ownDispatcher = opts.dispatcher === undefined;
    // undici follows no redirects: a peer cannot send us on to a host off the allowlist.
    this.#dispatcher =
      opts.dispatcher ?? new Agent({ connections: 4, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs });
  }

  stats(): ReplicatorStats {
    const f = this.#failures;
    return {
      ...this.#stats,
      peerFailed: f.status + f.tooLarge + f.timeout + f.connection,
      failures: { ...f },
      inFlight: this.#inFlight.size,
    };
  }

  #count(result: PeerResult): void {
    if (result === 'stored') this.#stats.fetched++;
    else if (result === 'hash_mismatch') this.#stats.hashMismatch++;
    else if (result === 'host_refused') this.#stats.hostRefused++;
    else if (result === 'too_large') this.#failures.tooLarge++;
    else this.#failures[result]++;
    this.#onPeerResult(result);
  }

  /** True when the media is now stored locally (fetched by this call or a concurrent one). */
  async fetchMissing(mediaId: string): Promise<boolean> {
    return (await this.fetch(mediaId)) === 'stored';
  }

  /** Like fetchMissing, saying why nothing was stored. */
  fetch(mediaId: string): Promise<FetchOutcome> {
    if (!MEDIA_ID.test(mediaId)) return Promise.resolve('no-manifest');
    if (this.#closing.signal.aborted) return Promise.resolve('closed');
    const shared = this.#inFlight.get(mediaId);
    if (shared) return shared;
    if (this.#inFlight.size >= this.#o.maxConcurrent) return Promise.resolve('busy');
    const run = this.#fetch(mediaId).finally(() => this.#inFlight.delete(mediaId));
    this.#inFlight.set(mediaId, run);
    return run;
  }

  async #fetch(mediaId: string): Promise<FetchOutcome> {
    const manifest = await this.#o.relay.getMediaManifest(mediaId).catch(() => null);
    if (!manifest) return 'no-manifest';
    // Private media is never announced for replication; a manifest that says otherwise is not trusted.
    if (manifest['accessLevel'] !== 'public') return 'not-public';
    const peers = await readMediaPeers(this.#o.relay, mediaId, { max: this.#o.maxPeers }).catch(
      () => [] as MediaPeer[],
    );
    for (const peer of peers) {
      if (peer.peerId === this.#o.selfPeerId) continue;
      const url = this.#urlOf(peer, mediaId);
      if (url === null) continue;
      const result = await this.#fetchFrom(url, mediaId, manifest);
      // A fetch cut by close() is not the peer's failure.
      if (result !== 'stored' && this.#closing.signal.aborted) return 'closed';
      this.#count(result);
      if (result === 'stored') return 'stored';
    }
    return 'no-peer';
  }

  /** The peer's media URL, or null when its endpoint is missing, malformed or its origin is off the allowlist. */
  #urlOf(peer: MediaPeer, mediaId: string): URL | null {
    const endpoint = peer.endpoints['http'];
    if (typeof endpoint !== 'string' || endpoint.length > 2048) return null;
    let base: URL;
    try {
      base = new URL(endpoint);
    } catch {
      return null;
    }
    const origin = originKey(base);
    if (origin === null || base.username || base.password) return null;
    if (!this.#allow.has(origin)) {
      this.#count('host_refused');
      return null;
    }
    // The route every node serves at the root of its origin; the entry's path is not followed.
    return new URL(`/api/media/${mediaId}`, base.origin);
  }

  async #fetchFrom(url: URL, mediaId: string, manifest: Record<string, unknown>): Promise<PeerResult> {
    const tmpDir = this.#o.store.paths.tmpDir;
    await mkdir(tmpDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const tmp = path.join(tmpDir, `peer-${randomBytes(8).toString('hex')}`);
    const deadline = AbortSignal.timeout(this.#o.timeoutMs * 4);
    const signal = AbortSignal.any([this.#closing.signal, deadline]);
    try {
      const res = await this.#dispatcher.request({
        origin: url.origin,
        path: url.pathname,
        method: 'GET',
        signal,
        headers: { accept: '*/*' },
      });
      if (res.statusCode !== 200) {
        discard(res.body);
        return 'status';
      }
      if (Number(res.headers['content-length'] ?? 0) > this.#o.maxBytes) {
        discard(res.body);
        return 'too_large';
      }
      const hash = createHash('sha256');
      let seen = 0;
      const max = this.#o.maxBytes;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          seen += chunk.length;
          if (seen > max) return done(new PeerBodyTooLargeError(max));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(res.body, meter, createWriteStream(tmp, { flags: 'wx', mode: PRIVATE_FILE_MODE }));
      if (hash.digest('hex') !== mediaId) return 'hash_mismatch';
      await this.#place(tmp, mediaId, manifest, seen);
      return 'stored';
    } catch (err) {
      return failureOf(err, deadline.aborted);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** fsync, then the media store puts the file and its manifest in place (readers never see half a file). */
  async #place(tmp: string, mediaId: string, manifest: Record<string, unknown>, size: number): Promise<void> {
    const fh = await open(tmp, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    const text = (k: string) => (typeof manifest[k] === 'string' ? (manifest[k] as string) : null);
    await this.#o.store.place(tmp, mediaId, {
      mediaId,
      originalName: text('originalName') ?? mediaId,
      mimeType: text('mimeType') ?? 'application/octet-stream',
      fileSize: size,
      httpUrl: `${this.#o.publicBase()}/api/media/${mediaId}`,
      createdAt: text('createdAt') ?? new Date().toISOString(),
      userPublicKey: text('userPublicKey'),
      accessLevel: 'public',
      replicatedAt: new Date().toISOString(),
    });
  }

  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.allSettled([...this.#inFlight.values()]);
    if (this.#ownDispatcher) await this.#dispatcher.close();
  }
}
