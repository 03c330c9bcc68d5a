// The gateway on a real api server: /gun-relay/* through a real gun-proxy, /api/media/* to a
// loopback upstream, only the configured hosts, hop-by-hop headers, 502/504 in the house shape.
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { request } from 'undici';
import { createSqliteAccountStore } from '@oip/accounts';
import { startGunProxy } from '@oip/gun-proxy/testing';
import { closedPort, readAll, useGateway } from './gateway-helpers.js';
import { seedAccounts } from './helpers.js';
import { signToken } from './jwt.js';

const SECRET = 'gateway-test-secret-0123456789';

const t = useGateway();

const json = (
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
};
const echo = (req: http.IncomingMessage, res: http.ServerResponse): void =>
  json(res, 200, { method: req.method, url: req.url, host: req.headers.host });

/** One raw HTTP/1.1 request over a socket (absolute-form targets undici cannot send); the answer's status line. */
async function rawRequest(port: number, text: string): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  socket.write(text);
  let got = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (got += d));
  await until(() => got.includes('\r\n\r\n') || socket.destroyed, {
    what: 'the raw answer',
    timeoutMs: 5000,
    intervalMs: 10,
  });
  socket.destroy();
  return got.split('\r\n')[0] ?? '';
}

describe('gateway: /gun-relay/* to gun-proxy', () => {
  it("serves the relay's public reads and refuses every raw write, with or without the relay's own token", async () => {
    const token = 'gateway-test-token-0123456789';
    const relay = await startGunProxy({ authMode: 'token', authToken: token });
    t.defer(() => relay.close());
    const { url } = await t.gateway({ relayUrl: relay.url, mediaUrl: `http://127.0.0.1:${await closedPort()}` });
    const soul = 'a1b2c3d4e5f6:gateway-roundtrip';
    const data = { data: { basic: { name: 'written on the relay' } }, oip: { recordType: 'post', ver: '0.8.0' } };
    const direct = await request(`${relay.url}/put`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ soul, data }),
    });
    expect(direct.statusCode).toBe(200);
    await direct.body.dump();

    const forged = JSON.stringify({
      soul,
      data: { data: { basic: { name: 'forged' } }, oip: { recordType: 'post', ver: '0.8.0' } },
    });
    const writes: Array<[string, string]> = [
      ['POST', '/gun-relay/put'],
      ['PUT', '/gun-relay/put'],
      ['POST', '/gun-relay/media/manifest'],
      ['POST', '/gun-relay/media/presence'],
      ['DELETE', '/gun-relay/get'],
      ['PATCH', '/gun-relay/list'],
    ];
    for (const [method, path] of writes) {
      for (const headers of [{}, { authorization: `Bearer ${token}` }]) {
        const res = await request(`${url}${path}`, {
          method: method as 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: forged,
        });
        expect([method, path, res.statusCode]).toEqual([method, path, 405]);
        const body = (await res.body.json()) as { error: { code: string } };
        expect(body.error.code).toBe('API_ERR_RELAY_READ_ONLY');
      }
    }
    for (const path of [
      '/gun-relay/metrics',
      '/gun-relay/health',
      '/gun-relay/peers/status',
      '/gun-relay/media/presence',
      '/gun-relay/gun',
    ]) {
      const res = await request(`${url}${path}`);
      expect([path, res.statusCode]).toEqual([path, 404]);
      await res.body.dump();
    }

    const got = await request(`${url}/gun-relay/get?soul=${encodeURIComponent(soul)}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toMatch(/application\/json/);
    expect(await got.body.json()).toMatchObject({
      success: true,
      data: { data: { basic: { name: 'written on the relay' } }, oip: { recordType: 'post' } },
    });

    const missing = await request(`${url}/gun-relay/get`);
    expect(missing.statusCode).toBe(400);
    expect(await missing.body.json()).toEqual({ error: 'Soul parameter required' });
  });

  it('refuses raw writes when the relay itself takes any write (auth none on loopback, as `oip up` runs it): nothing reaches GUN', async () => {
    const relay = await startGunProxy({ authMode: 'none' });
    t.defer(() => relay.close());
    const { url } = await t.gateway({ relayUrl: relay.url, mediaUrl: `http://127.0.0.1:${await closedPort()}` });
    const victim = 'did:gun:a1b2c3d4e5f6:victim';
    for (const body of [
      { soul: 'oip:deleted:records:index', data: { [victim]: true } },
      { soul: 'a1b2c3d4e5f6:victim', data: { data: { basic: { name: 'forged' } } } },
    ]) {
      const res = await request(`${url}/gun-relay/put`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.statusCode).toBe(405);
      await res.body.dump();
      const direct = await request(`${relay.url}/get?soul=${encodeURIComponent(body.soul)}`);
      expect(direct.statusCode).toBe(404);
      await direct.body.dump();
    }
  });

  it('maps /gun-relay/<rest> to <relayUrl>/<rest> with the query string, and counts requests per upstream', async () => {
    const up = await t.upstream(echo);
    const { app, url } = await t.gateway({
      relayUrl: `${up.url}/base/`,
      mediaUrl: `http://127.0.0.1:${await closedPort()}`,
    });
    const res = await request(`${url}/gun-relay/get?soul=a%3Ab&x=1`);
    expect(await res.body.json()).toEqual({
      method: 'GET',
      url: '/base/get?soul=a%3Ab&x=1',
      host: `127.0.0.1:${up.port}`,
    });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('oip_api_gateway_requests_total{upstream="gun-relay"} 1');
  });
});

