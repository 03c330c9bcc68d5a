import { request } from 'undici';
import { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { http, sleep, useProxies } from '../helpers.js';

const start = useProxies();

/** A websocket peer that accepts GUN's connection and never answers (a stalled legacy peer). */
async function silentPeer(): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/gun' });
  await new Promise((r) => wss.once('listening', r));
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/gun`,
    close: () =>
      new Promise((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

const silent: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of silent.splice(0)) await s.close();
});

describe('GUN listeners of a /get are always removed', () => {
  it('on timeout, on success and when the client goes away', async () => {
    const stalled = await silentPeer();
    silent.push(stalled);
    // Catch-up off: its own asks of the silent peer would be counted here (test/gun/catch-up.test.ts checks theirs).
    const b = await start({ peers: [stalled.url], getMissWaitMs: 300, catchUp: false });
    await until(() => b.app.gunPeer.connectedPeers() > 0, { what: 'B connected to its peer' });
    const peer = b.app.gunPeer;
    const tagsBefore = peer.listenerTags();

    // timeout: the peer never answers, the configured wait ends the ask
    const miss = await http(b.url, 'GET', '/get?soul=abc:missing');
    expect(miss.status).toBe(404);
    expect(miss.ms).toBeGreaterThanOrEqual(280);
    expect(miss.ms).toBeLessThan(300 + 250);
    expect(peer.pendingAsks()).toBe(0);

    // success (local hit)
    await http(b.url, 'POST', '/put', { soul: 'abc:here', data: { v: 1 } });
    expect((await http(b.url, 'GET', '/get?soul=abc:here')).status).toBe(200);

    // client abort while B waits for the peer: the ask ends at once, not after the wait
    await b.close();
    const c = await start({ peers: [stalled.url], getMissWaitMs: 5000, catchUp: false });
    await until(() => c.app.gunPeer.connectedPeers() > 0, { what: 'C connected to its peer' });
    const ac = new AbortController();
    const pending = request(`${c.url}/get?soul=abc:nobody-has-this`, { signal: ac.signal }).catch((e: Error) => e);
    await until(() => c.app.gunPeer.pendingAsks() === 1, {
      what: 'one pending ask on C',
      timeoutMs: 2000,
      intervalMs: 5,
    });
    expect(c.app.gunPeer.pendingAsks()).toBe(1);
    const t0 = Date.now();
    ac.abort();
    expect(await pending).toBeInstanceOf(Error);
    await until(() => c.app.gunPeer.pendingAsks() === 0, {
      what: 'no pending ask left on C',
      timeoutMs: 2000,
      intervalMs: 5,
    });
    expect(c.app.gunPeer.pendingAsks()).toBe(0);
    expect(Date.now() - t0).toBeLessThan(1000);
    await sleep(20);
    expect(c.app.gunPeer.listenerTags()).toBeLessThanOrEqual(tagsBefore);
  });
});
