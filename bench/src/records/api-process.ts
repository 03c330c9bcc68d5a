// Starts api-child.ts over a store (a SQLite directory or a StoreConfig) and GETs through an undici pool; close() stops both.
import type { StoreConfig } from '@oip/record-store';
import { Pool } from 'undici';
import { forkServer } from '../child/forked-server.js';

export interface ApiProcess {
  url: string;
  get(path: string): Promise<{ status: number; body: unknown }>;
  /**
   * The answer read whole as bytes, as a load generator (wrk) reads it: no response stream is
   * built and the bytes are decoded only when `text` is read, so a run that parses one answer
   * for its count is not charged for decoding the others. It resolves once the last byte is in
   * (undici fails it when the body falls short of its content-length), so latency stays whole.
   */
  getText(path: string): Promise<{ status: number; readonly text: string }>;
  close(): Promise<void>;
}

/** GET `path` through the pool's raw dispatch: the body's chunks are kept, not decoded. */
function getRaw(pool: Pool, path: string): Promise<{ status: number; readonly text: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    pool.dispatch(
      { method: 'GET', path },
      {
        onConnect() {},
        onHeaders(statusCode) {
          status = statusCode;
          return true;
        },
        onData(chunk) {
          chunks.push(chunk);
          return true;
        },
        onComplete() {
          let text: string | undefined;
          resolve({
            status,
            get text() {
              return (text ??= Buffer.concat(chunks).toString('utf8'));
            },
          });
        },
        onError: reject,
      },
    );
  });
}

/** `store`: a SQLite data directory or a StoreConfig. `totalCap`: the api's searchResults cap (API_RECORDS_TOTAL_CAP); its default when absent. */
export async function startApiProcess(
  store: string | StoreConfig,
  opts: { connections: number; relayUrl?: string; totalCap?: number },
): Promise<ApiProcess> {
  const args = [
    typeof store === 'string' ? store : JSON.stringify(store),
    opts.relayUrl ?? 'http://127.0.0.1:9',
    ...(opts.totalCap === undefined ? [] : [String(opts.totalCap)]),
  ];
  const server = await forkServer(new URL('./api-child.js', import.meta.url), args, { name: 'api' });
  const pool = new Pool(server.url, { connections: opts.connections });
  return {
    url: server.url,
    async get(path) {
      const res = await pool.request({ method: 'GET', path });
      const text = await res.body.text();
      return { status: res.statusCode, body: JSON.parse(text) as unknown };
    },
    getText: (path) => getRaw(pool, path),
    async close() {
      await pool.close();
      await server.close();
    },
  };
}
