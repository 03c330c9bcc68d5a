// Puts one app's part of a backup back: the manifest verified first (every file's size and
// sha256), then refused while the app runs or when its data is there already (unless forced),
// then each item copied into place and checked again against the manifest.
import { chmod, copyFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../private-files.js';
import { BackupError, BackupErrorCodes } from './backup-errors.js';
import type { BackupItem, BackupPartSpec } from './backup-spec.js';
import { readManifest, sha256File, verifyManifest, type Manifest } from './manifest.js';
import { firstAnswering, sqliteInUse } from './node-running.js';
import { isEmptyTarget } from './targets.js';

export interface RestoreOptions {
  /** Replace data that is there already. @defaultValue false */
  force?: boolean;
  /** Verify and check only; change nothing. @defaultValue false */
  checkOnly?: boolean;
  /**
   * The caller has checked every file against the manifest already (the node-wide restore
   * verifies the whole backup once): skip that pass. What is restored is still read back.
   * @defaultValue false
   */
  verified?: boolean;
}

/** Restores `dir` (an app's part of a backup) into the places `spec` names; lines for the operator. */
export async function restorePart(spec: BackupPartSpec, dir: string, opts: RestoreOptions = {}): Promise<string[]> {
  const manifest = await readManifest(dir);
  if (manifest.app !== spec.app)
    throw new BackupError(BackupErrorCodes.MANIFEST_INVALID, `${dir} holds ${manifest.app}'s data, not ${spec.app}'s`);
  if (opts.verified !== true) await verifyManifest(dir, manifest);
  const items = spec.items.filter((i) => manifest.items[i.name] !== undefined);
  await refuseWhileRunning(spec, items);
  if (opts.force !== true) {
    const taken: string[] = [];
    for (const i of items) if (!(await isEmptyTarget(i.path))) taken.push(i.path);
    if (taken.length > 0)
      throw new BackupError(
        BackupErrorCodes.TARGET_NOT_EMPTY,
        `${taken.join(', ')} already hold${taken.length === 1 ? 's' : ''} data: restore into empty places, or give --force to replace it`,
      );
  }
  const lines = spec.items
    .filter((i) => manifest.items[i.name] === undefined)
    .map((i) => `${spec.app}: ${i.name}: not in this backup, left as it is`);
  if (opts.checkOnly === true) return [...lines, `${spec.app}: backup verified, ready to restore`];
  for (const item of items) {
    await restoreItem(item, dir);
    await checkRestored(item, dir, manifest);
    lines.push(`${spec.app}: ${item.name} restored to ${item.path}`);
  }
  return lines;
}

async function refuseWhileRunning(spec: BackupPartSpec, items: readonly BackupItem[]): Promise<void> {
  const answering = await firstAnswering(spec.listens);
  if (answering)
    throw new BackupError(
      BackupErrorCodes.NODE_RUNNING,
      `${spec.app} answers on ${answering.host}:${answering.port} (${answering.variable}): stop the node before restoring`,
    );
  for (const i of items) {
    if (i.kind === 'sqlite' && !(await isEmptyTarget(i.path)) && sqliteInUse(i.path))
      throw new BackupError(
        BackupErrorCodes.NODE_RUNNING,
        `another process has ${i.path} open: stop the node before restoring`,
      );
  }
}

async function restoreItem(item: BackupItem, dir: string): Promise<void> {
  const from = path.join(dir, item.name);
  ensurePrivateDir(path.dirname(item.path));
  if (item.kind === 'dir') {
    await rm(item.path, { recursive: true, force: true });
    await copyTree(from, item.path);
    return;
  }
  // Copied beside the target, then renamed over it: a reader never sees half a file.
  const temp = `${item.path}.restoring`;
  await copyFile(from, temp);
  await chmod(temp, PRIVATE_FILE_MODE);
  // A -wal or -shm left from the database being replaced would be replayed into the new one.
  if (item.kind === 'sqlite')
    for (const suffix of ['-wal', '-shm', '-journal']) await rm(item.path + suffix, { force: true });
  await rename(temp, item.path);
}

async function copyTree(from: string, to: string): Promise<void> {
  ensurePrivateDir(to);
  for (const e of await readdir(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) await copyTree(src, dst);
    else if (e.isFile()) {
      await copyFile(src, dst);
      await chmod(dst, PRIVATE_FILE_MODE);
    }
  }
}

/** The restored files are the manifest's, byte for byte. */
async function checkRestored(item: BackupItem, dir: string, manifest: Manifest): Promise<void> {
  const prefix = item.kind === 'dir' ? `${item.name}/` : item.name;
  for (const f of manifest.files) {
    if (item.kind === 'dir' ? !f.path.startsWith(prefix) : f.path !== prefix) continue;
    const placed = item.kind === 'dir' ? path.join(item.path, f.path.slice(prefix.length)) : item.path;
    if ((await sha256File(placed)) !== f.sha256)
      throw new BackupError(BackupErrorCodes.IO, `${placed} does not read back as the backup's ${f.path}`);
  }
}
