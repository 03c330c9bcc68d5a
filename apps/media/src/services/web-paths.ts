// The legacy web directory, `<MEDIA_DIR>/web/<project>/<file>` (legacy routes/media.js web-setup,
// served at /media by index.js's express.static). Paths are built only from checked names: a
// project or file name has no separator (`/`, `\`), no NUL or other control character, does not
// start with a dot (so never `.`, `..` or a dotfile) and is bounded, so nothing built from one can
// leave its directory. On disk, `web` and the project directory must be real directories and the
// file a regular file, each checked with lstat (a symlink planted in place of any of them is not
// followed: the lookup answers null).
import { constants, type Stats } from 'node:fs';
import { copyFile, link, lstat, mkdir, opendir, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PRIVATE_DIR_MODE } from '@oip/service-kit';
import { lstatOrNull } from './media-paths.js';

/** A project directory name (docker compose's project names fit). */
export const WEB_PROJECT_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$';
/** A file name: no separator, control character or leading dot; at most 255 characters. */
export const WEB_FILE_PATTERN = '^[^./\\\\\\u0000-\\u001f\\u007f][^/\\\\\\u0000-\\u001f\\u007f]{0,254}$';
/** The file system's own bound on one name. */
export const MAX_WEB_FILE_BYTES = 255;
export const WEB_DIR_NAME = 'web';

const PROJECT = new RegExp(WEB_PROJECT_PATTERN);
const FILE = new RegExp(WEB_FILE_PATTERN, 'u');

export function isWebProject(value: string): boolean {
  return PROJECT.test(value);
}

export function isWebFileName(value: string): boolean {
  return FILE.test(value) && Buffer.byteLength(value, 'utf8') <= MAX_WEB_FILE_BYTES;
}

export interface WebFileStat {
  /** Path relative to the web root, `/<project>/<file>` with each name URI-encoded (as send decodes it). */
  sendPath: string;
  size: number;
  mtime: Date;
  dev: number;
  ino: number;
}

/** What placing a web file did (`absent`: nothing there, and not allowed to create). */
export type PlaceWebResult = 'placed' | 'same' | 'taken' | 'absent';

const isRealDir = (st: Stats | null): boolean => st !== null && st.isDirectory() && !st.isSymbolicLink();

export class WebPaths {
  /** `<MEDIA_DIR>/web` (MEDIA_DIR already resolved). */
  readonly root: string;

  constructor(mediaRoot: string) {
    this.root = path.join(mediaRoot, WEB_DIR_NAME);
  }

  projectDir(project: string): string {
    if (!isWebProject(project)) throw new TypeError('not a web project name');
    return path.join(this.root, project);
  }

  fileOf(project: string, file: string): string {
    if (!isWebFileName(file)) throw new TypeError('not a web file name');
    return path.join(this.projectDir(project), file);
  }

  /** The file when it is a regular file in real `web` and project directories; null otherwise. */
  async stat(project: string, file: string): Promise<WebFileStat | null> {
    const target = this.fileOf(project, file);
    if (!isRealDir(await lstatOrNull(this.root))) return null;
    if (!isRealDir(await lstatOrNull(this.projectDir(project)))) return null;
    const st = await lstatOrNull(target);
    if (st === null || !st.isFile()) return null;
    return {
      sendPath: `/${encodeURIComponent(project)}/${encodeURIComponent(file)}`,
      size: st.size,
      mtime: st.mtime,
      dev: st.dev,
      ino: st.ino,
    };
  }

  /**
   * Creates `web` and `web/<project>` (0700) when missing, one level at a time (a link planted in
   * place of either is never followed: mkdir answers EEXIST for it); false when either is not a real directory.
   */
  async ensureProject(project: string): Promise<boolean> {
    for (const dir of [this.root, this.projectDir(project)]) {
      try {
        await mkdir(dir, { mode: PRIVATE_DIR_MODE });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      if (!isRealDir(await lstatOrNull(dir))) return false;
    }
    return true;
  }

  /** Entries in the project directory, counting at most `max + 1` (for the bound on web files). */
  async countFiles(project: string, max: number): Promise<number> {
    let n = 0;
    const dir = await opendir(this.projectDir(project));
    try {
      for await (const entry of dir) {
        if (entry.name.startsWith('.')) continue;
        if (++n > max) break;
      }
    } finally {
      await dir.close().catch(() => undefined);
    }
    return n;
  }

  /**
   * Puts the stored file `original` at `web/<project>/<file>`: a hard link (no bytes copied; a
   * copy when the web directory is on another file system), never replacing what is there. An
   * existing name holding these same bytes (the same inode, or the same sha256 per `sameBytes`)
   * is `same`; holding other bytes, or being anything but a regular file, `taken`. With `create`
   * false only an existing name is looked at (`absent` when there is none).
   */
  async place(
    original: string,
    project: string,
    file: string,
    sameBytes: (existing: string) => Promise<boolean>,
    create = true,
  ): Promise<PlaceWebResult> {
    const target = this.fileOf(project, file);
    if (!create) return this.#existing(original, target, sameBytes);
    try {
      await link(original, target);
      return 'placed';
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EXDEV') return this.#copyInto(original, target, sameBytes);
      if (code !== 'EEXIST') throw err;
    }
    return this.#existing(original, target, sameBytes);
  }

  async #existing(
    original: string,
    target: string,
    sameBytes: (existing: string) => Promise<boolean>,
  ): Promise<PlaceWebResult> {
    const [have, want] = await Promise.all([lstatOrNull(target), lstat(original)]);
    if (have === null) return 'absent';
    if (!have.isFile()) return 'taken';
    if (have.dev === want.dev && have.ino === want.ino) return 'same';
    if (have.size !== want.size) return 'taken';
    return (await sameBytes(target)) ? 'same' : 'taken';
  }

  /** Copy to a dot-named temp file (never served) in the same directory, then link into place. */
  async #copyInto(
    original: string,
    target: string,
    sameBytes: (existing: string) => Promise<boolean>,
  ): Promise<PlaceWebResult> {
    const tmp = path.join(path.dirname(target), `.web-setup-${randomBytes(8).toString('hex')}`);
    try {
      await copyFile(original, tmp, constants.COPYFILE_EXCL);
      try {
        await link(tmp, target);
        return 'placed';
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      return await this.#existing(original, target, sameBytes);
    } finally {
      await rm(tmp, { force: true });
    }
  }
}
