// Catch-up on connect: a gun-proxy that was down (or not peered) while its peer took writes gets
// the registry index keys, their linked entry nodes and the deletion index when the socket opens
// again, merged by HAM (older peer state never overwrites ours). Before it, B's copy of
// `oip:registry:index:<type>` kept only what was pushed to it while connected, for ever.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { DELETION_INDEX_SOUL, registryIndexSoul } from '@oip/records';
import type { StartedGunProxy } from '../../src/testing.js';
import { http, sampleRecord, useProxies } from '../helpers.js';

const start = useProxies();
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function dataDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'gun-proxy-catchup-'));
  dirs.push(d);
  return d;
}

const INDEX = registryIndexSoul('post');
const entry = (soul: string, timestamp: number) => ({ soul, nodeId: 'aaaa000011112222', timestamp });

/** Registers `souls` in A's post index the way the api does (nested entries become linked nodes). */
async function register(a: StartedGunProxy, souls: string[], timestamp: number): Promise<void> {
  for (let i = 0; i < souls.length; i += 400) {
    const data = Object.fromEntries(souls.slice(i, i + 400).map((s) => [s, entry(s, timestamp)]));
    expect((await http(a.url, 'POST', '/put', { soul: INDEX, data })).status).toBe(200);
  }
}

async function indexKeys(p: StartedGunProxy): Promise<string[]> {
  const res = await http(p.url, 'GET', `/get?soul=${INDEX}`);
  return res.status === 200 ? Object.keys((res.body as { data: Record<string, unknown> }).data).sort() : [];
}

