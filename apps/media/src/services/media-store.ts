// The media directory: locate a stored file with its manifest (manifests read asynchronously,
// kept in a bounded LRU, concurrent reads of one manifest shared), and put an uploaded file in
// place. Placing links the fsynced temp file to `<id>/original` (fails when it exists: the
// existing media is kept), then the manifest the same way, then fsyncs the directory; the
// manifest of the media is dropped from the cache so the next read sees it.
import { link, mkdir, open, rm } from 'node:fs/promises';
import { LRUCache } from 'lru-cache';
import { readManifest, writeManifestOnce, type MediaManifest } from './manifest.js';
import { StorageError } from '../errors.js';
import type { MediaFileStat, MediaPaths } from './media-paths.js';

export interface LocatedMedia {
  mediaId: string;
  manifest: MediaManifest;
  file: MediaFileStat;
}

export interface PlaceResult {
  /** False when the media was already stored (this upload was a duplicate). */
  stored: boolean;
  /** The manifest now on disk: ours, or the first uploader's for a duplicate. */
  manifest: MediaManifest;
}

export class MediaStore {
  readonly paths: MediaPaths;
  readonly #manifests: LRUCache<string, MediaManifest>;

  constructor(paths: MediaPaths, opts: { manifestCacheSize: number }) {
    this.paths = paths;
    this.#manifests = new LRUCache<string, MediaManifest>({
      max: opts.manifestCacheSize,
      // invalidate() while a read is in flight must not fail the requests sharing it (manifests
      // are written once, so what that read returns is still right).
      ignoreFetchAbort: true,
      // Misses are not cached: a file the replicator or an upload stores later must be seen.
      fetchMethod: async (mediaId) => (await readManifest(this.paths.manifestOf(mediaId), mediaId)) ?? undefined,
    });
  }

  /** The manifest of a media id whose directory is a real one, or null. */
  async manifest(mediaId: string): Promise<MediaManifest | null> {
    if (!(await this.paths.hasDir(mediaId))) return null;
    return this.#cached(mediaId);
  }

  /** The manifest through the LRU; the caller has checked the media directory. */
  async #cached(mediaId: string): Promise<MediaManifest | null> {
    return (await this.#manifests.fetch(mediaId)) ?? null;
  }

  /** The stored file and its manifest; null when either is missing (or is not a plain file). */
  async locate(mediaId: string): Promise<LocatedMedia | null> {
    // statFile checked the directory (a real one, not a link) on the way.
    const file = await this.paths.statFile(mediaId);
    if (file === null) return null;
    const manifest = await this.#cached(mediaId);
    if (manifest === null) return null;
    return { mediaId, manifest, file };
  }

  /** Forget a cached manifest (after something else wrote the media, e.g. the replicator). */
  invalidate(mediaId: string): void {
    this.#manifests.delete(mediaId);
  }

  get cachedManifests(): number {
    return this.#manifests.size;
  }

  /** Puts a complete, fsynced temp file in place as `mediaId` (removing the temp file either way). */
  async place(tmpFile: string, mediaId: string, manifest: MediaManifest): Promise<PlaceResult> {
    const dir = this.paths.dirOf(mediaId);
    try {
      await mkdir(dir, { recursive: true });
      // A link planted where the directory should be must not receive our files.
      if (!(await this.paths.hasDir(mediaId))) throw new StorageError({ cause: new Error(`${dir} is not a directory of its own`) });
      let stored = true;
      try {
        await link(tmpFile, this.paths.fileOf(mediaId));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        stored = false;
      }
      // The file first: a manifest never names a file that is not there.
      const wrote = await writeManifestOnce(this.paths.tmpDir, this.paths.manifestOf(mediaId), manifest);
      await syncDir(dir);
      this.invalidate(mediaId);
      if (wrote) return { stored, manifest };
      // Straight from disk: a cached read in flight may predate the first writer's manifest.
      const existing = await readManifest(this.paths.manifestOf(mediaId), mediaId);
      return { stored, manifest: existing ?? manifest };
    } finally {
      await rm(tmpFile, { force: true });
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
