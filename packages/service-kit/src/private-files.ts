// Data directories 0700 and data files 0600: what the node keeps (records, accounts with their
// password hashes and sealed mnemonics, the GUN graph, media) is for the user it runs as only.
// Created with those modes; existing ones with looser modes are tightened when a service starts.
// Only what the running user owns is tightened, and never a sticky directory (a data dir pointed
// at /tmp must not take /tmp from everyone else): there only the files get the private mode.
import { chmodSync, closeSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';

/** Mode of a data directory: the owner only. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of a data file: the owner only. */
export const PRIVATE_FILE_MODE = 0o600;

const STICKY = 0o1000;
/** What SQLite keeps beside a database file (WAL mode, rollback journal). */
const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'] as const;

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const ownedByUs = (st: Stats): boolean => process.getuid === undefined || st.uid === process.getuid();

function tighten(path: string, st: Stats, mode: number): void {
  if ((st.mode & 0o777 & ~mode) === 0 || !ownedByUs(st)) return;
  chmodSync(path, mode);
}

/**
 * `dir` exists and only its owner may enter it: missing directories (parents included) are
 * created 0700, an existing one with group or other bits is set to 0700. Returns `dir`.
 */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const st = statSync(dir);
  if ((st.mode & STICKY) === 0) tighten(dir, st, PRIVATE_DIR_MODE);
  return dir;
}

/**
 * `file` exists and only its owner may read it: a missing one is created empty with mode 0600
 * (exclusively, so a file another process creates at the same moment is kept), an existing one
 * with group or other bits is set to 0600. Returns `file`.
 */
export function ensurePrivateFile(file: string): string {
  const st = statOrNull(file);
  if (st !== null) {
    tighten(file, st, PRIVATE_FILE_MODE);
    return file;
  }
  try {
    closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return ensurePrivateFile(file);
  }
  return file;
}

/**
 * An SQLite database file made private before SQLite opens it: the file itself (created empty
 * when missing, which SQLite reads as a new database) and its -wal/-shm/-journal when present.
 * SQLite creates those companions with the database file's mode, so they stay 0600 from then on.
 */
export function ensurePrivateSqliteFile(file: string): string {
  ensurePrivateFile(file);
  for (const suffix of SQLITE_COMPANIONS) {
    const st = statOrNull(file + suffix);
    if (st !== null) tighten(file + suffix, st, PRIVATE_FILE_MODE);
  }
  return file;
}
