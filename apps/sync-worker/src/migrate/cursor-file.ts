// The migration's place in each legacy index, on disk: written (to a temporary file, then renamed
// over the old one) after each page is in the store, so a run killed at any point resumes after
// the last page it wrote. A finished pass is marked done; the next run reads the index again from
// the start (finding what it already wrote unchanged). A cursor made for another source index or
// another store is ignored.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TallyJson } from './migrate-tally.js';

export interface MigrateCursor {
  v: 1;
  /** The legacy index and store this cursor belongs to (no credentials). */
  source: string;
  store: string;
  /** The sort field and the last sort value written (null: from the start). */
  sortField: string | null;
  resumeFrom: string | null;
  /** Documents read so far in this pass. */
  read: number;
  /** Documents this pass will read in all (as counted when it started). */
  total: number;
  done: boolean;
  tally: TallyJson;
  updatedAt: string;
}

export class CursorFile {
  readonly path: string;
  readonly #dir: string;

  constructor(dir: string, index: string) {
    this.#dir = dir;
    this.path = join(dir, `migrate-${index}.cursor.json`);
  }

  /** The cursor to resume from, or null (none, finished, or made for another source or store). */
  async load(source: string, store: string): Promise<MigrateCursor | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let c: MigrateCursor;
    try {
      c = JSON.parse(text) as MigrateCursor;
    } catch {
      return null;
    }
    if (c.v !== 1 || c.done || c.source !== source || c.store !== store) return null;
    return c;
  }

  async save(cursor: MigrateCursor): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, JSON.stringify(cursor), { mode: 0o600 });
    await rename(tmp, this.path);
  }
}
