import { describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import type { GunClient } from '../src/index.js';
import { failure, settledMemory, useFakeRelay } from './helpers.js';

const fx = useFakeRelay((relay) => relay.store.put('s:1', { hello: 'world' }));
let client: GunClient;

describe('timeouts free their sockets', () => {
  it('a relay that never answers gives GUN_ERR_TIMEOUT and the socket is closed', async () => {
    client = fx.client({
      requestTimeoutMs: 150,
      keepAliveTimeoutMs: 200,
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    fx.relay.addFault({ path: '/get', hang: true, times: 2 });
    const started = Date.now();
    const err = await failure(client.getSoul('s:1'));
    expect(err.code).toBe('GUN_ERR_TIMEOUT');
    expect(err.meta.attempts).toBe(2);
    expect(Date.now() - started).toBeLessThan(2000);
    // The hung requests' sockets are destroyed by the client (undici may open a fresh idle one in
    // their place, which the keep-alive timeout then closes): nothing stays open for the relay.
    expect(client.stats().openSockets).toBeLessThanOrEqual(2);
    await until(() => fx.relay.openConnections() === 0, {
      what: 'no open connections left',
      timeoutMs: 5000,
      intervalMs: 10,
    });
    expect(client.stats().openSockets).toBe(0);
    // And the client still works.
    expect(await client.getSoul('s:1')).toEqual({ hello: 'world' });
  });

  it('a caller abort settles that caller only; the shared request serves the others', async () => {
    client = fx.client();
    fx.relay.addFault({ path: '/get', delayMs: 100 });
    const ac = new AbortController();
    const a = client.getSoul('s:1', { signal: ac.signal });
    const b = client.getSoul('s:1');
    ac.abort();
    expect((await failure(a)).code).toBe('GUN_ERR_ABORTED');
    expect(await b).toEqual({ hello: 'world' });
    expect(fx.relay.countByPath('/get')).toBe(1);
  });
});

describe('bad bodies are typed errors and leave nothing behind', () => {
  it('garbage JSON → GUN_ERR_BAD_RESPONSE, not retried', async () => {
    client = fx.client();
    fx.relay.addFault({ path: '/get', garbage: true });
    const err = await failure(client.getSoul('s:1'));
    expect(err.code).toBe('GUN_ERR_BAD_RESPONSE');
    expect(fx.relay.countByPath('/get')).toBe(1);
  });

  it('a 50 MB body → GUN_ERR_TOO_LARGE and memory returns to baseline', async () => {
    client = fx.client({ maxResponseBytes: 10 * 1024 * 1024, keepAliveTimeoutMs: 200 });
    const before = settledMemory();
    for (let i = 0; i < 3; i++) {
      fx.relay.addFault({ path: '/get', bytes: 50 * 1024 * 1024 });
      const err = await failure(client.getSoul('s:1'));
      expect(err.code).toBe('GUN_ERR_TOO_LARGE');
    }
    // The cut responses' sockets are destroyed; idle replacements close on keep-alive timeout.
    await until(() => fx.relay.openConnections() === 0, {
      what: 'no open connections left',
      timeoutMs: 5000,
      intervalMs: 10,
    });
    const grown = settledMemory() - before;
    expect(grown).toBeLessThan(8 * 1024 * 1024);
    expect(await client.getSoul('s:1')).toEqual({ hello: 'world' });
  });

  it('a body over the limit without content-length is cut while streaming', async () => {
    client = fx.client({ maxResponseBytes: 64 * 1024 });
    fx.relay.addFault({ path: '/get', bytes: 1024 * 1024 });
    expect((await failure(client.getSoul('s:1'))).code).toBe('GUN_ERR_TOO_LARGE');
  });
});
