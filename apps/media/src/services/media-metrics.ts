// The media service's own metrics (prefix oip_media_), on the app's registry beside
// memory-guard's (which has oip_media_open_fds and open_sockets): file streams alive, bytes
// served, uploads, fetches of missing media, each peer fetch of replication, relay publications. Streams are counted from creation to their 'close' (their descriptor is closed then).
import type { Readable } from 'node:stream';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { PeerResult } from './replicator.js';

export type UploadResult = 'stored' | 'duplicate' | 'too_large' | 'aborted' | 'rejected' | 'failed';
export type FetchResult = 'stored' | 'missing' | 'error';
export type PublishResult = 'ok' | 'failed' | 'dropped';

export class MediaMetrics {
  readonly #active: Gauge;
  readonly #served: Counter;
  readonly #uploads: Counter<'result'>;
  readonly #uploadBytes: Counter;
  readonly #fetches: Counter<'result'>;
  readonly #publishes: Counter<'result'>;
  readonly #peerFetches: Counter<'result'>;
  #activeStreams = 0;

  constructor(registry: Registry, prefix = 'oip_media_') {
    const registers = [registry];
    this.#active = new Gauge({ name: `${prefix}active_streams`, help: 'File read streams open now', registers });
    this.#served = new Counter({
      name: `${prefix}bytes_served_total`,
      help: 'Bytes read from media files for responses',
      registers,
    });
    this.#uploads = new Counter({
      name: `${prefix}uploads_total`,
      help: 'Uploads by result',
      labelNames: ['result'],
      registers,
    });
    this.#uploadBytes = new Counter({
      name: `${prefix}upload_bytes_total`,
      help: 'Bytes of uploads stored or deduplicated',
      registers,
    });
    this.#fetches = new Counter({
      name: `${prefix}fetch_missing_total`,
      help: 'Fetches of media missing locally, by result',
      labelNames: ['result'],
      registers,
    });
    this.#publishes = new Counter({
      name: `${prefix}relay_publish_total`,
      help: 'Manifest + presence publications to the relay, by result',
      labelNames: ['result'],
      registers,
    });
    this.#peerFetches = new Counter({
      name: `${prefix}peer_fetch_total`,
      help: 'Replication: fetches from one peer, by result',
      labelNames: ['result'],
      registers,
    });
  }

  /** File streams alive now (the active_streams gauge). */
  get activeStreams(): number {
    return this.#activeStreams;
  }

  /** Counts `stream` as active until it closes; then adds the bytes it read to bytes_served. */
  trackStream(stream: Readable & { bytesRead?: number }): void {
    this.#activeStreams++;
    this.#active.set(this.#activeStreams);
    stream.once('close', () => {
      this.#activeStreams--;
      this.#active.set(this.#activeStreams);
      if (typeof stream.bytesRead === 'number' && stream.bytesRead > 0) this.#served.inc(stream.bytesRead);
    });
  }

  upload(result: UploadResult, bytes = 0): void {
    this.#uploads.inc({ result });
    if (bytes > 0) this.#uploadBytes.inc(bytes);
  }

  fetchMissing(result: FetchResult): void {
    this.#fetches.inc({ result });
  }

  publish(result: PublishResult): void {
    this.#publishes.inc({ result });
  }

  peerFetch(result: PeerResult): void {
    this.#peerFetches.inc({ result });
  }
}
