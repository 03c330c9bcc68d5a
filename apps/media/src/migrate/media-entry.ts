// One entry of the legacy MEDIA_DIR's top level (legacy routes/media.js upload: the file's sha256
// as a directory holding `original` and `manifest.json`; `temp/` for multer's uploads in progress;
// services/mediaSeeder.js's `seeder.json`). A media is migrated only when its manifest is a JSON
// object naming its id (with a string or null userPublicKey), its size is the manifest's fileSize,
// and its bytes' sha256 is its id, hashed as they are copied (or, adopted by hard link, read from
// the linked inode itself, so what was checked is what is served). Its manifest becomes this
// node's manifest.json, or, when these bytes are here already under another uploader, that
// uploader's view (services/media-views.ts claimView: both keep their access).
// A media whose file is here already is not read again (files are put in place only once
// complete, fsynced and hashed), so a second run only reads manifests.
import { randomBytes } from 'node:crypto';
import { link, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_DIR_MODE } from '@oip/service-kit';
import { StorageError } from '../errors.js';
import { readManifest, type MediaManifest } from '../services/manifest.js';
import { FILE_NAME, MANIFEST_NAME, isMediaId, lstatOrNull } from '../services/media-paths.js';
import { claimView, readOwnView, readViews, syncDir } from '../services/media-views.js';
import { storedOriginal, type RunContext } from './context.js';
import { copyHashed, hashFile } from './hash-file.js';
import type { SkipReason } from './report.js';

/** Top-level names that are not media: the web phase's directory, and this node's own. */
export const NOT_MEDIA_PHASE = new Set(['web', '.tmp', '.migrate']);

/** Migrates the top-level entry `name` of the source (a media directory or anything else found there). */
export async function migrateTopEntry(ctx: RunContext, name: string): Promise<void> {
  if (NOT_MEDIA_PHASE.has(name)) return;
  if (!isMediaId(name)) {
    const reason: SkipReason =
      name === 'temp' ? 'legacy-temp-dir' : name === 'seeder.json' ? 'webtorrent-state' : 'not-media';
    ctx.report.skipped('other', reason, name);
    return;
  }
  await migrateMedia(ctx, name);
}

async function migrateMedia(ctx: RunContext, id: string): Promise<void> {
  const { report } = ctx;
  const dir = path.join(ctx.source, id);
  const dirSt = await lstatOrNull(dir);
  if (dirSt === null) return; // gone since it was listed
  report.read('media');
  if (dirSt.isSymbolicLink()) return report.skipped('media', 'symlink', id);
  if (!dirSt.isDirectory()) return report.skipped('media', 'not-a-regular-file', id);

  const original = path.join(dir, FILE_NAME);
  const fileSt = await lstatOrNull(original);
  if (fileSt === null) return report.skipped('media', 'original-missing', id);
  if (fileSt.isSymbolicLink()) return report.skipped('media', 'symlink', id);
  if (!fileSt.isFile()) return report.skipped('media', 'not-a-regular-file', id);

  if ((await lstatOrNull(path.join(dir, MANIFEST_NAME))) === null)
    return report.skipped('media', 'manifest-missing', id);
  const manifest = await readManifest(path.join(dir, MANIFEST_NAME), id);
  if (manifest === null) return report.skipped('media', 'manifest-invalid', id);
  if (!(typeof manifest.userPublicKey === 'string' || manifest.userPublicKey === null)) {
    // In place, the media server would serve it (it reads such a manifest): moved aside.
    if (ctx.mode === 'in-place' && ctx.state !== null) await ctx.state.reject(dir, id);
    return report.skipped('media', 'manifest-invalid', id);
  }

  const sizeOk = typeof manifest.fileSize !== 'number' || manifest.fileSize === fileSt.size;
  if (ctx.mode === 'in-place') return checkInPlace(ctx, id, sizeOk);
  if (!sizeOk) return report.skipped('media', 'size-mismatch', id);

  const present = await storedOriginal(ctx.paths.root, id);
  if (ctx.dryRun) return dryRun(ctx, id, original, manifest, present !== null);

  let stored = false;
  let bytes = 0;
  if (present === null) {
    const placed = await placeBytes(ctx, id, original);
    if (placed === 'hash-mismatch') return report.skipped('media', 'hash-mismatch', id);
    stored = placed.stored;
    bytes = placed.bytes;
  }
  const claimed = await claimView(ctx.paths, id, manifest);
  if (stored || claimed.created) {
    await syncDir(ctx.paths.dirOf(id));
    report.written('media', bytes);
  } else {
    report.unchanged('media');
  }
}

/** In place: the file is served from where it is, so one whose bytes are not its id is moved aside. */
async function checkInPlace(ctx: RunContext, id: string, sizeOk: boolean): Promise<void> {
  const { sha256, size } = await hashFile(path.join(ctx.source, id, FILE_NAME));
  ctx.report.bytesRead('media', size);
  const reason: SkipReason | null = sha256 !== id ? 'hash-mismatch' : !sizeOk ? 'size-mismatch' : null;
  if (reason === null) return ctx.report.unchanged('media');
  if (ctx.state !== null) await ctx.state.reject(path.join(ctx.source, id), id);
  ctx.report.skipped('media', reason, id);
}

/** Copies or links the source bytes into place as `<id>/original` once their hash is checked. */
async function placeBytes(
  ctx: RunContext,
  id: string,
  original: string,
): Promise<{ stored: boolean; bytes: number } | 'hash-mismatch'> {
  const { paths } = ctx;
  let tmp: string;
  let bytes = 0;
  if (ctx.mode === 'copy') {
    const copied = await copyHashed(original, ctx.state!.tmpDir);
    ctx.report.bytesRead('media', copied.size);
    tmp = copied.tmpFile;
    if (copied.sha256 !== id) {
      await rm(tmp, { force: true });
      return 'hash-mismatch';
    }
    bytes = copied.size;
  } else {
    // Link first, then hash the linked inode: a legacy upload renaming a new file over the
    // source between the two cannot slip unchecked bytes in.
    tmp = path.join(ctx.state!.tmpDir, `link-${randomBytes(12).toString('hex')}`);
    await link(original, tmp);
    const { sha256, size } = await hashFile(tmp);
    ctx.report.bytesRead('media', size);
    if (sha256 !== id) {
      await rm(tmp, { force: true });
      return 'hash-mismatch';
    }
  }
  try {
    const dir = paths.dirOf(id);
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    if (!(await paths.hasDir(id))) throw new StorageError({ cause: new Error(`${dir} is not a directory of its own`) });
    try {
      await link(tmp, paths.fileOf(id));
      return { stored: true, bytes };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return { stored: false, bytes: 0 };
    }
  } finally {
    await rm(tmp, { force: true });
  }
}

/** What a real run would do, writing nothing (the source bytes are still hashed). */
async function dryRun(
  ctx: RunContext,
  id: string,
  original: string,
  manifest: MediaManifest,
  present: boolean,
): Promise<void> {
  const { report } = ctx;
  if (!present) {
    const { sha256, size } = await hashFile(original);
    report.bytesRead('media', size);
    if (sha256 !== id) return report.skipped('media', 'hash-mismatch', id);
    return report.written('media', ctx.mode === 'copy' ? size : 0);
  }
  // The bytes are here: only the uploader's view may be missing.
  const views = await readViews(ctx.paths, id);
  const key = manifest.userPublicKey;
  const has = views !== null && (key === null || (await readOwnView(ctx.paths, id, views.primary, key)) !== null);
  if (has) report.unchanged('media');
  else report.written('media', 0);
}
