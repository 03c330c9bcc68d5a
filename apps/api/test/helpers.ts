// A real api over a real SQLite store in a temp dir and a fake relay on loopback.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { createSqliteRecordStore, type OipRecord, type RecordStore } from '@oip/record-store';
import { buildApp, parseConfig, type Config } from '../src/app.js';

export interface TestApi {
  app: FastifyInstance;
  store: RecordStore;
  relay: FakeRelay;
}

export function useApi(): (records?: OipRecord[], overrides?: Partial<Config>) => Promise<TestApi> {
  const open: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of open.splice(0).reverse()) await close();
  });
  return async (records = [], overrides = {}) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'api-test-'));
    open.push(() => rm(dir, { recursive: true, force: true }));
    const relay = await startFakeRelay();
    open.push(() => relay.close());
    const store = createSqliteRecordStore({ dataDir: dir });
    open.push(() => store.close());
    if (records.length) {
      const results = await store.bulkUpsert(records);
      const failed = results.filter((r) => !r.ok);
      if (failed.length) throw new Error(`fixture records rejected: ${JSON.stringify(failed)}`);
    }
    const config = parseConfig({ store: { kind: 'sqlite', dataDir: dir }, relayUrl: relay.url, logLevel: 'silent', ...overrides });
    const app = buildApp(config, { store });
    open.push(() => app.close());
    await app.ready();
    return { app, store, relay };
  };
}

let seq = 0;
/** A record in the stored (indexed) shape. */
export function rec(soul: string, recordType: string, fields: Record<string, unknown> = {}, basic: Record<string, unknown> = {}): OipRecord {
  const did = `did:gun:${soul}`;
  return {
    data: { basic: { name: `name of ${soul}`, description: '', language: 'en', tagItems: [], date: 1730505600 + seq++, ...basic }, ...(Object.keys(fields).length ? { [recordType]: fields } : {}) },
    oip: {
      ver: '0.8.0',
      recordType,
      did,
      didTx: did,
      storage: 'gun',
      indexedAt: '2026-11-02T10:00:00.000Z',
      creator: { creatorHandle: 'devon', didAddress: 'did:arweave:devon', publicKey: 'pk-devon' },
    },
  };
}
