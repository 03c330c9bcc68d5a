import Fastify, { type FastifyInstance } from 'fastify';
import { connect, type AddressInfo } from 'node:net';
import { Client } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { clientErrorHandler } from '../src/fastify.js';

const apps: FastifyInstance[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const a of apps.splice(0)) await a.close();
});

async function serve(): Promise<string> {
  const app = Fastify({ logger: false, clientErrorHandler: clientErrorHandler('SVC') });
  apps.push(app);
  app.get('/ok', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** Writes `raw` on a fresh connection and collects everything until the server closes it. */
async function rawExchange(origin: string, raw: string): Promise<string> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(raw));
    let out = '';
    socket.on('data', (d) => (out += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
  });
}

describe('clientErrorHandler', () => {
  it('answers a request the HTTP parser refuses in the house shape, with its code and Connection: close', async () => {
    const origin = await serve();
    const answer = await rawExchange(origin, 'FOO /ok HTTP/1.1\r\nHost: x\r\n\r\n');
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toMatch(/\r\nConnection: close\r\n/i);
    expect(head).toMatch(/\r\nx-error-code: SVC_BAD_REQUEST/i);
    expect(JSON.parse(body!)).toEqual({ error: { code: 'SVC_BAD_REQUEST', message: 'The request is not valid HTTP' } });
  });

  it('answers headers past the limit 431 SVC_HEADERS_TOO_LARGE', async () => {
    const origin = await serve();
    const answer = await rawExchange(origin, `GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('"code":"SVC_HEADERS_TOO_LARGE"');
  });

  it('lets a keep-alive client send its next request after a refused one (no reset on a reused connection)', async () => {
    const origin = await serve();
    const client = new Client(origin, { pipelining: 1 });
    clients.push(client);
    const first = await client.request({ method: 'GET', path: '/ok' });
    await first.body.dump();
    const bad = await client.request({ method: 'FOO', path: '/ok' });
    expect(bad.statusCode).toBe(400);
    await bad.body.dump();
    const next = await client.request({ method: 'GET', path: '/ok' });
    expect(next.statusCode).toBe(200);
    await next.body.dump();
    expect(bad.headers['x-error-code']).toBe('SVC_BAD_REQUEST');
  });
});
