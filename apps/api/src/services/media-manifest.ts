// The manifest of an uploaded media file, read from apps/media (`GET /api/media/:id/info`) with
// the caller's own token, so media's access rules decide what the caller may see. One small
// bounded pool, timeouts on every call, closed with the app.
import { Pool } from 'undici';
import { MediaForbiddenError, MediaNotFoundError, UpstreamTimeoutError, UpstreamUnavailableError } from '../errors.js';

export interface MediaManifest {
  mediaId: string;
  originalName?: string;
  mimeType?: string;
  fileSize?: number;
  httpUrl?: string;
  userPublicKey?: string;
  accessLevel?: string;
  [key: string]: unknown;
}

const MAX_MANIFEST_BYTES = 64 * 1024;

export class MediaManifestReader {
  readonly #pool: Pool;
  readonly #base: URL;
  readonly #timeoutMs: number;

  constructor(mediaUrl: string, timeoutMs: number) {
    this.#base = new URL(mediaUrl);
    this.#pool = new Pool(this.#base.origin, { connections: 4, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    this.#timeoutMs = timeoutMs;
  }

  /** `mediaId` must already be checked (64 lowercase hex). */
  async read(mediaId: string, authorization: string): Promise<MediaManifest> {
    let res;
    try {
      res = await this.#pool.request({
        method: 'GET',
        path: `${this.#base.pathname.replace(/\/$/, '')}/api/media/${mediaId}/info`,
        headers: { authorization, accept: 'application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      const name = (err as { name?: string; code?: string }).name;
      if (name === 'TimeoutError' || (err as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT')
        throw new UpstreamTimeoutError('media', this.#timeoutMs, { cause: err });
      throw new UpstreamUnavailableError('media', { cause: err });
    }
    const declared = Number(res.headers['content-length'] ?? 0);
    if (res.statusCode === 404) {
      await res.body.dump();
      throw new MediaNotFoundError();
    }
    if (res.statusCode === 401 || res.statusCode === 403) {
      await res.body.dump();
      throw new MediaForbiddenError();
    }
    if (res.statusCode !== 200 || declared > MAX_MANIFEST_BYTES) {
      await res.body.dump();
      throw new UpstreamUnavailableError('media');
    }
    const text = await res.body.text();
    if (text.length > MAX_MANIFEST_BYTES) throw new UpstreamUnavailableError('media');
    const manifest = JSON.parse(text) as MediaManifest;
    if (typeof manifest !== 'object' || manifest === null) throw new UpstreamUnavailableError('media');
    return manifest;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
