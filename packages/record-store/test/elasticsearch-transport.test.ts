// The adapter's own client against a real loopback HTTP server posing as ES: the socket pool
// is bounded, close() releases it, and timeouts / refused connections map to transient errors.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createElasticsearchRecordStore, type ElasticsearchRecordStore } from '../src/index.js';

interface FakeEs {
  server: Server;
  url: string;
  sockets: Set<Socket>;
  maxOpenSockets: number;
  requests: number;
}

function startFakeEs(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<FakeEs> {
  const fake: FakeEs = { server: createServer(), url: '', sockets: new Set(), maxOpenSockets: 0, requests: 0 };
  fake.server.on('connection', (socket) => {
    fake.sockets.add(socket);
    fake.maxOpenSockets = Math.max(fake.maxOpenSockets, fake.sockets.size);
    socket.on('close', () => fake.sockets.delete(socket));
  });
  fake.server.on('request', (req, res) => {
    fake.requests += 1;
    res.setHeader('x-elastic-product', 'Elasticsearch');
    handler(req, res);
  });
  return new Promise((resolve) => {
    fake.server.listen(0, '127.0.0.1', () => {
      fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
      resolve(fake);
    });
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

describe('ElasticsearchRecordStore transport', () => {
  let fake: FakeEs | undefined;
  let store: ElasticsearchRecordStore | undefined;

  afterAll(async () => {
    // Every socket and server these tests opened is closed again.
    await new Promise((r) => setTimeout(r, 20));
    const open = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap');
    expect(open).toEqual([]);
  });

  afterEach(async () => {
    await store?.close();
    store = undefined;
    if (fake !== undefined) {
      fake.server.closeAllConnections();
      await new Promise<void>((resolve) => fake!.server.close(() => resolve()));
      fake = undefined;
    }
  });

  it('never opens more than maxSockets connections, and close() releases them', async () => {
    fake = await startFakeEs((req, res) => {
      // Slow answers so requests pile up behind the pool bound.
      setTimeout(() => json(res, 404, { _index: 'records', _id: 'x', found: false }), 40);
    });
    store = createElasticsearchRecordStore({ node: fake.url, maxSockets: 3, createIndex: false, guard: false });
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => store!.get(`did:gun:pool:${i}`)));
    expect(results.every((r) => r === null)).toBe(true);
    expect(fake.requests).toBe(24);
    expect(fake.maxOpenSockets).toBeLessThanOrEqual(3);
    expect(fake.sockets.size).toBeGreaterThan(0); // kept alive for reuse
    await store.close();
    store = undefined;
    const deadline = Date.now() + 2000;
    while (fake.sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(fake.sockets.size).toBe(0);
  });

  it('a request past requestTimeoutMs is a transient STORE_ERR_TIMEOUT', async () => {
    fake = await startFakeEs(() => {
      /* never answers */
    });
    store = createElasticsearchRecordStore({
      node: fake.url,
      requestTimeoutMs: 100,
      maxRetries: 0,
      createIndex: false,
      guard: false,
    });
    await expect(store.get('did:gun:slow:1')).rejects.toMatchObject({ code: 'STORE_ERR_TIMEOUT', permanent: false });
  });

  it('a refused connection is a transient STORE_ERR_UNAVAILABLE', async () => {
    const probe = await startFakeEs(() => undefined);
    const url = probe.url;
    await new Promise<void>((resolve) => probe.server.close(() => resolve()));
    store = createElasticsearchRecordStore({ node: url, maxRetries: 0, createIndex: false, guard: false });
    await expect(store.getMany(['did:gun:x:1'])).rejects.toMatchObject({
      code: 'STORE_ERR_UNAVAILABLE',
      permanent: false,
    });
  });

  it('auth never appears in error messages', async () => {
    fake = await startFakeEs((req, res) =>
      json(res, 401, { error: { type: 'security_exception', reason: 'unable to authenticate' }, status: 401 }),
    );
    store = createElasticsearchRecordStore({
      node: fake.url,
      auth: { username: 'elastic', password: 's3cret-pass' },
      createIndex: false,
      guard: false,
    });
    const err = (await store.search({}).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'STORE_ERR_UPSTREAM', permanent: true });
    expect(err.message).not.toContain('s3cret-pass');
    expect(JSON.stringify((err as { details?: unknown }).details)).not.toContain('s3cret-pass');
  });
});
