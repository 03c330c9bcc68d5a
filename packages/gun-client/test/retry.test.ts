import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GunClient } from '../src/index.js';
import { clientFor, failure } from './helpers.js';

let relay: FakeRelay;
let client: GunClient;
beforeEach(async () => {
  relay = await startFakeRelay();
  relay.store.put('s:1', { hello: 'world' });
});
afterEach(async () => {
  await client?.close();
  await relay.close();
});


describe('retries only for transient failures', () => {
  it('retries a 500 and succeeds on the 200 that follows', async () => {
    client = clientFor(relay.url);
    relay.addFault({ path: '/get', status: 500 });
    expect(await client.getSoul('s:1')).toEqual({ hello: 'world' });
    expect(relay.countByPath('/get')).toBe(2);
    expect(client.stats().retries).toBe(1);
  });

  it('gives up after the configured attempts on a relay that keeps answering 503', async () => {
    client = clientFor(relay.url, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    relay.addFault({ path: '/get', status: 503, times: Infinity });
    const err = await failure(client.getSoul('s:1'));
    expect(err.code).toBe('GUN_ERR_UPSTREAM');
    expect(err.transient).toBe(true);
    expect(err.meta).toMatchObject({ statusCode: 503, attempts: 3 });
    expect(relay.countByPath('/get')).toBe(3);
  });

  it('does not retry a 400: one request, a typed final error with the relay message', async () => {
    client = clientFor(relay.url);
    relay.addFault({ path: '/put', status: 400, body: { error: 'Invalid JSON' } });
    const err = await failure(client.putSoul('s:2', { a: 1 }));
    expect(err.code).toBe('GUN_ERR_REJECTED');
    expect(err.transient).toBe(false);
    expect(err.message).toContain('Invalid JSON');
    expect(relay.countByPath('/put')).toBe(1);
  });

  it('honours Retry-After on 429 and refuses to wait longer than allowed', async () => {
    client = clientFor(relay.url, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1000 } });
    relay.addFault({ path: '/get', status: 429, retryAfter: '0' });
    expect(await client.getSoul('s:1')).toEqual({ hello: 'world' });
    expect(relay.countByPath('/get')).toBe(2);

    relay.resetCounts();
    relay.addFault({ path: '/get', status: 429, retryAfter: '120' });
    const err = await failure(client.getSoul('s:1'));
    expect(err.code).toBe('GUN_ERR_UPSTREAM');
    expect(err.meta.retryAfterMs).toBe(120_000);
    expect(relay.countByPath('/get')).toBe(1);
  });

  it('retries a reset connection', async () => {
    client = clientFor(relay.url);
    relay.addFault({ path: '/get', reset: true });
    expect(await client.getSoul('s:1')).toEqual({ hello: 'world' });
    expect(client.stats().retries).toBe(1);
  });

  it('fails with GUN_ERR_CONNECTION when nothing listens', async () => {
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as AddressInfo;
    await new Promise<void>((r) => srv.close(() => r()));
    client = clientFor(`http://127.0.0.1:${port}`);
    const err = await failure(client.getSoul('s:1'));
    expect(err.code).toBe('GUN_ERR_CONNECTION');
    expect(err.meta.attempts).toBe(3);
    expect(err.cause).toBeDefined();
  });
});
