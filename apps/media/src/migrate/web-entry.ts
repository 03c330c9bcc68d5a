// The legacy web directory, `<MEDIA_DIR>/web/<project>/<file>` (legacy routes/media.js web-setup
// copies a stored original there under the name its owner chose; index.js serves it at /media).
// Every legacy web file is a copy of some stored media, so a file is checked by hashing it: its
// sha256 must be a media this node holds (after the media phase; in a dry run, one the source
// holds). It is then published as our web-setup does (services/web-paths.ts place): a hard link
// to the stored bytes under `web/<project>/<file>` of this node, never replacing a name that holds
// other bytes. Only names this node serves are taken (services/web-paths.ts).
import path from 'node:path';
import { lstatOrNull } from '../services/media-paths.js';
import { isWebFileName, isWebProject, WEB_DIR_NAME, type WebPaths } from '../services/web-paths.js';
import { storedOriginal, type RunContext } from './context.js';
import { hashFile } from './hash-file.js';

/** Whether the project directory `web/<project>` of the source is walked (its problems reported otherwise). */
export async function checkProject(ctx: RunContext, project: string): Promise<boolean> {
  const rel = `${WEB_DIR_NAME}/${project}`;
  if (!isWebProject(project)) {
    ctx.report.skipped('other', 'web-project-invalid', rel);
    return false;
  }
  const st = await lstatOrNull(path.join(ctx.source, WEB_DIR_NAME, project));
  if (st === null) return false;
  if (st.isSymbolicLink()) ctx.report.skipped('other', 'symlink', rel);
  else if (!st.isDirectory()) ctx.report.skipped('other', 'not-a-regular-file', rel);
  return st.isDirectory();
}

/** Migrates `web/<project>/<file>` of the source. */
export async function migrateWebFile(ctx: RunContext, web: WebPaths, project: string, file: string): Promise<void> {
  const { report } = ctx;
  const rel = `${project}/${file}`;
  const source = path.join(ctx.source, WEB_DIR_NAME, project, file);
  const st = await lstatOrNull(source);
  if (st === null) return; // gone since it was listed
  report.read('web');
  if (!isWebFileName(file)) return report.skipped('web', 'web-name-invalid', rel);
  if (st.isSymbolicLink()) return report.skipped('web', 'symlink', rel);
  if (!st.isFile()) return report.skipped('web', 'not-a-regular-file', rel);

  const { sha256, size } = await hashFile(source);
  report.bytesRead('web', size);
  const stored =
    (await storedOriginal(ctx.paths.root, sha256)) ?? (ctx.dryRun ? await storedOriginal(ctx.source, sha256) : null);
  if (stored === null) {
    // In place, the file would be served from where it is: it is moved aside.
    if (ctx.mode === 'in-place' && ctx.state !== null)
      await ctx.state.reject(source, path.join(WEB_DIR_NAME, project, file));
    return report.skipped('web', 'web-unknown-bytes', rel);
  }
  if (ctx.mode === 'in-place') return report.unchanged('web');

  const sameBytes = async (existing: string) => (await hashFile(existing)).sha256 === sha256;
  if (ctx.dryRun) {
    const target = web.fileOf(project, file);
    const there = await lstatOrNull(target);
    if (there === null) return report.written('web');
    if (there.isFile() && (await sameBytes(target))) return report.unchanged('web');
    return report.skipped('web', 'web-name-taken', rel);
  }
  if (!(await web.ensureProject(project))) {
    return report.failed('web', 'ENOTDIR', rel);
  }
  const result = await web.place(stored, project, file, sameBytes);
  if (result === 'placed') report.written('web');
  else if (result === 'same') report.unchanged('web');
  else report.skipped('web', 'web-name-taken', rel);
}
