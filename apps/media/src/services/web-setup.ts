// POST /api/media/web-setup's work (legacy routes/media.js web-setup): the owner of a stored media
// file publishes it at `/media/<project>/<filename>`, and their view of it records `webUrl`.
// Differences from legacy, on purpose: the file is a hard link to the stored bytes (legacy copied
// them); a name that already holds other bytes is refused (409) where legacy overwrote it, so no
// user replaces another's published file and a year's public caching stays right; the URL is
// built from our configured public base, never from the request's Host / X-Forwarded-* headers.
// Bounds: one project directory holds at most `maxFiles` names (507 past it).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { MediaNotFoundError, NotOwnerError, StorageError, WebFullError, WebNameTakenError } from '../errors.js';
import { READ_NOFOLLOW } from './media-paths.js';
import type { MediaStore } from './media-store.js';
import type { WebPaths } from './web-paths.js';

export interface WebSetupOptions {
  /** The project directory web-setup writes to (legacy COMPOSE_PROJECT_NAME). */
  project: string;
  /** Most names in the project directory. */
  maxFiles: number;
  /** Our public base URL, for `webUrl`. */
  publicBase: () => string;
}

export interface WebSetupResult {
  webUrl: string;
  /** False when the name already held these bytes (a repeated web-setup). */
  placed: boolean;
}

/** True when the file at `file` (not followed if a link) has sha256 `mediaId`. */
async function hasSha256(file: string, mediaId: string): Promise<boolean> {
  const fh = await open(file, READ_NOFOLLOW);
  try {
    const hash = createHash('sha256');
    for await (const chunk of fh.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
    return hash.digest('hex') === mediaId;
  } finally {
    await fh.close();
  }
}

export class WebSetup {
  readonly #store: MediaStore;
  readonly #web: WebPaths;
  readonly #opts: WebSetupOptions;
  /** Names in the project directory: counted once, then kept as setups add them. */
  #count: Promise<number> | null = null;
  #added = 0;

  constructor(store: MediaStore, web: WebPaths, opts: WebSetupOptions) {
    this.#store = store;
    this.#web = web;
    this.#opts = opts;
  }

  urlOf(filename: string): string {
    return `${this.#opts.publicBase()}/media/${encodeURIComponent(this.#opts.project)}/${encodeURIComponent(filename)}`;
  }

  /** Publishes `mediaId` as `filename` for the uploader with `publicKey`; throws the route's errors. */
  async run(mediaId: string, filename: string, publicKey: string): Promise<WebSetupResult> {
    const media = await this.#store.locate(mediaId);
    if (media === null) throw new MediaNotFoundError();
    const own = await this.#store.ownView(mediaId, media, publicKey);
    // Someone who may not read the media learns nothing of it; someone who may, that it is not theirs.
    if (own === null) throw media.public !== null ? new NotOwnerError() : new MediaNotFoundError();
    const { project, maxFiles } = this.#opts;
    if (!(await this.#web.ensureProject(project)))
      throw new StorageError({ cause: new Error(`${this.#web.projectDir(project)} is not a directory of its own`) });
    // A slot is taken before linking (synchronously, so concurrent setups cannot all pass the
    // bound) and given back unless a new name was made. Without room, only a name already holding
    // these bytes is answered (a repeated web-setup).
    this.#count ??= this.#web.countFiles(project, maxFiles).catch((err: unknown) => {
      this.#count = null;
      throw err;
    });
    const counted = await this.#count;
    const room = counted + this.#added < maxFiles;
    if (room) this.#added++;
    let placed = false;
    try {
      const result = await this.#web.place(
        media.file.path,
        project,
        filename,
        (existing) => hasSha256(existing, mediaId),
        room,
      );
      if (result === 'taken') throw new WebNameTakenError();
      if (result === 'absent') throw new WebFullError(maxFiles);
      placed = result === 'placed';
    } finally {
      if (room && !placed) this.#added--;
    }
    const webUrl = this.urlOf(filename);
    await this.#store.updateOwnView(mediaId, publicKey, { webUrl });
    return { webUrl, placed };
  }
}
