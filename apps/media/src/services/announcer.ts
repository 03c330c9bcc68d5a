// After a public upload: the manifest published to the relay (`POST /media/manifest`, id at
// `media.id`) and our presence announced (`/media/presence` plus our key in the media's peer
// index, through gun-client's announceMedia) with our public HTTP endpoint, so other nodes can
// fetch the file from us. Best effort and off the request path: an upload never fails or waits
// for it. Bounded: the relay client retries transient failures a bounded number of times, and
// past `maxPending` publications at once a new one is dropped (counted). close() aborts the rest.
import { announceMedia, type MediaPeersClient } from '@oip/gun-client';
import type { MediaManifest } from './manifest.js';
import type { PublishResult } from './media-metrics.js';

/** The relay calls publishing needs (a GunClient). */
export interface MediaRelay extends MediaPeersClient {
  putMediaManifest(
    manifest: { media: { id: string } } & Record<string, unknown>,
    opts?: { signal?: AbortSignal },
  ): Promise<Record<string, unknown>>;
}

export interface AnnouncerLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface MediaAnnouncerOptions {
  relay: MediaRelay;
  /** Our peer id (16 hex). */
  peerId: string;
  /** Our public base URL (peers GET `<endpoint>/api/media/<id>`); a function, as it may only be known once listening. */
  endpoint: () => string;
  maxPending: number;
  logger: AnnouncerLogger;
  onResult?: (result: PublishResult) => void;
}

/** The manifest as published to GUN: the local manifest's fields plus `media` (id, mime, size). */
export function relayManifestOf(
  manifest: MediaManifest,
): { media: { id: string } & Record<string, unknown> } & Record<string, unknown> {
  return {
    ...manifest,
    accessLevel: 'public',
    media: { id: manifest.mediaId, mime: manifest.mimeType, size: manifest.fileSize, createdAt: manifest.createdAt },
  };
}

export class MediaAnnouncer {
  readonly #o: MediaAnnouncerOptions;
  readonly #pending = new Set<Promise<void>>();
  readonly #closing = new AbortController();

  constructor(opts: MediaAnnouncerOptions) {
    this.#o = opts;
  }

  get pending(): number {
    return this.#pending.size;
  }

  /** Starts publishing a public manifest; returns at once. Private media is never published. */
  announce(manifest: MediaManifest): void {
    if (manifest.accessLevel !== 'public' || this.#closing.signal.aborted) return;
    if (this.#pending.size >= this.#o.maxPending) {
      this.#o.onResult?.('dropped');
      this.#o.logger.warn(
        { mediaId: manifest.mediaId, pending: this.#pending.size },
        'relay publication dropped: too many pending',
      );
      return;
    }
    const run = this.#publish(manifest).finally(() => this.#pending.delete(run));
    this.#pending.add(run);
  }

  /** Resolves when nothing is pending (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async #publish(manifest: MediaManifest): Promise<void> {
    const signal = this.#closing.signal;
    try {
      await this.#o.relay.putMediaManifest(relayManifestOf(manifest), { signal });
      await announceMedia(
        this.#o.relay,
        {
          mediaId: manifest.mediaId,
          peerId: this.#o.peerId,
          protocols: { http: true },
          endpoints: { http: this.#o.endpoint() },
        },
        { signal },
      );
      this.#o.onResult?.('ok');
    } catch (err) {
      this.#o.onResult?.('failed');
      if (!signal.aborted)
        this.#o.logger.warn(
          { mediaId: manifest.mediaId, err },
          'relay publication failed; the media is stored and served locally',
        );
    }
  }

  async close(): Promise<void> {
    this.#closing.abort();
    await this.settled();
  }
}
