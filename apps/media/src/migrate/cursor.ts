// Where an interrupted `migrate media` run resumes: `<MEDIA_DIR>/.migrate/media-cursor.json`, the
// last entry whose migration finished (names are walked in sorted order, services/sorted-names),
// written to a temp file and renamed, so a kill leaves the old cursor or the new one. Kept only for
// the same source directory and mode; removed when a run gets to the end, so the next run walks
// everything again (cheaply: what is already here is not copied again).
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from '@oip/service-kit';

export type Phase = 'media' | 'web';

export interface Cursor {
  version: 1;
  /** The source directory (resolved). */
  source: string;
  mode: string;
  phase: Phase;
  /** Web phase: the project directory being walked. */
  project?: string;
  /** The last name (media id, or file of `project`) finished. */
  after: string;
}

export class CursorFile {
  readonly file: string;

  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'media-cursor.json');
  }

  /** The cursor of a run over `source` in `mode`; null when there is none (or another run's). */
  async load(source: string, mode: string): Promise<Cursor | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let c: unknown;
    try {
      c = JSON.parse(text);
    } catch {
      return null;
    }
    if (typeof c !== 'object' || c === null) return null;
    const cur = c as Partial<Cursor>;
    if (cur.version !== 1 || cur.source !== source || cur.mode !== mode) return null;
    if ((cur.phase !== 'media' && cur.phase !== 'web') || typeof cur.after !== 'string') return null;
    if (cur.phase === 'web' && typeof cur.project !== 'string') return null;
    return cur as Cursor;
  }

  async save(cursor: Cursor): Promise<void> {
    const tmp = `${this.file}.tmp`;
    const fh = await open(tmp, 'w', PRIVATE_FILE_MODE);
    try {
      await fh.writeFile(JSON.stringify(cursor));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
