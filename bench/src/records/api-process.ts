// Starts api-child.ts over a store directory and GETs through an undici pool; close() stops both.
import { Pool } from 'undici';
import { forkServer } from '../child/forked-server.js';

export interface ApiProcess {
  url: string;
  get(path: string): Promise<{ status: number; body: unknown }>;
  /** The answer read whole but not parsed: a load generator's view (as wrk's), so its parsing is not charged to the run. */
  getText(path: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export async function startApiProcess(dir: string, opts: { connections: number; relayUrl?: string }): Promise<ApiProcess> {
  const server = await forkServer(new URL('./api-child.js', import.meta.url), [dir, opts.relayUrl ?? 'http://127.0.0.1:9'], { name: 'api' });
  const pool = new Pool(server.url, { connections: opts.connections });
  return {
    url: server.url,
    async get(path) {
      const res = await pool.request({ method: 'GET', path });
      const text = await res.body.text();
      return { status: res.statusCode, body: JSON.parse(text) as unknown };
    },
    async getText(path) {
      const res = await pool.request({ method: 'GET', path });
      return { status: res.statusCode, text: await res.body.text() };
    },
    async close() {
      await pool.close();
      await server.close();
    },
  };
}