describe('catch-up when a peer socket opens', () => {
  it('B, down while A took 1,200 registry entries, records and deletions, gets them all when it reconnects', async () => {
    const a = await start();
    const dir = await dataDir();
    let b = await start({ dataDir: dir, peers: [a.wsUrl] });
    await until(() => b.app.gunPeer.connectedPeers() > 0 && a.app.gunPeer.connectedPeers() > 0, {
      what: 'B peered with A',
      timeoutMs: 10_000,
    });
    // While connected: pushed to B as usual.
    const before = Array.from({ length: 10 }, (_, i) => `647f79c2a338:before-${i}`);
    await register(a, before, 1000);
    expect(
      (await http(a.url, 'POST', '/put', { soul: DELETION_INDEX_SOUL, data: { 'did:gun:647f79c2a338:gone-0': true } }))
        .status,
    ).toBe(200);
    await until(async () => (await indexKeys(b)).length === 10 && b.app.gunPeer.store.hasSoul(DELETION_INDEX_SOUL), {
      what: 'the first keys on B',
      timeoutMs: 10_000,
    });

    await b.close();
    // A takes writes while B is down: more than two pages of index keys, each with its entry node.
    const during = Array.from({ length: 1200 }, (_, i) => `647f79c2a338:during-${String(i).padStart(4, '0')}`);
    await register(a, during, 2000);
    for (const s of during.slice(0, 5))
      expect((await http(a.url, 'POST', '/put', { soul: s, data: sampleRecord(s) })).status).toBe(200);
    expect(
      (await http(a.url, 'POST', '/put', { soul: DELETION_INDEX_SOUL, data: { 'did:gun:647f79c2a338:gone-1': true } }))
        .status,
    ).toBe(200);

    const t0 = Date.now();
    b = await start({ dataDir: dir, peers: [a.wsUrl] });
    // B's own copy (its /get answers the local copy without asking) converges.
    const want = [...before, ...during].sort();
    await until(async () => (await indexKeys(b)).length === want.length, {
      what: "B's index lists A's new keys",
      timeoutMs: 30_000,
    });
    expect(await indexKeys(b)).toEqual(want);
    // Entry nodes are local (discovery reads them for versions), with A's timestamps.
    await until(() => during.every((s) => b.app.gunPeer.store.hasSoul(`${INDEX}/${s}`)), {
      what: 'B holds every entry node',
      timeoutMs: 30_000,
    });
    expect(b.app.gunPeer.store.readNode(`${INDEX}/${during[1199]!}`)).toMatchObject({
      soul: during[1199],
      timestamp: 2000,
    });
    const page = await http(
      b.url,
      'GET',
      `/get?soul=${encodeURIComponent(INDEX)}&limit=3&after=${encodeURIComponent(during[0]!)}`,
    );
    expect((page.body as { data: Record<string, unknown> }).data[during[1]!]).toMatchObject({
      soul: during[1],
      timestamp: 2000,
    });
    // The deletion index too.
    await until(() => b.app.gunPeer.store.readNode(DELETION_INDEX_SOUL, 'did:gun:647f79c2a338:gone-1'), {
      what: "B's deletion index has the new DID",
      timeoutMs: 30_000,
    });
    const deleted = await http(b.url, 'GET', `/get?soul=${DELETION_INDEX_SOUL}`);
    expect((deleted.body as { data: Record<string, unknown> }).data).toEqual({
      'did:gun:647f79c2a338:gone-0': true,
      'did:gun:647f79c2a338:gone-1': true,
    });
    console.log(`catch-up of 1,200 entries: converged in ${Date.now() - t0} ms`);
    // Counted, and the run ended.
    await until(() => b.app.catchUp!.active === 0 && b.app.catchUp!.stats.runs.complete > 0, {
      what: 'catch-up runs done',
      timeoutMs: 30_000,
    });
    const metrics = (await http(b.url, 'GET', '/metrics')).body as string;
    expect(metrics).toMatch(/oip_gunproxy_catchup_runs_total\{outcome="complete"\} [1-9]/);
    expect(metrics).toMatch(/oip_gunproxy_catchup_souls_total\{kind="entry",result="merged"\} 1200/);
    // Records themselves are not prefetched: /get of one B lacks still asks the peer.
    expect(b.app.gunPeer.store.hasSoul(during[0]!)).toBe(false);
    expect((await http(b.url, 'GET', `/get?soul=${during[0]!}`)).status).toBe(200);
  }, 90_000);

  it('never overwrites newer local state with older peer state, and the peer gets ours', async () => {
    const a = await start();
    const dir = await dataDir();
    const soul = '647f79c2a338:contested';
    // A writes first (older state), while B is not peered.
    await register(a, [soul, '647f79c2a338:only-a'], 1000);
    expect(
      (await http(a.url, 'POST', '/put', { soul: DELETION_INDEX_SOUL, data: { 'did:gun:x:1': 'from-a' } })).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    // Then B, alone, writes the same keys (newer state).
    let b = await start({ dataDir: dir });
    expect((await http(b.url, 'POST', '/put', { soul: INDEX, data: { [soul]: entry(soul, 9999) } })).status).toBe(200);
    expect(
      (await http(b.url, 'POST', '/put', { soul: DELETION_INDEX_SOUL, data: { 'did:gun:x:1': 'from-b' } })).status,
    ).toBe(200);
    await b.close();
    b = await start({ dataDir: dir, peers: [a.wsUrl] });
    await until(() => b.app.gunPeer.store.readNode(INDEX, '647f79c2a338:only-a'), {
      what: "B has A's other key",
      timeoutMs: 20_000,
    });
    await until(() => b.app.catchUp!.active === 0 && b.app.catchUp!.stats.runs.complete > 0, {
      what: "B's runs done",
      timeoutMs: 20_000,
    });
    // Ours stayed: the entry node and the deletion flag.
    expect(b.app.gunPeer.store.readNode(`${INDEX}/${soul}`)).toMatchObject({ timestamp: 9999 });
    expect(b.app.gunPeer.store.readNode(DELETION_INDEX_SOUL, 'did:gun:x:1')).toMatchObject({ 'did:gun:x:1': 'from-b' });
    // A caught up from B's inbound socket: the newer state won there too.
    await until(() => a.app.gunPeer.store.readNode(`${INDEX}/${soul}`)?.timestamp === 9999, {
      what: "A has B's newer entry",
      timeoutMs: 20_000,
    });
    await until(() => a.app.gunPeer.store.readNode(DELETION_INDEX_SOUL, 'did:gun:x:1')?.['did:gun:x:1'] === 'from-b', {
      what: "A has B's newer deletion flag",
      timeoutMs: 20_000,
    });
  }, 60_000);

  it('asks nothing of a read-only socket and writes nothing it sends', async () => {
    const token = 'write-token-0123456789';
    const b = await start({ authMode: 'token', authToken: token, wsAnonymousReads: true });
    // A dials B without a credential: B holds A's socket read-only.
    const a = await start({ peers: [b.wsUrl] });
    await register(a, ['647f79c2a338:anon-1'], 1000);
    await until(() => b.app.gunPeer.inboundPeers() > 0 && a.app.gunPeer.connectedPeers() > 0, {
      what: 'peered',
      timeoutMs: 10_000,
    });
    await until(() => a.app.catchUp!.stats.runs.complete + a.app.catchUp!.stats.runs.partial > 0, {
      what: "A's own run done",
      timeoutMs: 20_000,
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(b.app.catchUp!.stats.runs).toEqual({ complete: 0, partial: 0 });
    expect(b.app.gunPeer.store.hasSoul(INDEX)).toBe(false);
    expect(b.app.gunPeer.store.hasSoul(`${INDEX}/647f79c2a338:anon-1`)).toBe(false);
  }, 30_000);

  it('against a peer that never answers: the run ends within its bounds and leaves no listener behind', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/gun' });
    try {
      await new Promise((r) => wss.once('listening', r));
      const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/gun`;
      const dir = await dataDir();
      // Two index souls already stored, so the run asks three souls (with the deletion index).
      const alone = await start({ dataDir: dir });
      await register(alone, ['647f79c2a338:x'], 1);
      expect(
        (await http(alone.url, 'POST', '/put', { soul: registryIndexSoul('image'), data: { 'a:b': true } })).status,
      ).toBe(200);
      await alone.close();
      const b = await start({
        dataDir: dir,
        peers: [url],
        catchUpAskTimeoutMs: 300,
        catchUpConcurrency: 2,
        catchUpRecordTypes: ['video'],
      });
      expect(b.app.catchUp!.souls().map((s) => s.soul)).toEqual([
        registryIndexSoul('image'),
        INDEX,
        registryIndexSoul('video'),
        DELETION_INDEX_SOUL,
      ]);
      const t0 = Date.now();
      await until(() => b.app.catchUp!.stats.runs.partial === 1, {
        what: 'the run against the silent peer ended',
        timeoutMs: 10_000,
      });
      // Four souls, two at a time, 300 ms each.
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(b.app.catchUp!.stats.souls.get('index:timeout')).toBe(3);
      expect(b.app.catchUp!.stats.souls.get('deletions:timeout')).toBe(1);
      expect(b.app.gunPeer.pendingAsks()).toBe(0);
      expect(b.app.catchUp!.active).toBe(0);
    } finally {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(() => r(undefined)));
    }
  }, 30_000);
});
