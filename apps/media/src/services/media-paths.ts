// Where a media file lives, built only from a checked mediaId (64 lowercase hex: no separator,
// dot, NUL or anything else that could leave the directory), and checked on disk without
// following links: a symlink planted in MEDIA_DIR (for the media's directory, its file or its
// manifest) is never followed out of it.
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateDir } from '@oip/service-kit';

export const MEDIA_ID_PATTERN = '^[0-9a-f]{64}$';
const MEDIA_ID = new RegExp(MEDIA_ID_PATTERN);

export function isMediaId(value: string): boolean {
  return MEDIA_ID.test(value);
}

/** open(2) flags for reading a file that must not be a symlink (O_NOFOLLOW where the OS has it). */
export const READ_NOFOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

export const FILE_NAME = 'original';
export const MANIFEST_NAME = 'manifest.json';
/** Views of the media by its other uploaders: `owners/<sha256 of the public key>.json`. */
export const OWNERS_DIR_NAME = 'owners';
/** A public view, when the first uploader's manifest is private and a later uploader's is public. */
export const PUBLIC_VIEW_NAME = 'public.json';
export const TMP_DIR_NAME = '.tmp';

export interface MediaFileStat {
  /** Absolute path of `<root>/<mediaId>/original`. */
  path: string;
  size: number;
  mtime: Date;
}

export class MediaPaths {
  /** MEDIA_DIR with its own symlinks resolved once (a configured dir may itself be a link). */
  readonly root: string;
  readonly tmpDir: string;

  private constructor(root: string) {
    this.root = root;
    this.tmpDir = path.join(root, TMP_DIR_NAME);
  }

  /** Creates MEDIA_DIR and its temp dir when missing, both 0700 (tightened when looser). */
  static async open(mediaDir: string): Promise<MediaPaths> {
    ensurePrivateDir(mediaDir);
    const paths = new MediaPaths(await realpath(mediaDir));
    ensurePrivateDir(paths.tmpDir);
    return paths;
  }

  /**
   * Paths over `root` (already resolved) without creating anything: for read-only lookups (the
   * migration's dry run, which must not create the media dir).
   */
  static readOnly(root: string): MediaPaths {
    return new MediaPaths(root);
  }

  dirOf(mediaId: string): string {
    if (!isMediaId(mediaId)) throw new TypeError('not a media id');
    return path.join(this.root, mediaId);
  }

  fileOf(mediaId: string): string {
    return path.join(this.dirOf(mediaId), FILE_NAME);
  }

  manifestOf(mediaId: string): string {
    return path.join(this.dirOf(mediaId), MANIFEST_NAME);
  }

  ownersDirOf(mediaId: string): string {
    return path.join(this.dirOf(mediaId), OWNERS_DIR_NAME);
  }

  /** The view of one uploader (not the first) of the media; the name is a hash, never the key itself. */
  ownerViewOf(mediaId: string, publicKey: string): string {
    return path.join(this.ownersDirOf(mediaId), `${createHash('sha256').update(publicKey).digest('hex')}.json`);
  }

  publicViewOf(mediaId: string): string {
    return path.join(this.dirOf(mediaId), PUBLIC_VIEW_NAME);
  }

  /** The media's directory exists and is a real directory (not a link). */
  async hasDir(mediaId: string): Promise<boolean> {
    return isRealDir(this.dirOf(mediaId));
  }

  /** The media's owners directory exists and is a real directory (not a link). */
  async hasOwnersDir(mediaId: string): Promise<boolean> {
    return isRealDir(this.ownersDirOf(mediaId));
  }

  /** The stored file when it is a regular file inside a real media directory; null otherwise. */
  async statFile(mediaId: string): Promise<MediaFileStat | null> {
    if (!(await this.hasDir(mediaId))) return null;
    const file = this.fileOf(mediaId);
    const st = await lstatOrNull(file);
    if (st === null || !st.isFile()) return null;
    return { path: file, size: st.size, mtime: st.mtime };
  }
}

async function isRealDir(p: string): Promise<boolean> {
  const st = await lstatOrNull(p);
  return st !== null && st.isDirectory() && !st.isSymbolicLink();
}

/** lstat(2) of `p` (a link is not followed); null when nothing is there or a parent is not a directory. */
export async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await lstat(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return null;
    throw err;
  }
}
