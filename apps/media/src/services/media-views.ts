// Who uploaded some bytes, and what each of them sees. A mediaId is the sha256 of the bytes, so
// several users can upload the same file: the bytes are stored once, and every uploader has a
// VIEW of them, a manifest in the legacy shape (their file name, type, key and access level):
// - the first uploader's view is `manifest.json` (the legacy layout, unchanged);
// - any later uploader's is `owners/<sha256 of their key>.json`, written once;
// - when the first view is private and a later one public, that public view is also linked as
//   `public.json` (the first public one wins), so the bytes are served to anyone without
//   listing the owners.
// A caller reads their own view; a stranger reads the public view, or nothing: another user's
// private view (their key, their file name) is never shown to anyone but them.
import { mkdir, open } from 'node:fs/promises';
import { PRIVATE_DIR_MODE } from '@oip/service-kit';
import { StorageError } from '../errors.js';
import { accessLevelOf, readManifest, writeManifestOnce, type MediaManifest } from './manifest.js';
import type { MediaPaths } from './media-paths.js';

export interface MediaViews {
  /** The first uploader's manifest (`manifest.json`). */
  primary: MediaManifest;
  /** A public view (the primary when it is public, else `public.json`); null while every view is private. */
  public: MediaManifest | null;
}

export interface ClaimResult {
  /** The uploader's own view: the one given, or the one they had already. */
  view: MediaManifest;
  /** False when the uploader already had a view of these bytes (their own duplicate). */
  created: boolean;
  /** The public view after this claim, or null. */
  public: MediaManifest | null;
}

const publicOrNull = (m: MediaManifest | null): MediaManifest | null =>
  m !== null && accessLevelOf(m) === 'public' ? m : null;

/** The primary and public views of a media, or null without a (readable) manifest.json. */
export async function readViews(paths: MediaPaths, mediaId: string): Promise<MediaViews | null> {
  const primary = await readManifest(paths.manifestOf(mediaId), mediaId);
  if (primary === null) return null;
  if (accessLevelOf(primary) === 'public') return { primary, public: primary };
  return { primary, public: publicOrNull(await readManifest(paths.publicViewOf(mediaId), mediaId)) };
}

/** The view of the uploader with `publicKey`, or null when they never uploaded these bytes. */
export async function readOwnView(
  paths: MediaPaths,
  mediaId: string,
  primary: MediaManifest,
  publicKey: string,
): Promise<MediaManifest | null> {
  if (primary.userPublicKey === publicKey) return primary;
  if (!(await paths.hasOwnersDir(mediaId))) return null;
  const view = await readManifest(paths.ownerViewOf(mediaId, publicKey), mediaId);
  return view !== null && view.userPublicKey === publicKey ? view : null;
}

/**
 * Records `view` as its uploader's view of a media whose file is in place: the first uploader's
 * becomes manifest.json; a later uploader gets their own view (written once: a second upload by
 * them keeps the first); a public view makes the bytes public when they were not. A view without
 * a key (replicated media) only counts for its public side.
 */
export async function claimView(paths: MediaPaths, mediaId: string, view: MediaManifest): Promise<ClaimResult> {
  if (await writeManifestOnce(paths.tmpDir, paths.manifestOf(mediaId), view))
    return { view, created: true, public: publicOrNull(view) };
  const primary = await readManifest(paths.manifestOf(mediaId), mediaId);
  if (primary === null)
    throw new StorageError({ cause: new Error(`${paths.manifestOf(mediaId)} is not a manifest of this media`) });
  const key = view.userPublicKey;
  let own = view;
  let created = false;
  if (key !== null && primary.userPublicKey === key) {
    own = primary;
  } else if (key !== null) {
    const dir = paths.ownersDirOf(mediaId);
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    if (!(await paths.hasOwnersDir(mediaId)))
      throw new StorageError({ cause: new Error(`${dir} is not a directory of its own`) });
    created = await writeManifestOnce(paths.tmpDir, paths.ownerViewOf(mediaId, key), view);
    if (created) await syncDir(dir);
    else own = (await readOwnView(paths, mediaId, primary, key)) ?? view;
  }
  let pub = publicOrNull(primary) ?? publicOrNull(await readManifest(paths.publicViewOf(mediaId), mediaId));
  if (pub === null && accessLevelOf(own) === 'public') {
    // The first public view wins; a concurrent one may have been linked in between.
    pub = (await writeManifestOnce(paths.tmpDir, paths.publicViewOf(mediaId), own))
      ? own
      : publicOrNull(await readManifest(paths.publicViewOf(mediaId), mediaId));
  }
  return { view: own, created, public: pub };
}

export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
