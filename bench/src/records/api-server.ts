// A real api server on 127.0.0.1 over a temp SQLite store and a fake relay, for the records
// benchmarks; close() stops the server, the store, the relay and removes the directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, parseConfig } from '@oip/api';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { createSqliteRecordStore, type OipRecord, type RecordStore } from '@oip/record-store';
import type { FastifyInstance } from 'fastify';
import { Pool } from 'undici';

export interface ApiServer {
  url: string;
  app: FastifyInstance;
  store: RecordStore;
  relay: FakeRelay;
  pool: Pool;
  dir: string;
  /** GET `path` through the pool; the body parsed as JSON and the response headers. */
  get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: unknown }>;
  close(): Promise<void>;
}

/** Starts the api; `dir` reuses an existing store directory (kept on close). */
export async function startApiServer(opts: { dir?: string; connections?: number } = {}): Promise<ApiServer> {
  const owned = opts.dir === undefined;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'oip-bench-api-')));
  const relay = await startFakeRelay();
  const store = createSqliteRecordStore({ dataDir: dir });
  const config = parseConfig({
    port: 0,
    store: { kind: 'sqlite', dataDir: dir },
    relayUrl: relay.url,
    logLevel: 'silent',
    maxResolveNodes: 10_000,
  });
  const app = buildApp(config, { store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  const pool = new Pool(url, { connections: opts.connections ?? 16 });
  return {
    url,
    app,
    store,
    relay,
    pool,
    dir,
    async get(path) {
      const res = await pool.request({ method: 'GET', path });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, body: JSON.parse(text) as unknown };
    },
    async close() {
      await pool.close();
      await app.close();
      await store.close();
      await relay.close();
      if (owned) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Upserts in batches; throws on any rejected record. */
export async function indexAll(store: RecordStore, records: OipRecord[], batch = 1000): Promise<void> {
  for (let i = 0; i < records.length; i += batch) {
    const results = await store.bulkUpsert(records.slice(i, i + batch));
    const failed = results.find((r) => !r.ok);
    if (failed) throw new Error(`record ${failed.did} rejected: ${failed.error?.code} ${failed.error?.message}`);
  }
}

/** p-th percentile (0..100) of a sorted copy. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
