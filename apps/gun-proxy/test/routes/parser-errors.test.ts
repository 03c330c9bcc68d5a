// Requests refused before any route runs are answered with GUNPROXY_ codes on gun-proxy's own
// port: the HTTP parser's refusals in the house body (issue 24), body-parser refusals in the body
// of the route (the legacy `{ error }` on the legacy relay routes, the house body elsewhere).
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { http, useProxies } from '../helpers.js';

const start = useProxies();

/** Writes `raw` on a fresh connection and collects everything until the server closes it. */
function rawExchange(url: string, raw: string): Promise<{ head: string; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(raw));
    let out = '';
    const timer = setTimeout(() => socket.destroy(new Error('no answer within 5 s')), 5000);
    socket.on('data', (d: Buffer) => (out += d.toString('latin1')));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const split = out.indexOf('\r\n\r\n');
      resolve({ head: out.slice(0, split), body: out.slice(split + 4) });
    });
  });
}

describe("gun-proxy's parser errors", () => {
  it('a request line the HTTP parser refuses: 400 GUNPROXY_BAD_REQUEST in the house body, Connection: close', async () => {
    const p = await start();
    const { head, body } = await rawExchange(p.url, 'FOO /get HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toMatch(/\r\nConnection: close\r\n/i);
    expect(head).toMatch(/\r\nx-error-code: GUNPROXY_BAD_REQUEST(\r\n|$)/i);
    expect(JSON.parse(body)).toEqual({
      error: { code: 'GUNPROXY_BAD_REQUEST', message: 'The request is not valid HTTP' },
    });
  });

  it('headers past the limit: 431 GUNPROXY_HEADERS_TOO_LARGE', async () => {
    const p = await start();
    const { head, body } = await rawExchange(
      p.url,
      `GET /get HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(body).error.code).toBe('GUNPROXY_HEADERS_TOO_LARGE');
  });

  it('malformed JSON and a body past the limit: the legacy body on /put, the house body on other paths', async () => {
    const p = await start({ bodyLimitBytes: 1024 });
    const legacy = await http(p.url, 'POST', '/put', '{"soul":');
    expect([legacy.status, legacy.headers['x-error-code'], legacy.body]).toEqual([
      400,
      'GUNPROXY_INVALID_JSON',
      { error: 'Invalid JSON' },
    ]);
    const json = await http(p.url, 'POST', '/nowhere', '{"soul":');
    expect([json.status, json.body]).toEqual([
      400,
      {
        error: { code: 'GUNPROXY_INVALID_JSON', message: 'Request body is not valid JSON' },
        requestId: expect.any(String),
      },
    ]);
    const big = await http(p.url, 'POST', '/nowhere', { pad: 'x'.repeat(2048) });
    expect([big.status, big.body]).toEqual([
      413,
      {
        error: { code: 'GUNPROXY_BODY_TOO_LARGE', message: 'Request body is larger than 1024 bytes' },
        requestId: expect.any(String),
      },
    ]);
    // Any content type is read as JSON, as on the legacy relay.
    const xml = await http(p.url, 'POST', '/nowhere', '<a/>', { 'content-type': 'text/xml' });
    expect([xml.status, (xml.body as { error: { code: string } }).error.code]).toEqual([400, 'GUNPROXY_INVALID_JSON']);
  });
});
