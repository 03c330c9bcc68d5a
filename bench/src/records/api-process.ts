// Starts api-child.ts over a store directory and GETs through an undici pool; close() stops both.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

export interface ApiProcess {
  url: string;
  get(path: string): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startApiProcess(dir: string, opts: { connections: number; relayUrl?: string }): Promise<ApiProcess> {
  const child = fork(fileURLToPath(new URL('./api-child.js', import.meta.url)), [dir, opts.relayUrl ?? 'http://127.0.0.1:9'], { stdio: 'inherit' });
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('api child not ready within 60 s')), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`api child exited (${code}) before it was ready`));
    });
    child.on('message', (m: { kind?: string; url?: string }) => {
      if (m?.kind !== 'ready' || !m.url) return;
      clearTimeout(timer);
      resolve(m.url);
    });
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  const pool = new Pool(url, { connections: opts.connections });
  return {
    url,
    async get(path) {
      const res = await pool.request({ method: 'GET', path });
      const text = await res.body.text();
      return { status: res.statusCode, body: JSON.parse(text) as unknown };
    },
    async close() {
      await pool.close();
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send('close');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
