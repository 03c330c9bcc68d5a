// Is the node still running? A restore must not replace files under a live process: it asks
// every address the app listens on, and whether another process holds each database open.
import net from 'node:net';
import Database from 'better-sqlite3';
import type { ListenAddress } from './backup-spec.js';

/** True when something accepts a TCP connection at host:port within `timeoutMs`. */
export function portAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  if (port <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = net.connect({ host: host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => done(true));
  });
}

/** The first address that answers, or null. */
export async function firstAnswering(listens: readonly ListenAddress[]): Promise<ListenAddress | null> {
  for (const l of listens) if (await portAnswers(l.host, l.port)) return l;
  return null;
}

/**
 * True when another connection holds the database `file` open. In WAL mode every open connection
 * keeps a lock that an EXCLUSIVE locking-mode transaction cannot take, so it fails at once
 * (busy_timeout 0) while any other process has the file open, and succeeds when none does.
 */
export function sqliteInUse(file: string): boolean {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    db.close();
  }
}
