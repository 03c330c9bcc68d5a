// What every step of one `migrate media` run shares.
import path from 'node:path';
import { FILE_NAME, lstatOrNull, type MediaPaths } from '../services/media-paths.js';
import type { MigrationReport } from './report.js';
import type { StateDir } from './state-dir.js';

/**
 * - `copy`: the bytes are copied into this node's media dir (hashed on the way).
 * - `link`: adopted by hard link (no bytes copied; both dirs on one file system).
 * - `in-place`: the source is this node's media dir: each file is checked where it is.
 */
export type MigrateMode = 'copy' | 'link' | 'in-place';

export interface RunContext {
  /** The legacy MEDIA_DIR, resolved. */
  source: string;
  /** This node's media dir, resolved when it exists. */
  target: string;
  mode: MigrateMode;
  dryRun: boolean;
  /** This node's media dir: opened for writing, or read-only in a dry run (nothing is created). */
  paths: MediaPaths;
  /** `<target>/.migrate`; null in a dry run. */
  state: StateDir | null;
  report: MigrationReport;
}

/** `<root>/<mediaId>/original` when it is a regular file in a real directory; null otherwise. */
export async function storedOriginal(root: string, mediaId: string): Promise<string | null> {
  const dir = await lstatOrNull(path.join(root, mediaId));
  if (dir === null || !dir.isDirectory()) return null;
  const file = path.join(root, mediaId, FILE_NAME);
  const st = await lstatOrNull(file);
  return st !== null && st.isFile() ? file : null;
}

/** A failure's reason: the errno code when there is one, else the error's code or name. */
export function failureReason(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown };
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.name === 'string' ? e.name : 'error';
}

/** Errors after which no further entry can be written: the run stops (its cursor kept). */
export function isFatal(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS';
}
