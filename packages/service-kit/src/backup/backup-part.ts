// Writes one app's part of a backup: SQLite files through the online backup API (never a raw copy
// of a live database), directories and files copied, then the part's manifest.json with the size
// and sha256 of every file, the schema versions and the counts.
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BackupError, BackupErrorCodes } from './backup-errors.js';
import type { BackupItem, BackupPartSpec, DirItem, SqliteItem } from './backup-spec.js';
import { describeFile, MANIFEST_FORMAT, writeManifest, type Manifest, type ManifestFile } from './manifest.js';
import { isEmptyTarget } from './targets.js';

export interface BackupReport {
  manifest: Manifest;
  /** One line per item, for the operator. */
  lines: string[];
}

/** Backs `spec` up into `dir`, which must not exist or be empty. */
export async function backupPart(spec: BackupPartSpec, dir: string): Promise<BackupReport> {
  if (!(await isEmptyTarget(dir)))
    throw new BackupError(BackupErrorCodes.TARGET_NOT_EMPTY, `${dir} is not empty: back up into a new directory`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    app: spec.app,
    version: spec.version,
    createdAt: new Date().toISOString(),
    items: {},
    skipped: [...spec.skipped],
    files: [],
  };
  const lines = spec.skipped.map((s) => `${spec.app}: skipped ${s}`);
  for (const item of spec.items) {
    if (!(await exists(item.path))) {
      manifest.skipped.push(`${item.name}: ${item.path} does not exist (nothing stored yet)`);
      lines.push(`${spec.app}: ${item.name}: nothing at ${item.path} yet, skipped`);
      continue;
    }
    try {
      const { files, facts } = await copyItem(item, dir);
      manifest.items[item.name] = facts;
      manifest.files.push(...files);
      const shown = Object.entries(facts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      lines.push(`${spec.app}: ${item.name}: ${files.length} file(s)${shown ? `, ${shown}` : ''}`);
    } catch (err) {
      if (err instanceof BackupError) throw err;
      throw new BackupError(BackupErrorCodes.IO, `${item.path}: ${(err as Error).message}`, { cause: err });
    }
  }
  await writeManifest(dir, manifest);
  return { manifest, lines };
}

async function copyItem(
  item: BackupItem,
  dir: string,
): Promise<{ files: ManifestFile[]; facts: Record<string, number | string> }> {
  const target = path.join(dir, item.name);
  if (item.kind === 'sqlite') {
    const facts = await backupSqlite(item, target);
    return { files: [await describeFile(dir, target)], facts };
  }
  if (item.kind === 'file') {
    await copyFile(item.path, target);
    return { files: [await describeFile(dir, target)], facts: {} };
  }
  const files = await copyDir(item, target, dir);
  return { files, facts: { files: files.length } };
}

/** SQLite's online backup, all pages in one step so writers on the live file cannot restart it. */
async function backupSqlite(item: SqliteItem, target: string): Promise<Record<string, number | string>> {
  const source = new Database(item.path, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 10000');
    await source.backup(target, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  } finally {
    source.close();
  }
  // The facts are the copy's, read from the copy.
  const copy = new Database(target, { readonly: true, fileMustExist: true });
  try {
    const facts: Record<string, number | string> = {};
    if (item.schemaVersionSql) facts['schemaVersion'] = copy.prepare(item.schemaVersionSql).pluck().get() as number;
    for (const [label, sql] of Object.entries(item.counts ?? {}))
      facts[label] = copy.prepare(sql).pluck().get() as number;
    return facts;
  } finally {
    copy.close();
  }
}

/** Every regular file under `item.path` (top-level `skip` entries left out), in name order. */
async function copyDir(item: DirItem, target: string, root: string): Promise<ManifestFile[]> {
  const skip = new Set(item.skip ?? []);
  const out: ManifestFile[] = [];
  const walk = async (from: string, to: string, top: boolean): Promise<void> => {
    await mkdir(to, { recursive: true, mode: 0o700 });
    const entries = (await readdir(from, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (top && skip.has(e.name)) continue;
      const src = path.join(from, e.name);
      const dst = path.join(to, e.name);
      if (e.isDirectory()) await walk(src, dst, false);
      else if (e.isFile()) {
        try {
          await copyFile(src, dst);
        } catch (err) {
          // Deleted since the listing (a media file removed while the node runs): not in this backup.
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw err;
        }
        out.push(await describeFile(root, dst));
      }
    }
  };
  await walk(item.path, target, true);
  return out;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
