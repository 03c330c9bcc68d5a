// The replicator against a real gun-proxy (manifests and presence through real GUN) and
// real peer HTTP servers: an honest peer's bytes are stored after their hash checks; a tampering
// peer is skipped and leaves nothing; a host off the allowlist is never contacted; concurrent
// requests share one fetch; oversized and private media are refused; a miss is quick; peers that
// answer 404 or 500, reset, cut the body short or stay silent are counted failures, nothing more.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GunClient, announceMedia } from '@oip/gun-client';
import { startGunProxy, type StartedGunProxy } from '@oip/gun-proxy/testing';
import { MediaReplicator } from '../src/services/replicator.js';
import { MediaPaths } from '../src/services/media-paths.js';
import { MediaStore } from '../src/services/media-store.js';
import type { PeerResult } from '../src/services/replicator.js';
import { startFaultPeer, uncaughtDuring, type PeerFault } from './fault-peer.js';

const bytes = Buffer.from('a small public photo, byte for byte '.repeat(2000));
const mediaId = createHash('sha256').update(bytes).digest('hex');

interface Peer {
  url: string;
  hits: number;
  close(): Promise<void>;
}

async function peer(body: (id: string) => Buffer | null, host = '127.0.0.1'): Promise<Peer> {
  const p = { hits: 0 } as Peer;
  const server = http.createServer((req, res) => {
    p.hits++;
    const id = /^\/api\/media\/([0-9a-f]{64})$/.exec(req.url ?? '')?.[1];
    const b = id ? body(id) : null;
    if (!b) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': b.length }).end(b);
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  p.url = `http://${host}:${(server.address() as AddressInfo).port}`;
  p.close = () => new Promise((r) => server.close(() => r()));
  return p;
}

let relay: StartedGunProxy;
let gun: GunClient;
let dir: string;
let store: MediaStore;
const cleanup: Array<() => Promise<unknown>> = [];
beforeEach(async () => {
  relay = await startGunProxy();
  gun = new GunClient({ baseUrl: relay.url });
  dir = await mkdtemp(path.join(os.tmpdir(), 'media-repl-'));
  store = new MediaStore(await MediaPaths.open(dir), { manifestCacheSize: 100 });
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await gun.close();
  await relay.close();
  await rm(dir, { recursive: true, force: true });
});

async function publish(accessLevel = 'public', id = mediaId): Promise<void> {
  await gun.putMediaManifest({
    media: { id },
    mediaId: id,
    originalName: 'photo.jpg',
    mimeType: 'image/jpeg',
    fileSize: bytes.length,
    accessLevel,
    userPublicKey: 'pk-owner',
  });
}
async function announce(peerId: string, p: Peer, id = mediaId): Promise<void> {
  await announceMedia(gun, { mediaId: id, peerId, endpoints: { http: p.url } });
}
function replicator(
  allowOrigins: string[],
  over: Partial<ConstructorParameters<typeof MediaReplicator>[0]> = {},
): MediaReplicator {
  const r = new MediaReplicator({
    relay: gun,
    store,
    publicBase: () => 'http://node-b.example',
    allowOrigins,
    selfPeerId: 'self-peer',
    maxBytes: 1024 * 1024,
    maxConcurrent: 8,
    timeoutMs: 2000,
    ...over,
  });
  cleanup.push(() => r.close());
  return r;
}
const leftovers = async () => readdir(store.paths.tmpDir);
const hostOf = (p: Peer) => new URL(p.url).host;
const originOf = (p: Peer) => p.url;

describe('MediaReplicator', () => {
  it("stores an honest peer's bytes with a manifest, after a tampering peer is skipped", async () => {
    const bad = await peer(() => Buffer.from(bytes).fill(0x41, 0, 10));
    const good = await peer((id) => (id === mediaId ? bytes : null));
    cleanup.push(bad.close, good.close);
    await publish();
    await announce('bad-peer', bad);
    await new Promise((r) => setTimeout(r, 5));
    await announce('good-peer', good);
    // Peers are tried most recently seen first: announcing the tampering one again puts it first.
    await new Promise((r) => setTimeout(r, 5));
    await announce('bad-peer', bad);
    const r = replicator([originOf(bad), originOf(good)]);
    expect(await r.fetch(mediaId)).toBe('stored');
    expect([bad.hits, good.hits]).toEqual([1, 1]);
    expect(await readFile(path.join(dir, mediaId, 'original'))).toEqual(bytes);
    expect((await store.views(mediaId))?.primary).toMatchObject({
      mediaId,
      mimeType: 'image/jpeg',
      fileSize: bytes.length,
      accessLevel: 'public',
      userPublicKey: 'pk-owner',
      httpUrl: `http://node-b.example/api/media/${mediaId}`,
    });
    expect(r.stats()).toMatchObject({ fetched: 1, hashMismatch: 1, inFlight: 0 });
    expect(await leftovers()).toEqual([]);
  });

  it('keeps nothing when every peer tampers', async () => {
    const bad = await peer(() => Buffer.from('not the photo'));
    cleanup.push(bad.close);
    await publish();
    await announce('bad-peer', bad);
    const r = replicator([originOf(bad)]);
    expect(await r.fetch(mediaId)).toBe('no-peer');
    await expect(readdir(path.join(dir, mediaId))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await leftovers()).toEqual([]);
  });

  it('never contacts a host off the allowlist, whatever the presence entry says', async () => {
    const elsewhere = await peer(() => bytes, '127.0.0.2');
    cleanup.push(elsewhere.close);
    await publish();
    await announce('forged', elsewhere);
    await announceMedia(gun, { mediaId, peerId: 'creds', endpoints: { http: `http://user:pw@${hostOf(elsewhere)}` } });
    await announceMedia(gun, { mediaId, peerId: 'file', endpoints: { http: 'file:///etc/passwd' } });
    // The same port on another host is another origin.
    const r = replicator([`http://127.0.0.1:${new URL(elsewhere.url).port}`]);
    expect(await r.fetch(mediaId)).toBe('no-peer');
    expect(elsewhere.hits).toBe(0);
    expect(r.stats().hostRefused).toBe(1);
  });

  it('shares one fetch between concurrent requests for the same media', async () => {
    const good = await peer(() => bytes);
    cleanup.push(good.close);
    await publish();
    await announce('good-peer', good);
    const r = replicator([originOf(good)]);
    const all = await Promise.all(Array.from({ length: 10 }, () => r.fetchMissing(mediaId)));
    expect(all).toEqual(Array(10).fill(true));
    expect(good.hits).toBe(1);
  });

  it('refuses a body past maxBytes, private media, our own presence, and a miss everywhere', async () => {
    const good = await peer(() => bytes);
    cleanup.push(good.close);
    await publish();
    await announce('good-peer', good);
    expect(await replicator([originOf(good)], { maxBytes: 1000 }).fetch(mediaId)).toBe('no-peer');
    expect(await leftovers()).toEqual([]);
    expect(await replicator([originOf(good)], { selfPeerId: 'good-peer' }).fetch(mediaId)).toBe('no-peer');
    const privateId = createHash('sha256').update('private').digest('hex');
    await publish('private', privateId);
    await announce('good-peer', good, privateId);
    const hitsBefore = good.hits;
    expect(await replicator([originOf(good)]).fetch(privateId)).toBe('not-public');
    expect(good.hits).toBe(hitsBefore);
    const t0 = Date.now();
    expect(await replicator([originOf(good)]).fetch('e'.repeat(64))).toBe('no-manifest');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await replicator([originOf(good)]).fetch('../../etc/passwd')).toBe('no-manifest');
  });

  it('skips a peer that stops sending, within its timeout', async () => {
    const silent = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': bytes.length });
      res.write(bytes.subarray(0, 100));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanup.push(async () => {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    });
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    await publish();
    await announceMedia(gun, { mediaId, peerId: 'silent', endpoints: { http: url } });
    const r = replicator([url], { timeoutMs: 300 });
    const t0 = Date.now();
    expect(await r.fetch(mediaId)).toBe('no-peer');
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await leftovers()).toEqual([]);
  });

  it('a peer answering 404, 500, a reset, a short body, wrong bytes or nothing is one counted failure; the next peer is tried', async () => {
    const faults: PeerFault[] = ['status404', 'status500', 'reset', 'short', 'wrong-hash', 'silent'];
    const good = await startFaultPeer('good', bytes);
    const bad = await Promise.all(faults.map((f) => startFaultPeer(f, bytes)));
    cleanup.push(good.close, ...bad.map((p) => p.close));
    await publish();
    // Most recently seen first: the good peer, announced first, is asked last.
    await announceMedia(gun, { mediaId, peerId: 'good-peer', endpoints: { http: good.url } });
    for (const p of bad) {
      await new Promise((r) => setTimeout(r, 5));
      await announceMedia(gun, { mediaId, peerId: `peer-${p.fault}`, endpoints: { http: p.url } });
    }
    const results: PeerResult[] = [];
    const r = replicator(
      [good, ...bad].map((p) => p.origin),
      { timeoutMs: 300, onPeerResult: (x) => results.push(x) },
    );
    let outcome: string | undefined;
    const uncaught = await uncaughtDuring(async () => {
      outcome = await r.fetch(mediaId);
    });
    expect(uncaught).toEqual([]);
    expect(outcome).toBe('stored');
    expect([good, ...bad].map((p) => [p.fault, p.hits])).toEqual([good, ...bad].map((p) => [p.fault, 1]));
    expect(results.at(-1)).toBe('stored');
    expect(results.slice(0, -1).sort()).toEqual([
      'connection',
      'connection',
      'hash_mismatch',
      'status',
      'status',
      'timeout',
    ]);
    expect(r.stats()).toMatchObject({
      fetched: 1,
      hashMismatch: 1,
      peerFailed: 5,
      failures: { status: 2, tooLarge: 0, timeout: 1, connection: 2 },
      inFlight: 0,
    });
    expect(await readFile(path.join(dir, mediaId, 'original'))).toEqual(bytes);
    expect(await leftovers()).toEqual([]);
  });

  it('only failing peers: the fetch answers no-peer and the replicator keeps working', async () => {
    const bad = await Promise.all((['status404', 'status500', 'reset'] as const).map((f) => startFaultPeer(f, bytes)));
    cleanup.push(...bad.map((p) => p.close));
    await publish();
    for (const p of bad) await announceMedia(gun, { mediaId, peerId: `peer-${p.fault}`, endpoints: { http: p.url } });
    const r = replicator(bad.map((p) => p.origin));
    const uncaught = await uncaughtDuring(async () => {
      expect(await r.fetch(mediaId)).toBe('no-peer');
      expect(await r.fetch(mediaId)).toBe('no-peer');
    });
    expect(uncaught).toEqual([]);
    expect(r.stats()).toMatchObject({ fetched: 0, peerFailed: 6, failures: { status: 4, connection: 2 } });
    expect(await leftovers()).toEqual([]);
  });

  it('allows origins exactly: another port, another scheme or another host of an allowed one is refused; the entry path is not followed', async () => {
    const good = await peer((id) => (id === mediaId ? bytes : null));
    cleanup.push(good.close);
    const port = Number(new URL(good.url).port);
    await publish();
    // The presence entry names a path on the allowed origin: we still ask only <origin>/api/media/<id>.
    await announceMedia(gun, {
      mediaId,
      peerId: 'good-peer',
      endpoints: { http: `${good.url}/admin/../some/prefix?x=1` },
    });
    for (const allow of [`http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const r = replicator([allow]);
      expect(await r.fetch(mediaId), allow).toBe('no-peer');
      expect(r.stats().hostRefused, allow).toBe(1);
    }
    expect(good.hits).toBe(0);
    expect(() => replicator(['127.0.0.1'])).toThrow(TypeError);
    const seen: string[] = [];
    const recorder = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
    });
    await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => recorder.close(r)));
    const recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    await announceMedia(gun, {
      mediaId,
      peerId: 'recorder',
      endpoints: { http: `${recorderUrl}/elsewhere/on/that/host` },
    });
    // Written with a trailing slash and upper case: the same origin.
    expect(await replicator([`HTTP://127.0.0.1:${new URL(recorderUrl).port}/`]).fetch(mediaId)).toBe('stored');
    expect(seen).toEqual([`/api/media/${mediaId}`]);
  });
});