describe('gateway: /api/media/* to apps/media', () => {
  it("forwards the path as it is, but never POST /api/media/createRecord: the api's own route takes it", async () => {
    const up = await t.upstream(echo);
    const { url, dataDir } = await t.gateway({ mediaUrl: up.url, jwtSecret: SECRET });
    const get = await request(`${url}/api/media/${'ab'.repeat(32)}?download=1`, { headers: { range: 'bytes=0-9' } });
    expect(await get.body.json()).toMatchObject({ method: 'GET', url: `/api/media/${'ab'.repeat(32)}?download=1` });
    expect(up.seen[0]?.headers.range).toBe('bytes=0-9');
    const head = await request(`${url}/api/media/${'ab'.repeat(32)}`, { method: 'HEAD' });
    expect(head.statusCode).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(await head.body.text()).toBe('');
    expect(up.seen[1]?.method).toBe('HEAD');

    // The publishing route answers (root context: JSON parser and schema, 1 MiB limit).
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${signToken({ userId: 'u', email: 'u@example.org', publicKey: 'pk-u' }, SECRET)}`,
    };
    const accounts = createSqliteAccountStore({ path: path.join(dataDir, 'accounts.sqlite') });
    await seedAccounts(accounts, [headers.authorization]);
    await accounts.close();
    const create = await request(`${url}/api/media/createRecord`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ a: 1 }),
    });
    expect(create.statusCode).toBe(400);
    expect(await create.body.json()).toMatchObject({ error: { code: 'API_VALIDATION' } });
    // The rest of the api keeps its own 1 MiB limit, not the gateway's.
    const big = await request(`${url}/api/media/createRecord`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ a: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(await big.body.json()).toMatchObject({ error: { code: 'API_BODY_TOO_LARGE' } });
    expect(up.seen).toHaveLength(2);
  });

  it('keeps /api/media/createRecord from the media service for every method (401 without a token, 404 for GET)', async () => {
    const up = await t.upstream(echo);
    const { url } = await t.gateway({ mediaUrl: up.url });
    const post = await request(`${url}/api/media/createRecord`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(post.statusCode).toBe(401);
    await post.body.dump();
    const get = await request(`${url}/api/media/createRecord`);
    expect(get.statusCode).toBe(404);
    expect(await get.body.json()).toMatchObject({ error: { code: 'API_ROUTE_NOT_FOUND' } });
    expect(up.seen).toHaveLength(0);
  });
});

describe('gateway: tokens bound for apps/media', () => {
  it("checks a bearer token's account before forwarding: a gone account's token is refused here, anonymous and live ones pass", async () => {
    const up = await t.upstream(echo);
    const { url, dataDir } = await t.gateway({ mediaUrl: up.url, jwtSecret: SECRET, accountCacheTtlMs: 0 });
    const live = `Bearer ${signToken({ userId: 'u-live', email: 'live@example.org', publicKey: 'pk-live' }, SECRET)}`;
    const gone = `Bearer ${signToken({ userId: 'u-gone', email: 'gone@example.org', publicKey: 'pk-gone' }, SECRET)}`;
    const accounts = createSqliteAccountStore({ path: path.join(dataDir, 'accounts.sqlite') });
    await seedAccounts(accounts, [live, gone]);
    await accounts.delete('u-gone');
    await accounts.close();
    const file = `/api/media/${'cd'.repeat(32)}`;
    const refused = await request(`${url}${file}`, { headers: { authorization: gone } });
    expect([refused.statusCode, await refused.body.json()]).toEqual([
      403,
      { error: { code: 'API_ERR_TOKEN_INVALID', message: 'Invalid or expired token' }, requestId: expect.any(String) },
    ]);
    const upload = await request(`${url}/api/media/upload`, {
      method: 'POST',
      headers: { authorization: gone, 'content-type': 'application/octet-stream' },
      body: 'bytes',
    });
    expect(upload.statusCode).toBe(403);
    await upload.body.dump();
    expect(up.seen).toHaveLength(0);
    for (const headers of [{}, { authorization: live }]) {
      const ok = await request(`${url}${file}`, { headers });
      expect(ok.statusCode).toBe(200);
      await ok.body.dump();
    }
    expect(up.seen.map((s) => s.headers.authorization)).toEqual([undefined, live]);
  });
});

describe('gateway: only the configured upstreams', () => {
  it('ignores an absolute-form target and a foreign Host header: the configured upstream gets the request, the named host nothing', async () => {
    const up = await t.upstream(echo);
    const evil = await t.upstream(echo);
    const { port, url } = await t.gateway({ relayUrl: up.url, mediaUrl: up.url });
    const status = await rawRequest(
      port,
      `GET http://127.0.0.1:${evil.port}/gun-relay/get?soul=x HTTP/1.1\r\nHost: 127.0.0.1:${evil.port}\r\nConnection: close\r\n\r\n`,
    );
    expect(status).toBe('HTTP/1.1 200 OK');
    expect(up.seen.map((s) => [s.url, s.headers.host])).toEqual([['/get?soul=x', `127.0.0.1:${up.port}`]]);
    const res = await request(`${url}/api/media/x`, { headers: { host: `127.0.0.1:${evil.port}` } });
    expect(await res.body.json()).toEqual({ method: 'GET', url: '/api/media/x', host: `127.0.0.1:${up.port}` });
    expect(up.seen.at(-1)?.headers['x-forwarded-host']).toBe(`127.0.0.1:${evil.port}`);
    // Not a public relay read: never forwarded. Under the media prefix the path is refused.
    const relayTraversal = await request(`${url}/gun-relay/..%2F..%2Fetc%2Fpasswd`);
    expect(relayTraversal.statusCode).toBe(404);
    await relayTraversal.body.dump();
    const traversal = await request(`${url}/api/media/..%2F..%2Fetc%2Fpasswd`);
    expect(traversal.statusCode).toBe(400);
    await traversal.body.dump();
    expect(evil.seen).toHaveLength(0);
    expect(up.seen.map((s) => s.url).filter((u) => u.includes('passwd'))).toEqual([]);
  });

  it('drops hop-by-hop headers both ways and passes Expect: 100-continue uploads', async () => {
    const up = await t.upstream(async (req, res) => {
      const body = await readAll(req);
      json(
        res,
        200,
        { bytes: body.length },
        {
          connection: 'x-upstream-private',
          'x-upstream-private': 'secret',
          'keep-alive': 'timeout=99',
          'x-kept': 'yes',
        },
      );
    });
    const { port } = await t.gateway({ relayUrl: up.url, mediaUrl: up.url });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/media/upload',
        headers: {
          expect: '100-continue',
          'content-type': 'application/octet-stream',
          'content-length': 5,
          connection: 'keep-alive, x-client-private',
          'x-client-private': 'secret',
          te: 'gzip',
        },
      });
      req.on('continue', () => req.end('hello'));
      req.on('response', resolve);
      req.on('error', reject);
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse((await readAll(res)).toString())).toEqual({ bytes: 5 });
    expect(res.headers['x-kept']).toBe('yes');
    expect(res.headers['x-upstream-private']).toBeUndefined();
    expect(res.headers['keep-alive']).not.toBe('timeout=99');
    const seen = up.seen[0]!.headers;
    expect(seen['x-client-private']).toBeUndefined();
    expect(seen.expect).toBeUndefined();
    expect(seen.te).toBeUndefined();
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
  });
});

