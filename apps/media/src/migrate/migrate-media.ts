// `migrate media`: a legacy node's MEDIA_DIR (legacy routes/media.js layout, web-setup's `web/`)
// into this node's media dir. Two phases, each walking names in sorted order a bounded batch at a
// time (sorted-names.ts): the top level (media directories, and whatever else is there, reported),
// then `web/<project>/<file>`. Every entry is finished (written, found here already, skipped with
// a reason, or failed with one) before the next, and the position is saved to the cursor
// (cursor.ts) every CHECKPOINT_EVERY entries or second, so a killed run resumes after it; a run
// that gets to the end removes the cursor. A second run writes nothing: what is here already is
// found here. Failures of one entry (a permission, an I/O error) are reported and the walk goes
// on; a full disk or read-only file system stops the run (its cursor kept).
import { stat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { MigrateCrossDeviceError, MigrateSourceError } from '../errors.js';
import { MediaPaths, lstatOrNull } from '../services/media-paths.js';
import { WEB_DIR_NAME, WebPaths } from '../services/web-paths.js';
import { failureReason, isFatal, type MigrateMode, type RunContext } from './context.js';
import { CursorFile, type Cursor, type Phase } from './cursor.js';
import { migrateTopEntry } from './media-entry.js';
import { Progress, type ProgressSink } from './progress.js';
import { MigrationReport, type Section } from './report.js';
import { countNames, sortedNames } from './sorted-names.js';
import { StateDir } from './state-dir.js';
import { checkProject, migrateWebFile } from './web-entry.js';

/** Entries between two saves of the cursor (and at most a second apart). */
export const CHECKPOINT_EVERY = 100;
const CHECKPOINT_MS = 1000;

export interface MigrateMediaOptions {
  /** The legacy MEDIA_DIR. */
  from: string;
  /** This node's media dir (config mediaDir). */
  mediaDir: string;
  /** `adopt`: hard links (or, when `from` is the media dir itself, the files where they are); `copy`: copies. */
  mode: 'copy' | 'adopt';
  dryRun: boolean;
  /** Where progress goes (stderr in the CLI); none when absent. */
  progress?: ProgressSink;
  /** Names read per directory pass. */
  nameBatch?: number;
}

export interface MigrateMediaResult {
  source: string;
  target: string;
  mode: MigrateMode;
  dryRun: boolean;
  /** Where this run started: null from the beginning, else the cursor it resumed after. */
  resumedAfter: string | null;
  report: MigrationReport;
}

export async function migrateMedia(opts: MigrateMediaOptions): Promise<MigrateMediaResult> {
  const source = await resolveSource(opts.from);
  const targetResolved = await realpathOrNull(opts.mediaDir);
  const target = targetResolved ?? path.resolve(opts.mediaDir);
  const mode = await modeOf(opts.mode, source, target, targetResolved !== null);

  const report = new MigrationReport();
  const paths = opts.dryRun ? MediaPaths.readOnly(target) : await MediaPaths.open(opts.mediaDir);
  const state = opts.dryRun ? null : new StateDir(paths.root);
  const ctx: RunContext = { source, target: paths.root, mode, dryRun: opts.dryRun, paths, state, report };
  const cursors = state === null ? null : new CursorFile(state.dir);
  await state?.open();
  try {
    const resume = (await cursors?.load(source, mode)) ?? null;
    const walker = new Walker(ctx, cursors, opts);
    if (resume === null || resume.phase === 'media') await walker.media(resume?.after ?? null);
    await walker.web(resume?.phase === 'web' ? resume : null);
    await cursors?.clear();
    return {
      source,
      target: paths.root,
      mode,
      dryRun: opts.dryRun,
      resumedAfter:
        resume === null ? null : `${resume.phase}:${resume.project ? `${resume.project}/` : ''}${resume.after}`,
      report,
    };
  } finally {
    await state?.close();
  }
}

class Walker {
  readonly #ctx: RunContext;
  readonly #cursors: CursorFile | null;
  readonly #opts: MigrateMediaOptions;
  #sinceSave = 0;
  #savedAt = Date.now();

  constructor(ctx: RunContext, cursors: CursorFile | null, opts: MigrateMediaOptions) {
    this.#ctx = ctx;
    this.#cursors = cursors;
    this.#opts = opts;
  }

  async media(after: string | null): Promise<void> {
    const { source } = this.#ctx;
    const progress = this.#progress('media', await countNames(source));
    for await (const name of sortedNames(source, { after, batch: this.#opts.nameBatch })) {
      await this.#step('media', name, () => migrateTopEntry(this.#ctx, name));
      progress?.tick();
      await this.#checkpoint({ phase: 'media', after: name });
    }
    progress?.end();
    await this.#checkpoint({ phase: 'web', project: '', after: '' }, true);
  }

  async web(resume: Cursor | null): Promise<void> {
    const ctx = this.#ctx;
    const webDir = path.join(ctx.source, WEB_DIR_NAME);
    const st = await lstatOrNull(webDir);
    if (st === null) return;
    if (st.isSymbolicLink() || !st.isDirectory()) {
      ctx.report.skipped('other', st.isSymbolicLink() ? 'symlink' : 'not-a-regular-file', WEB_DIR_NAME);
      return;
    }
    const web = new WebPaths(ctx.paths.root);
    const batch = this.#opts.nameBatch;
    for await (const project of sortedNames(webDir, { batch })) {
      if (resume !== null && project < resume.project!) continue;
      if (!(await checkProject(ctx, project))) continue;
      const dir = path.join(webDir, project);
      const after = resume !== null && project === resume.project ? resume.after : null;
      const progress = this.#progress(`web ${project}`, await countNames(dir));
      for await (const file of sortedNames(dir, { after, batch })) {
        await this.#step('web', `${project}/${file}`, () => migrateWebFile(ctx, web, project, file));
        progress?.tick();
        await this.#checkpoint({ phase: 'web', project, after: file });
      }
      progress?.end();
    }
  }

  #progress(label: string, total: number): Progress | null {
    return this.#opts.progress ? new Progress(this.#opts.progress, label, total) : null;
  }

  async #step(section: Section, name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (isFatal(err)) throw err;
      this.#ctx.report.failed(section, failureReason(err), name);
    }
  }

  async #checkpoint(at: { phase: Phase; project?: string; after: string }, now = false): Promise<void> {
    if (this.#cursors === null) return;
    this.#sinceSave++;
    if (!now && this.#sinceSave < CHECKPOINT_EVERY && Date.now() - this.#savedAt < CHECKPOINT_MS) return;
    const { source, mode } = this.#ctx;
    await this.#cursors.save({ version: 1, source, mode, ...at });
    this.#sinceSave = 0;
    this.#savedAt = Date.now();
  }
}

async function realpathOrNull(p: string): Promise<string | null> {
  try {
    return await realpath(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function resolveSource(from: string): Promise<string> {
  const source = await realpathOrNull(from);
  if (source === null) throw new MigrateSourceError(from, 'no such directory');
  if (!(await stat(source)).isDirectory()) throw new MigrateSourceError(from, 'not a directory');
  return source;
}

/** In place when the source is the media dir; else hard links (same file system only) or copies. */
async function modeOf(
  asked: 'copy' | 'adopt',
  source: string,
  target: string,
  targetExists: boolean,
): Promise<MigrateMode> {
  if (targetExists && source === target) return 'in-place';
  if (asked === 'copy') return 'copy';
  // The media dir may not exist yet: its nearest existing parent is where it will be created.
  let probe = target;
  while ((await lstatOrNull(probe)) === null && path.dirname(probe) !== probe) probe = path.dirname(probe);
  if ((await stat(probe)).dev !== (await stat(source)).dev) throw new MigrateCrossDeviceError(source, target);
  return 'link';
}
