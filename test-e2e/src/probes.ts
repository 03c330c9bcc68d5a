// Bounded probes of processes the tests start: an HTTP health URL, a JSON answer, a Redis PING.
import net from 'node:net';
import type { ManagedProcess } from './processes.js';
import { giveUp, until } from '@oip/test-kit';

/** Waits (bounded) for a 200 from `url`; throws early, with the log, when the process exits. */
export async function waitHealthy(p: ManagedProcess, url: string, timeoutMs = 60_000): Promise<void> {
  await until(
    async () => {
      if (!p.running) giveUp(`${p.spec.name} exited during start:\n${p.tail()}`);
      return httpStatus(url);
    },
    { what: `${p.spec.name} healthy at ${url}`, ok: (s) => s === 200, timeoutMs: timeoutMs, intervalMs: 250 },
  );
}

/** The status of a GET (0 when nothing answers within 3 s). */
export async function httpStatus(url: string): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

export async function httpJson<T>(url: string): Promise<T | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}

/** One PING over a fresh connection: the first reply line ('+PONG', '-LOADING …') or '' when nothing answers. */
export async function redisPing(host: string, port: number, p?: ManagedProcess): Promise<string> {
  if (p && !p.running) giveUp(`${p.spec.name} exited:\n${p.tail()}`);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let buf = '';
    const done = (v: string) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(2000, () => done(''));
    socket.on('error', () => done(''));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      buf += d.toString();
      const i = buf.indexOf('\r\n');
      if (i >= 0) done(buf.slice(0, i));
    });
  });
}
