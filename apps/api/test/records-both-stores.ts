// The api on each store kind, listening on a real loopback port: SQLite in a temp dir, and the
// real Elasticsearch the test command starts (ELASTICSEARCH_URL) on an index of its own. Without
// ELASTICSEARCH_URL the Elasticsearch half is skipped, except in CI, where it fails.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createSqliteAccountStore } from '@oip/accounts';
import { startFakeRelay } from '@oip/fake-relay';
import {
  createElasticsearchRecordStore,
  createSqliteRecordStore,
  type OipRecord,
  type RecordStore,
} from '@oip/record-store';
import { buildApp, parseConfig } from '../src/app.js';

const given = process.env['ELASTICSEARCH_URL'];
if ((given === undefined || given === '') && process.env['CI']) {
  throw new Error('ELASTICSEARCH_URL is not set: CI runs the Elasticsearch suites (node scripts/oip.mjs test sets it)');
}
const elasticsearchUrl = given === '' ? undefined : given;

export type StoreKind = 'sqlite' | 'elasticsearch';

/** The store kinds this run has, with why one is skipped. */
export const STORE_KINDS: ReadonlyArray<{ kind: StoreKind; skip: string | undefined }> = [
  { kind: 'sqlite', skip: undefined },
  {
    kind: 'elasticsearch',
    skip: elasticsearchUrl === undefined ? 'ELASTICSEARCH_URL not set (node scripts/oip.mjs test sets it)' : undefined,
  },
];

export interface ListeningApi {
  app: FastifyInstance;
  store: RecordStore;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  close(): Promise<void>;
}

/** An api over a fresh store of `kind` holding `records`, listening on 127.0.0.1:0. */
export async function listeningApi(kind: StoreKind, records: OipRecord[]): Promise<ListeningApi> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'api-both-stores-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const relay = await startFakeRelay();
    closers.push(() => relay.close());
    let store: RecordStore;
    if (kind === 'sqlite') {
      store = createSqliteRecordStore({ dataDir: dir });
    } else {
      const index = `oip-test-api-query-${randomUUID()}`;
      closers.push(() => fetch(`${elasticsearchUrl}/${index}`, { method: 'DELETE' }));
      store = createElasticsearchRecordStore({ node: elasticsearchUrl!, index, refresh: true, maxSockets: 4 });
    }
    closers.push(() => store.close());
    const results = await store.bulkUpsert(records);
    const failed = results.filter((r) => !r.ok);
    if (failed.length) throw new Error(`fixture records rejected: ${JSON.stringify(failed)}`);
    const accounts = createSqliteAccountStore({ path: path.join(dir, 'accounts.sqlite') });
    closers.push(() => accounts.close());
    const config = parseConfig({
      store: { kind: 'sqlite', dataDir: dir },
      relayUrl: relay.url,
      logLevel: 'silent',
      maxEventLoopDelayMs: 0,
    });
    const app = buildApp(config, { store, accounts });
    closers.push(() => app.close());
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    return { app, store, baseUrl, close };
  } catch (err) {
    await close();
    throw err;
  }
}
