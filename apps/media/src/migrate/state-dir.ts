// `<MEDIA_DIR>/.migrate`: what `migrate media` keeps beside the media it writes. The media server
// never serves a dot name, so none of this is ever answered to a client.
// - `media.lock`: the pid of the run in progress (one run per media dir: each sweeps `tmp/`);
//   a lock whose process is gone is taken over.
// - `tmp/`: copies and links in progress, swept at the start of a run (a killed run leaves some).
// - `media-cursor.json`: where an interrupted run resumes (cursor.ts).
// - `rejected/`: in-place runs move here what must not be served (a file whose bytes are not its
//   media id); moving it back undoes that.
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '@oip/service-kit';
import { MigrateBusyError } from '../errors.js';
import { lstatOrNull } from '../services/media-paths.js';

export const STATE_DIR_NAME = '.migrate';

export class StateDir {
  readonly dir: string;
  readonly tmpDir: string;
  readonly rejectedDir: string;
  readonly #lock: string;

  constructor(mediaRoot: string) {
    this.dir = path.join(mediaRoot, STATE_DIR_NAME);
    this.tmpDir = path.join(this.dir, 'tmp');
    this.rejectedDir = path.join(this.dir, 'rejected');
    this.#lock = path.join(this.dir, 'media.lock');
  }

  /** Takes the lock (MEDIA_ERR_MIGRATE_BUSY when a live process holds it) and sweeps `tmp/`. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    await this.#takeLock();
    await rm(this.tmpDir, { recursive: true, force: true });
    await mkdir(this.tmpDir, { mode: PRIVATE_DIR_MODE });
  }

  async close(): Promise<void> {
    await rm(this.tmpDir, { recursive: true, force: true });
    await rm(this.#lock, { force: true });
  }

  /** Moves `from` (an entry of the media dir) to `rejected/<relative>`, never over an earlier one. */
  async reject(from: string, relative: string): Promise<string> {
    let to = path.join(this.rejectedDir, relative);
    await mkdir(path.dirname(to), { recursive: true, mode: PRIVATE_DIR_MODE });
    for (let n = 1; (await lstatOrNull(to)) !== null; n++) to = `${path.join(this.rejectedDir, relative)}.${n}`;
    await rename(from, to);
    return to;
  }

  async #takeLock(): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await open(this.#lock, 'wx', PRIVATE_FILE_MODE);
        try {
          await fh.writeFile(String(process.pid));
        } finally {
          await fh.close();
        }
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const pid = Number((await readFile(this.#lock, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new MigrateBusyError(pid);
      await rm(this.#lock, { force: true });
    }
    throw new MigrateBusyError('unknown');
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
