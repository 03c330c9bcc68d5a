import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { GunClient } from '../src/index.js';
import { failure, useFakeRelay } from './helpers.js';

const fx = useFakeRelay((relay) => relay.store.put('s:1', { hello: 'world' }));
let client: GunClient;

describe('retries only for transient failures', () => {
  it('retries a 500 and succeeds on the 200 that follows', async () => {
    client = fx.client();
    fx.relay.addFault({ path: '/get', status: 500 });
    expect(await client.getSoul('s:1')).toEqual({ hello: 'world' });
    expect(fx.relay.countByPath('/get')).toBe(2);
    expect(client.stats().retries).toBe(1);
  });

  it('gives up after the configured attempts on a relay that keeps answering 503', async () => {
    client = fx.client({ retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    fx.relay.addFault({ path: '/get', status: 503, times: Infinity });
    const err = await failure(client.getSoul('s:1'));
    expect(err.code).toBe('GUN_ERR_UPSTREAM');
    expect(err.transient).toBe(true);
    expect(err.meta).toMatchObject({ statusCode: 503, attempts: 3 });
    expect(fx.relay.countByPath('/get')).toBe(3);
  });

  it('does not retry a 400: one request, a typed final error with the relay message', async () => {
    client = fx.client();
    fx.relay.addFault({ path: '/put', status: 400, body: { error: 'Invalid JSON' } });
    const err = await failure(client.putSoul('s:2', { a: 1 }));
    expect(err.code).toBe('GUN_ERR_REJECTED');
    expect(err.transient).toBe(false);
    expect(err.message).toContain('Invalid JSON');
    expect(fx.relay.countByPath('/put')).toBe(1);
  });

  it('honours Retry-After on 429 and refuses to wait longer than allowed', async () => {
    client = fx.client({ retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1000 } });
    fx.relay.addFault({ path: '/get', status: 429, retryAfter: '0' });
    expect(await client.getSoul('s:1')).toEqual({ hello: 'world' });
    expect(fx.relay.countByPath('/get')).toBe(2);

    fx.relay.resetCounts();
    fx.relay.addFault({ path: '/get', status: 429, retryAfter: '120' });
    const err = await failure(client.getSoul('s:1'));
    expect(err.code).toBe('GUN_ERR_UPSTREAM');
    expect(err.meta.retryAfterMs).toBe(120_000);
    expect(fx.relay.countByPath('/get')).toBe(1);
  });

  it('retries a reset connection', async () => {
    client = fx.client();
    fx.relay.addFault({ path: '/get', reset: true });
    expect(await client.getSoul('s:1')).toEqual({ hello: 'world' });
    expect(client.stats().retries).toBe(1);
  });

  it('fails with GUN_ERR_CONNECTION when nothing listens', async () => {
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as AddressInfo;
    await new Promise<void>((r) => srv.close(() => r()));
    client = fx.client({ baseUrl: `http://127.0.0.1:${port}` });
    const err = await failure(client.getSoul('s:1'));
    expect(err.code).toBe('GUN_ERR_CONNECTION');
    expect(err.meta.attempts).toBe(3);
    expect(err.cause).toBeDefined();
  });
});
