// manifest.json of a backup: what each part holds (versions, counts) and the size and sha256 of
// every file, so a restore can prove the copy is whole before it replaces anything.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BackupError, BackupErrorCodes } from './backup-errors.js';

export const MANIFEST_FILE = 'manifest.json';
/** Bumped when the layout changes; a restore refuses a format it does not know. */
export const MANIFEST_FORMAT = 1;

export interface ManifestFile {
  /** Relative to the directory holding the manifest, `/`-separated. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: number;
  /** Who wrote it (`oip-node` for the whole node, an app's name for its part). */
  app: string;
  /** The writer's package version. */
  version: string;
  createdAt: string;
  /** Per item: schema versions and row or file counts. */
  items: Record<string, Record<string, number | string>>;
  /** What this backup does not hold, one line each (e.g. an Elasticsearch store). */
  skipped: string[];
  files: ManifestFile[];
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The manifest entry of `file`, named by its path relative to `root`. */
export async function describeFile(root: string, file: string): Promise<ManifestFile> {
  const st = await stat(file);
  return { path: path.relative(root, file).split(path.sep).join('/'), bytes: st.size, sha256: await sha256File(file) };
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

/** The manifest of `dir`; BACKUP_ERR_MANIFEST_INVALID when there is none or it is not one. */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new BackupError(
      BackupErrorCodes.MANIFEST_INVALID,
      `${file}: cannot read a backup manifest (${(err as Error).message})`,
      {
        cause: err,
      },
    );
  }
  const m = parsed as Partial<Manifest> | null;
  if (m === null || typeof m !== 'object' || !Array.isArray(m.files) || typeof m.app !== 'string')
    throw new BackupError(BackupErrorCodes.MANIFEST_INVALID, `${file} is not a backup manifest`);
  if (m.format !== MANIFEST_FORMAT)
    throw new BackupError(
      BackupErrorCodes.MANIFEST_INVALID,
      `${file} has format ${String(m.format)}; this code reads format ${MANIFEST_FORMAT}`,
    );
  return m as Manifest;
}

/**
 * Every file the manifest lists is there with its size and sha256; BACKUP_ERR_CORRUPT naming the
 * first that is not. Paths that leave `dir` are refused the same way.
 */
export async function verifyManifest(dir: string, manifest: Manifest): Promise<void> {
  const root = path.resolve(dir);
  for (const f of manifest.files) {
    const file = path.resolve(root, f.path);
    if (!file.startsWith(root + path.sep))
      throw new BackupError(BackupErrorCodes.CORRUPT, `${f.path}: the manifest names a file outside the backup`);
    let bytes: number;
    try {
      bytes = (await stat(file)).size;
    } catch {
      throw new BackupError(BackupErrorCodes.CORRUPT, `${f.path} is missing from the backup`);
    }
    if (bytes !== f.bytes)
      throw new BackupError(BackupErrorCodes.CORRUPT, `${f.path} has ${bytes} bytes, the manifest says ${f.bytes}`);
    if ((await sha256File(file)) !== f.sha256)
      throw new BackupError(
        BackupErrorCodes.CORRUPT,
        `${f.path}: its sha256 is not the manifest's (the backup is damaged)`,
      );
  }
}
