// createRecordStore(StoreConfig): the one mapping from an app's store config to a store. The ES
// cases run against a loopback HTTP server that answers like Elasticsearch and records the
// Authorization header each request carried.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElasticsearchRecordStore, SqliteRecordStore, createRecordStore, type StoreConfig } from '../src/index.js';
import { makeRecord } from './helpers/records.js';

describe('createRecordStore', () => {
  it('kind sqlite opens the embedded store in dataDir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oip-record-store-'));
    const store = createRecordStore({ kind: 'sqlite', dataDir: dir });
    try {
      expect(store).toBeInstanceOf(SqliteRecordStore);
      expect((await store.bulkUpsert([makeRecord({ soul: 'f:1' })]))[0]!.ok).toBe(true);
      expect(await store.count()).toBe(1);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('kind elasticsearch', () => {
    let server: Server;
    let url: string;
    const seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push({ path: req.url ?? '', headers: req.headers });
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
        res.end(JSON.stringify({ count: 3 }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((r) => server.close(() => r()));
    });

    /** The Authorization header of the requests a count through a store of `config` sent. */
    async function authorizationOf(config: Omit<Extract<StoreConfig, { kind: 'elasticsearch' }>, 'kind' | 'url'>) {
      seen.length = 0;
      const store = createRecordStore({ kind: 'elasticsearch', url, ...config });
      try {
        expect(store).toBeInstanceOf(ElasticsearchRecordStore);
        expect(await store.count()).toBe(3);
      } finally {
        await store.close();
      }
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.some((r) => r.path.startsWith(`/${config.index}/_count`))).toBe(true);
      return [...new Set(seen.map((r) => r.headers.authorization ?? null))];
    }

    const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

    it('sends no credentials when none are configured', async () => {
      expect(await authorizationOf({ index: 'records' })).toEqual([null]);
    });

    it('sends basic auth for a username and password, and for a username alone (empty password)', async () => {
      expect(await authorizationOf({ index: 'oip', username: 'elastic', password: 'pw' })).toEqual([
        basic('elastic', 'pw'),
      ]);
      // The sync-worker's old mapping dropped the credentials here; the api's sent them.
      expect(await authorizationOf({ index: 'oip', username: 'reader' })).toEqual([basic('reader', '')]);
    });

    it('sends an API key, which wins over a username and password', async () => {
      expect(await authorizationOf({ index: 'oip', apiKey: 'a2V5LWlkOnNlY3JldA==' })).toEqual([
        'ApiKey a2V5LWlkOnNlY3JldA==',
      ]);
      expect(
        await authorizationOf({ index: 'oip', apiKey: 'a2V5LWlkOnNlY3JldA==', username: 'elastic', password: 'pw' }),
      ).toEqual(['ApiKey a2V5LWlkOnNlY3JldA==']);
    });
  });
});
