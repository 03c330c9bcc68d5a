// accountStoreBeside on Elasticsearch sends the record store's credentials, by the record store's
// rule: an API key wins over basic auth; a username alone is sent with an empty password. A
// loopback server stands in for the cluster and records the Authorization header of each request.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountStoreBeside, type RecordStoreLocation } from '../src/index.js';

describe('accountStoreBeside on Elasticsearch', () => {
  let server: Server;
  let url: string;
  const seen: Array<string | null> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers.authorization ?? null);
      req.resume();
      // Not an answer the store accepts: each call fails after one request, which is all we look at.
      res.writeHead(500, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify({ error: { type: 'test_stub', reason: 'stub' }, status: 500 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  async function authorizationOf(
    credentials: Omit<Extract<RecordStoreLocation, { kind: 'elasticsearch' }>, 'kind' | 'url'>,
  ) {
    seen.length = 0;
    const store = accountStoreBeside({ kind: 'elasticsearch', url, ...credentials }, 'accounts');
    try {
      await expect(store.findByEmail('a@example.com')).rejects.toThrow();
    } finally {
      await store.close();
    }
    expect(seen.length).toBeGreaterThan(0);
    return [...new Set(seen)];
  }

  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

  it('sends none, basic, or the API key (which wins over basic)', async () => {
    expect(await authorizationOf({})).toEqual([null]);
    expect(await authorizationOf({ username: 'elastic', password: 'pw' })).toEqual([basic('elastic', 'pw')]);
    expect(await authorizationOf({ username: 'reader' })).toEqual([basic('reader', '')]);
    expect(await authorizationOf({ apiKey: 'a2V5OnNlY3JldA==', username: 'elastic', password: 'pw' })).toEqual([
      'ApiKey a2V5OnNlY3JldA==',
    ]);
  });
});
