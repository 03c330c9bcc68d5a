// manifest.json beside each file, in the legacy shape. Read asynchronously without following
// links and with a size cap; written to a temp file, fsynced, then linked into place, so a reader
// sees either no manifest or a whole one, and a manifest already there is never replaced.
import { randomBytes } from 'node:crypto';
import { link, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from '@oip/service-kit';
import { READ_NOFOLLOW } from './media-paths.js';

export type AccessLevel = 'public' | 'private';

/** The legacy manifest (`accessLevel` absent = private). Unknown fields are kept as they are. */
export interface MediaManifest {
  mediaId: string;
  originalName: string;
  mimeType: string;
  fileSize: number;
  httpUrl: string;
  createdAt: string;
  userPublicKey: string | null;
  accessLevel?: string;
  [key: string]: unknown;
}

/** A manifest larger than this is not ours: refused, never parsed. */
export const MAX_MANIFEST_BYTES = 64 * 1024;

/** Private unless the manifest says public (legacy: no accessLevel = private). */
export function accessLevelOf(manifest: MediaManifest): AccessLevel {
  return manifest.accessLevel === 'public' ? 'public' : 'private';
}

/**
 * The manifest at `file`, or null when there is none, it is a link, too large, not JSON, or
 * describes another media id.
 */
export async function readManifest(file: string, mediaId: string): Promise<MediaManifest | null> {
  let fh;
  try {
    fh = await open(file, READ_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ELOOP: a symlink where the manifest should be.
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return null;
    throw err;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size > MAX_MANIFEST_BYTES) return null;
    const text = await fh.readFile('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const m = value as Record<string, unknown>;
    if (m['mediaId'] !== mediaId) return null;
    return m as MediaManifest;
  } finally {
    await fh.close();
  }
}

/** Writes `data` to a new file in `tmpDir` and fsyncs it; returns its path. */
export async function writeTempFile(tmpDir: string, prefix: string, data: string): Promise<string> {
  const tmp = path.join(tmpDir, `${prefix}-${randomBytes(8).toString('hex')}`);
  const fh = await open(tmp, 'wx', PRIVATE_FILE_MODE);
  let written = false;
  try {
    await fh.writeFile(data);
    await fh.sync();
    written = true;
  } finally {
    await fh.close();
    if (!written) await rm(tmp, { force: true });
  }
  return tmp;
}

/**
 * Puts `manifest` at `file` unless one is already there (the first writer wins: a duplicate
 * upload never takes over another owner's manifest). True when this call wrote it.
 */
export async function writeManifestOnce(tmpDir: string, file: string, manifest: MediaManifest): Promise<boolean> {
  const tmp = await writeTempFile(tmpDir, 'manifest', `${JSON.stringify(manifest, null, 2)}\n`);
  try {
    await link(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Replaces the manifest at `file` with `manifest` in one step (temp file, fsync, rename: a reader
 * sees the old one or the new one). For fields added to a view its owner already has (web-setup's
 * `webUrl`); views are still created only by writeManifestOnce.
 */
export async function replaceManifest(tmpDir: string, file: string, manifest: MediaManifest): Promise<void> {
  const tmp = await writeTempFile(tmpDir, 'manifest', `${JSON.stringify(manifest, null, 2)}\n`);
  try {
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}
