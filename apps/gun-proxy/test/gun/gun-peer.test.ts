import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GunPeer } from '../../src/gun/gun-peer.js';
import type { GunNodeWithMeta } from '../../src/gun/graph-store.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startPeer(peers: string[] = []): Promise<{ peer: GunPeer; url: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gunpeer-'));
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const peer = new GunPeer({ dataDir: dir, peers });
  peer.attach(server);
  cleanups.push(async () => {
    await peer.close();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });
  return { peer, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/gun` };
}

function node(peer: GunPeer, soul: string, values: Record<string, string | number>): Record<string, GunNodeWithMeta> {
  const s = peer.state();
  const n: GunNodeWithMeta = { _: { '#': soul, '>': {} } };
  for (const [k, v] of Object.entries(values)) {
    n[k] = v;
    n._['>'][k] = s;
  }
  return { [soul]: n };
}

describe('GunPeer', () => {
  it("resolves conflicts in SQL like GUN's HAM: newer state wins, equal state → larger value", async () => {
    const { peer } = await startPeer();
    const at = (state: number, v: string): Record<string, GunNodeWithMeta> => ({
      'h:1': { _: { '#': 'h:1', '>': { k: state } }, k: v },
    });
    await peer.put(at(100, 'new'), 2000);
    await peer.put(at(50, 'old'), 2000);
    expect(peer.store.readNode('h:1')?.k).toBe('new');
    await peer.put(at(100, 'a'), 2000);
    expect(peer.store.readNode('h:1')?.k).toBe('new');
    await peer.put(at(100, 'z'), 2000);
    expect(peer.store.readNode('h:1')?.k).toBe('z');
  });

  it('stores a put in SQLite and evicts it from the in-memory graph', async () => {
    const { peer } = await startPeer();
    await peer.put(node(peer, 'a:1', { x: 'hello', y: 2 }), 2000);
    expect(peer.store.readNode('a:1')).toMatchObject({ x: 'hello', y: 2 });
    expect(peer.graphSize()).toBe(0);
  });

  it('replicates a put to a peer over websocket', async () => {
    const a = await startPeer();
    const b = await startPeer([a.url]);
    const t0 = Date.now();
    while (a.peer.inboundPeers() === 0 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 20));
    await a.peer.put(node(a.peer, 'rep:1', { v: 'one' }), 2000);
    let got;
    while (!(got = b.peer.store.readNode('rep:1')) && Date.now() - t0 < 5000)
      await new Promise((r) => setTimeout(r, 20));
    expect(got).toMatchObject({ v: 'one' });
    // B received it through GUN's own put pipeline (HAM, dedup, ack) and evicted it after commit.
    await new Promise((r) => setTimeout(r, 20));
    expect(b.peer.graphSize()).toBe(0);
    expect(b.peer.storage.stats.evicted).toBeGreaterThan(0);
    // and B can ask A for a soul it never stored
    await a.peer.put(node(a.peer, 'only:a', { z: 'zz' }), 2000);
    await new Promise((r) => setTimeout(r, 200));
    const asked = await b.peer.askPeers('only:a', { waitMs: 2000 });
    expect(asked).toMatchObject({ z: 'zz' });
    const miss = await b.peer.askPeers('nobody:has', { waitMs: 1000 });
    expect(miss).toBeNull();
  });
});
