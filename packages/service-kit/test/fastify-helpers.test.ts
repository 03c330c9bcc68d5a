import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { clientGone, httpMetrics, openCors, sweepSocketsOnClose } from '../src/fastify.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
const make = (): FastifyInstance => {
  const app = Fastify({ logger: false });
  apps.push(app);
  return app;
};

describe('httpMetrics', () => {
  it('counts requests by route pattern, method and status', async () => {
    const app = make();
    const registry = new Registry();
    await app.register(httpMetrics, { registry, prefix: 'svc_' });
    app.get('/items/:id', async () => ({ ok: true }));
    await app.inject('/items/1');
    await app.inject('/items/2');
    await app.inject('/missing');
    const text = await registry.metrics();
    expect(text).toContain('svc_http_requests_total{route="/items/:id",method="GET",status="200"} 2');
    expect(text).toContain('svc_http_requests_total{route="unmatched",method="GET",status="404"} 1');
    expect(text).toMatch(/svc_http_request_duration_seconds_count\{route="\/items\/:id"\} 2/);
  });
});

describe('openCors', () => {
  it('answers pre-flight and sets the allow-origin header', async () => {
    const app = make();
    app.register(openCors, { allowedHeaders: ['Content-Type', 'Authorization', 'X-OIP-Signature'] });
    app.register(async (r) => {
      r.get('/x', async () => ({ ok: true }));
    });
    const pre = await app.inject({
      method: 'OPTIONS',
      url: '/x',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(pre.headers['access-control-allow-headers']).toBe('Content-Type, Authorization, X-OIP-Signature');
    expect(
      (await app.inject({ url: '/x', headers: { origin: 'https://app.example' } })).headers[
        'access-control-allow-origin'
      ],
    ).toBe('*');
  });
});

describe('openCors with the legacy pre-flight', () => {
  it('answers any OPTIONS with optionsSuccessStatus when strictPreflight is off; strict refuses a bare one', async () => {
    const legacy = make();
    legacy.register(openCors, { optionsSuccessStatus: 200, strictPreflight: false });
    const bare = await legacy.inject({ method: 'OPTIONS', url: '/anything' });
    expect(bare.statusCode).toBe(200);
    expect(bare.headers['access-control-allow-origin']).toBe('*');
    const pre = await legacy.inject({
      method: 'OPTIONS',
      url: '/x',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.statusCode).toBe(200);
    const strict = make();
    strict.register(openCors);
    expect((await strict.inject({ method: 'OPTIONS', url: '/anything' })).statusCode).toBe(400);
  });
});

describe('sweepSocketsOnClose and clientGone', () => {
  it('closes with a keep-alive socket open and aborts work for a client that went away', async () => {
    const app = make();
    sweepSocketsOnClose(app, 500);
    let aborted = false;
    let entered = false;
    app.get('/wait', async (_req, reply) => {
      entered = true;
      const gone = clientGone(reply);
      await new Promise<void>((resolve) => {
        gone.signal.addEventListener('abort', () => {
          aborted = true;
          resolve();
        });
        setTimeout(resolve, 3000).unref();
      });
      gone.done();
      return { aborted };
    });
    app.get('/fast', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    try {
      const res = await request(`${base}/fast`, { dispatcher: agent });
      await res.body.text();
      const ac = new AbortController();
      const waiting = request(`${base}/wait`, { dispatcher: agent, signal: ac.signal }).catch(() => undefined);
      for (let i = 0; i < 100 && !entered; i++) await new Promise((r) => setTimeout(r, 10));
      expect(entered).toBe(true);
      ac.abort();
      await waiting;
      for (let i = 0; i < 100 && !aborted; i++) await new Promise((r) => setTimeout(r, 10));
      const t0 = Date.now();
      await app.close();
      apps.splice(apps.indexOf(app), 1);
      expect(Date.now() - t0).toBeLessThan(2500);
      expect(aborted).toBe(true);
    } finally {
      await agent.close();
    }
  });
});
