// The media directory: locate a stored file with its views (services/media-views.ts: read
// asynchronously, kept in a bounded LRU, concurrent reads of one media shared), and put an
// uploaded file in place. Placing links the fsynced temp file to `<id>/original` (fails when it
// exists: the existing bytes are kept), then records the uploader's view (the first uploader's is
// the manifest, linked the same way), then fsyncs the directory; the views of the media are
// dropped from the cache so the next read sees them.
import { link, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import { PRIVATE_DIR_MODE } from '@oip/service-kit';
import { replaceManifest, type MediaManifest } from './manifest.js';
import { claimView, readOwnView, readViews, syncDir, type MediaViews } from './media-views.js';
import { StorageError } from '../errors.js';
import type { MediaFileStat, MediaPaths } from './media-paths.js';

export interface LocatedMedia extends MediaViews {
  mediaId: string;
  file: MediaFileStat;
}

export interface PlaceResult {
  /** False when the bytes were already stored (this upload was a duplicate of someone's). */
  stored: boolean;
  /** False when this uploader already had a view of these bytes (their own duplicate). */
  created: boolean;
  /** The uploader's own view: the manifest given, or the one they had. Never another user's. */
  view: MediaManifest;
  /** The public view of the media after placing, or null while it is private to everyone. */
  public: MediaManifest | null;
}

export class MediaStore {
  readonly paths: MediaPaths;
  readonly #views: LRUCache<string, MediaViews>;

  constructor(paths: MediaPaths, opts: { manifestCacheSize: number }) {
    this.paths = paths;
    this.#views = new LRUCache<string, MediaViews>({
      max: opts.manifestCacheSize,
      // invalidate() while a read is in flight must not fail the requests sharing it (views are
      // written once, so what that read returns is right, if perhaps one view short).
      ignoreFetchAbort: true,
      // Misses are not cached: a file the replicator or an upload stores later must be seen.
      fetchMethod: async (mediaId) => (await readViews(this.paths, mediaId)) ?? undefined,
    });
  }

  /** The primary and public views of a media id whose directory is a real one, or null. */
  async views(mediaId: string): Promise<MediaViews | null> {
    if (!(await this.paths.hasDir(mediaId))) return null;
    return this.#cached(mediaId);
  }

  /** The views through the LRU; the caller has checked the media directory. */
  async #cached(mediaId: string): Promise<MediaViews | null> {
    return (await this.#views.fetch(mediaId)) ?? null;
  }

  /** The view of the uploader with `publicKey` (not cached: read for private media only), or null. */
  ownView(mediaId: string, views: MediaViews, publicKey: string): Promise<MediaManifest | null> {
    return readOwnView(this.paths, mediaId, views.primary, publicKey);
  }

  /** The stored file and its views; null when the file or the manifest is missing (or is not a plain file). */
  async locate(mediaId: string): Promise<LocatedMedia | null> {
    // statFile checked the directory (a real one, not a link) on the way.
    const file = await this.paths.statFile(mediaId);
    if (file === null) return null;
    const views = await this.#cached(mediaId);
    if (views === null) return null;
    return { mediaId, file, ...views };
  }

  /**
   * Adds `fields` to the view of the uploader with `publicKey` (manifest.json when they were the
   * first, else their owners/ view) and drops the cached views. False when they have no view.
   */
  async updateOwnView(mediaId: string, publicKey: string, fields: Record<string, unknown>): Promise<boolean> {
    const views = await this.views(mediaId);
    if (views === null) return false;
    const own = await this.ownView(mediaId, views, publicKey);
    if (own === null) return false;
    const file =
      views.primary.userPublicKey === publicKey
        ? this.paths.manifestOf(mediaId)
        : this.paths.ownerViewOf(mediaId, publicKey);
    await replaceManifest(this.paths.tmpDir, file, { ...own, ...fields, mediaId });
    await syncDir(path.dirname(file));
    this.invalidate(mediaId);
    return true;
  }

  /** Forget a media's cached views (after something else wrote the media, e.g. the replicator). */
  invalidate(mediaId: string): void {
    this.#views.delete(mediaId);
  }

  get cachedManifests(): number {
    return this.#views.size;
  }

  /** Puts a complete, fsynced temp file in place as `mediaId` with its uploader's view (removing the temp file either way). */
  async place(tmpFile: string, mediaId: string, view: MediaManifest): Promise<PlaceResult> {
    const dir = this.paths.dirOf(mediaId);
    try {
      await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      // A link planted where the directory should be must not receive our files.
      if (!(await this.paths.hasDir(mediaId)))
        throw new StorageError({ cause: new Error(`${dir} is not a directory of its own`) });
      let stored = true;
      try {
        await link(tmpFile, this.paths.fileOf(mediaId));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        stored = false;
      }
      // The file first: a manifest never names a file that is not there.
      const claimed = await claimView(this.paths, mediaId, view);
      await syncDir(dir);
      this.invalidate(mediaId);
      return { stored, ...claimed };
    } finally {
      await rm(tmpFile, { force: true });
    }
  }
}