describe('gateway: upstream failures in the house error shape', () => {
  it('upstream down (connection refused) → 502 API_ERR_UPSTREAM_UNAVAILABLE, counted per upstream', async () => {
    const { app, url } = await t.gateway({
      relayUrl: `http://127.0.0.1:${await closedPort()}`,
      mediaUrl: `http://127.0.0.1:${await closedPort()}`,
    });
    for (const path of ['/gun-relay/get?soul=x', '/api/media/abc']) {
      const res = await request(`${url}${path}`);
      expect(res.statusCode).toBe(502);
      const body = (await res.body.json()) as { error: { code: string; message: string }; requestId: string };
      expect(body.error.code).toBe('API_ERR_UPSTREAM_UNAVAILABLE');
      expect(body.error.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
      expect(typeof body.requestId).toBe('string');
    }
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('oip_api_gateway_upstream_errors_total{upstream="gun-relay",kind="unavailable"} 1');
    expect(metrics).toContain('oip_api_gateway_upstream_errors_total{upstream="media",kind="unavailable"} 1');
  });

  it('upstream resets the connection → 502', async () => {
    const up = await t.upstream((req) => req.socket.destroy());
    const { url } = await t.gateway({ relayUrl: up.url, mediaUrl: up.url });
    const res = await request(`${url}/gun-relay/get?soul=x`);
    expect(res.statusCode).toBe(502);
    expect(await res.body.json()).toMatchObject({ error: { code: 'API_ERR_UPSTREAM_UNAVAILABLE' } });
  });

  it('an upstream answer cut short → 502 with the house body (none of the upstream headers left on it)', async () => {
    const up = await t.upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 1000, 'x-from-upstream': '1' });
      res.write('only ten b');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const { url } = await t.gateway({ relayUrl: up.url, mediaUrl: up.url });
    const res = await request(`${url}/api/media/short`);
    expect(res.statusCode).toBe(502);
    expect(res.headers['x-from-upstream']).toBeUndefined();
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(await res.body.json()).toMatchObject({ error: { code: 'API_ERR_UPSTREAM_UNAVAILABLE' } });
  });

  it('hung upstream → 504 API_ERR_UPSTREAM_TIMEOUT within the configured timeout, for a GET and for a POST with a body', async () => {
    const up = await t.upstream(() => {
      /* never answers */
    });
    const { app, url } = await t.gateway({ relayUrl: up.url, mediaUrl: up.url, gatewayTimeoutMs: 300 });
    for (const opts of [
      { method: 'GET' as const },
      { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: '{"soul":"x","data":{}}' },
    ]) {
      const started = performance.now();
      const res = await request(`${url}/api/media/upload`, opts);
      const ms = performance.now() - started;
      expect(res.statusCode).toBe(504);
      expect(await res.body.json()).toMatchObject({ error: { code: 'API_ERR_UPSTREAM_TIMEOUT' } });
      expect(ms).toBeGreaterThanOrEqual(280);
      expect(ms).toBeLessThan(1500);
    }
    expect((await app.inject({ url: '/metrics' })).body).toContain(
      'oip_api_gateway_upstream_errors_total{upstream="media",kind="timeout"} 2',
    );
    // The timed-out upstream requests were cut, not left open.
    await until(() => up.closedEarly === 2, { what: 'both upstream requests closed', timeoutMs: 2000, intervalMs: 10 });
  });
});
