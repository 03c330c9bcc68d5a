// Streaming through the gateway on a real api server: a 100 MB download with the process RSS flat,
// client aborts that cut the upstream request (counted at the upstream), uploads passed through as
// streams (the upstream reads the first bytes before the client has sent the rest), body limits.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { request } from 'undici';
import { readAll, useGateway, type Upstream } from './gateway-helpers.js';

const t = useGateway();
const MB = 1024 * 1024;

/** Deterministic bytes: 64 KiB blocks in a cycle of 17 (allocated once, so serving makes no garbage). */
const BLOCKS = Array.from({ length: 17 }, (_, i) => Buffer.alloc(64 * 1024, i * 13 + 1));
const block = (i: number): Buffer => BLOCKS[i % BLOCKS.length]!;

/** Serves `total` bytes of blocks with backpressure; the sha256 of what was written. */
function serveBytes(total: number): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
    let i = 0;
    const pump = (): void => {
      while (i * 64 * 1024 < total) {
        if (!res.write(block(i++))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  };
}

function expectedSha(total: number): string {
  const h = createHash('sha256');
  for (let i = 0; i * 64 * 1024 < total; i++) h.update(block(i));
  return h.digest('hex');
}

/** Upstream that hashes the request body and answers `{ bytes, sha256 }`. */
async function hashingUpstream(onFirstBytes?: () => void): Promise<Upstream> {
  return t.upstream((req, res) => {
    req.on('error', () => undefined); // the gateway cutting a body is what some tests look for
    const h = createHash('sha256');
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      if (bytes === 0) onFirstBytes?.();
      bytes += c.length;
      h.update(c);
    });
    req.on('end', () => {
      const text = JSON.stringify({ bytes, sha256: h.digest('hex') });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
}

describe('gateway: downloads streamed', () => {
  it('streams a 100 MB media file with the RSS of the process flat (±20 MB) and every byte intact', async () => {
    const total = 100 * MB;
    const up = await t.upstream(serveBytes(total));
    const { url } = await t.gateway({ relayUrl: up.url, mediaUrl: up.url });
    const get = async (): Promise<{ bytes: number; sha: string; maxRss: number }> => {
      const res = await request(`${url}/api/media/${'cd'.repeat(32)}`);
      expect(res.statusCode).toBe(200);
      const h = createHash('sha256');
      let bytes = 0;
      let maxRss = 0;
      let n = 0;
      for await (const chunk of res.body) {
        bytes += (chunk as Buffer).length;
        h.update(chunk as Buffer);
        // Collect the sockets' read buffers now and then, so RSS shows what is retained, not
        // garbage waiting for a collection; a buffering gateway would retain the whole 100 MB.
        if (++n % 16 === 0) {
          globalThis.gc?.();
          maxRss = Math.max(maxRss, process.memoryUsage.rss());
        }
      }
      return { bytes, sha: h.digest('hex'), maxRss: Math.max(maxRss, process.memoryUsage.rss()) };
    };
    // Warm the pools, parsers and JIT with a first transfer, then measure a second.
    await get();
    globalThis.gc?.();
    const before = process.memoryUsage.rss();
    const run = await get();
    const after = process.memoryUsage.rss();
    expect(run.bytes).toBe(total);
    expect(run.sha).toBe(expectedSha(total));
    expect(typeof globalThis.gc).toBe('function');
    expect(run.maxRss - before).toBeLessThan(20 * MB);
    expect(Math.abs(after - before)).toBeLessThan(20 * MB);
  }, 60_000);

  it('a client abort mid-stream closes the upstream response before it finished', async () => {
    const up = await t.upstream(serveBytes(200 * MB));
    const { app, url } = await t.gateway({ relayUrl: up.url, mediaUrl: up.url });
    const res = await request(`${url}/api/media/${'ef'.repeat(32)}`);
    expect(res.statusCode).toBe(200);
    let got = 0;
    for await (const chunk of res.body) {
      got += (chunk as Buffer).length;
      if (got > 2 * MB) break; // leaving the loop destroys the body: the client goes away
    }
    await until(() => up.closedEarly === 1, {
      what: 'the upstream response to close early',
      timeoutMs: 5000,
      intervalMs: 10,
    });
    expect(up.seen).toHaveLength(1);
    const metricsText = (await app.inject({ url: '/metrics' })).body;
    expect(metricsText).toContain('oip_api_gateway_client_aborts_total{upstream="media"} 1');
  });

  it('a client that leaves while the upstream has not answered yet cancels the upstream request at once', async () => {
    const up = await t.upstream(() => {
      /* answers never */
    });
    const { url } = await t.gateway({ relayUrl: up.url, mediaUrl: up.url, gatewayTimeoutMs: 60_000 });
    const ac = new AbortController();
    const pending = request(`${url}/gun-relay/get?soul=slow`, { signal: ac.signal });
    await until(() => up.seen.length === 1, {
      what: 'the request to reach the upstream',
      timeoutMs: 2000,
      intervalMs: 10,
    });
    ac.abort();
    await expect(pending).rejects.toThrow();
    await until(() => up.closedEarly === 1, {
      what: 'the upstream request to be cancelled',
      timeoutMs: 2000,
      intervalMs: 10,
    });
  });
});

describe('gateway: uploads streamed', () => {
  it('a 20 MB POST reaches the upstream intact (sha256), its first bytes before the client has sent the rest', async () => {
    let upstreamReading = false;
    const up = await hashingUpstream(() => (upstreamReading = true));
    const { port } = await t.gateway({ relayUrl: up.url, mediaUrl: up.url, gatewayBodyLimitBytes: 32 * MB });
    const total = 20 * MB;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/media/upload',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      });
      req.on('response', resolve);
      req.on('error', reject);
      req.write(block(0));
      // Nothing more is sent until the upstream has read the first block: a buffering gateway would wait forever.
      until(() => upstreamReading, {
        what: 'the upstream to read the first block',
        timeoutMs: 5000,
        intervalMs: 10,
      }).then(() => {
        for (let i = 1; i * 64 * 1024 < total; i++) req.write(block(i));
        req.end();
      }, reject);
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse((await readAll(res)).toString())).toEqual({ bytes: total, sha256: expectedSha(total) });
    expect(up.seen[0]?.headers['transfer-encoding']).toBe('chunked');
  }, 30_000);

  it('with a declared length past gatewayBodyLimitBytes → 413 before anything is forwarded', async () => {
    const up = await hashingUpstream();
    const { port } = await t.gateway({ relayUrl: up.url, mediaUrl: up.url, gatewayBodyLimitBytes: 4 * MB });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/media/upload',
        headers: { 'content-type': 'application/octet-stream', 'content-length': 4 * MB + 1 },
      });
      req.on('response', resolve);
      req.on('error', () => undefined); // the gateway does not wait for the rest of the body
      req.write(block(0));
      setTimeout(() => reject(new Error('no answer')), 5000).unref();
    });
    expect(res.statusCode).toBe(413);
    expect(JSON.parse((await readAll(res)).toString())).toMatchObject({
      error: { code: 'API_BODY_TOO_LARGE', message: expect.stringContaining(String(4 * MB)) },
    });
    expect(up.seen).toHaveLength(0);
  });

  it('a chunked body that grows past the limit → 413, and the upstream request is cut', async () => {
    const up = await hashingUpstream();
    const { port } = await t.gateway({ relayUrl: up.url, mediaUrl: up.url, gatewayBodyLimitBytes: 4 * MB });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: '/api/media/upload',
        headers: { 'content-type': 'application/json' },
      });
      req.on('response', resolve);
      req.on('error', reject);
      for (let i = 0; i < 80; i++) req.write(block(i)); // 5 MB
      req.end();
    });
    expect(res.statusCode).toBe(413);
    expect(JSON.parse((await readAll(res)).toString())).toMatchObject({ error: { code: 'API_BODY_TOO_LARGE' } });
    await until(() => up.bodiesCut === 1, {
      what: 'the upstream request body to be cut',
      timeoutMs: 2000,
      intervalMs: 10,
    });
    expect(up.seen).toHaveLength(1);
  });

  it('a client that aborts mid-upload cuts the upstream request', async () => {
    const up = await hashingUpstream();
    const { port } = await t.gateway({ relayUrl: up.url, mediaUrl: up.url });
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/media/upload',
      headers: { 'content-type': 'application/octet-stream', 'content-length': 10 * MB },
    });
    req.on('error', () => undefined);
    for (let i = 0; i < 16; i++) req.write(block(i)); // 1 MB of the 10 declared
    await until(() => up.seen.length === 1, {
      what: 'the upload to reach the upstream',
      timeoutMs: 2000,
      intervalMs: 10,
    });
    req.destroy();
    await until(() => up.bodiesCut === 1, {
      what: 'the upstream request body to be cut',
      timeoutMs: 2000,
      intervalMs: 10,
    });
  });
});
