// GunPeer.put rejects with coded errors (the route maps them by code), on a real peer and store.
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GunPeer } from '../../src/gun/gun-peer.js';
import type { GunNodeWithMeta } from '../../src/gun/graph-store.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startPeer(): Promise<GunPeer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gunpeer-err-'));
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const peer = new GunPeer({ dataDir: dir, peers: [] });
  peer.attach(server);
  cleanups.push(async () => {
    await peer.close();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });
  return peer;
}

const graph = (peer: GunPeer, soul: string): Record<string, GunNodeWithMeta> => ({
  [soul]: { _: { '#': soul, '>': { k: peer.state() } }, k: 'v' },
});

async function rejection(
  p: Promise<unknown>,
): Promise<{ code?: string; statusCode?: number; message: string; cause?: unknown }> {
  try {
    await p;
  } catch (err) {
    return err as { code?: string; statusCode?: number; message: string; cause?: unknown };
  }
  throw new Error('expected the put to reject');
}

describe('GunPeer.put errors', () => {
  it('times out with GUNPROXY_PUT_TIMEOUT (504) when storage has not acknowledged in time', async () => {
    const peer = await startPeer();
    // The store flushes after 2 ms; a 0 ms budget expires first.
    const err = await rejection(peer.put(graph(peer, 't:1'), 0));
    expect(err).toMatchObject({ code: 'GUNPROXY_PUT_TIMEOUT', statusCode: 504 });
  });

  it('rejects with GUNPROXY_PUT_FAILED (500) when the store refuses the write, its error kept as cause', async () => {
    const peer = await startPeer();
    await peer.put(graph(peer, 'ok:1'), 2000);
    peer.store.close();
    const err = await rejection(peer.put(graph(peer, 'f:1'), 2000));
    expect(err).toMatchObject({ code: 'GUNPROXY_PUT_FAILED', statusCode: 500 });
    expect(err.message).not.toMatch(/database/i);
    expect(String((err.cause as Error).message)).toMatch(/database connection is not open/);
  });

  it('rejects with GUNPROXY_SHUTTING_DOWN (503) once closed', async () => {
    const peer = await startPeer();
    await peer.close();
    const err = await rejection(peer.put(graph(peer, 'c:1'), 2000));
    expect(err).toMatchObject({ code: 'GUNPROXY_SHUTTING_DOWN', statusCode: 503 });
  });
});
