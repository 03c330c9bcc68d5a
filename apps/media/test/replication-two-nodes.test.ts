// Two media services with their own directories over one real gun-proxy: public media uploaded on
// A is announced in GUN; a GET on B that lacks it fetches it from A (hash-verified), stores it and
// serves it, range honoured. A peer serving tampered bytes is rejected and nothing is stored; a
// presence entry naming a host off B's allowlist is never contacted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { GunClient, announceMedia, readMediaPeers } from '@oip/gun-client';
import { startGunProxy, type StartedGunProxy } from '@oip/gun-proxy/testing';
import {
  bearer,
  listTree,
  multipart,
  patternBytes,
  putPublicManifest,
  sha256,
  useMedia,
  type TestMedia,
} from './helpers.js';

const media = useMedia();
let relay: StartedGunProxy;
let gun: GunClient;
beforeAll(async () => {
  relay = await startGunProxy();
  // No negative cache: the test polls for announcements that arrive after a first miss.
  gun = new GunClient({ baseUrl: relay.url, negativeCache: false });
});
afterAll(async () => {
  await gun.close();
  await relay.close();
});

async function upload(a: TestMedia, bytes: Buffer): Promise<string> {
  const boundary = 'oip-two-nodes';
  const res = await fetch(`${a.url}/api/media/upload`, {
    method: 'POST',
    headers: { authorization: bearer('pk-owner'), 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: multipart(boundary, { access_level: 'public' }, { name: 'clip.mp4', type: 'video/mp4', bytes }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { mediaId: string }).mediaId;
}

async function rogue(
  host: string,
  body: Buffer,
): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('media replication between two nodes', () => {
  it('serves on B what was uploaded on A: fetched from A, hash-verified, stored, range honoured', async () => {
    const a = await media({ relayUrl: relay.url, relayPublish: true, peerId: 'aaaaaaaaaaaaaaaa' });
    const bytes = patternBytes(300_000);
    const mediaId = await upload(a, bytes);
    expect(mediaId).toBe(sha256(bytes));
    // A's announcement goes through the relay and GUN's write path: on a loaded box that has taken
    // over 10 s. 30 s bounds it, and the test's own timeout leaves room for the rest.
    await until(async () => (await readMediaPeers(gun, mediaId)).length > 0, {
      what: 'A announced in GUN',
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const b = await media({ relayUrl: relay.url, peerAllowlist: [a.url], peerId: 'bbbbbbbbbbbbbbbb' });
    const res = await fetch(`${b.url}/api/media/${mediaId}`, { headers: { range: 'bytes=100-199' } });
    expect([res.status, res.headers.get('content-range')]).toEqual([206, `bytes 100-199/${bytes.length}`]);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes.subarray(100, 200));
    expect(await listTree(b.dir)).toEqual(expect.arrayContaining([`${mediaId}/original`, `${mediaId}/manifest.json`]));
    const info = await fetch(`${b.url}/api/media/${mediaId}/info`);
    expect(await info.json()).toMatchObject({
      mediaId,
      mimeType: 'video/mp4',
      accessLevel: 'public',
      userPublicKey: 'pk-owner',
    });
    // Served from B's disk now: A is not asked again.
    await a.app.close();
    const again = await fetch(`${b.url}/api/media/${mediaId}`);
    expect(Buffer.from(await again.arrayBuffer())).toEqual(bytes);
  }, 60_000);

  it('rejects a peer serving tampered bytes and never contacts a host off the allowlist', async () => {
    const bytes = patternBytes(50_000, 3);
    const mediaId = await putPublicManifest(gun, bytes);
    const tamper = await rogue('127.0.0.1', Buffer.concat([Buffer.from('X'), bytes.subarray(1)]));
    const offList = await rogue('127.0.0.2', bytes);
    try {
      await announceMedia(gun, { mediaId, peerId: 'tamperer', endpoints: { http: tamper.url } });
      await announceMedia(gun, { mediaId, peerId: 'elsewhere', endpoints: { http: offList.url } });
      const b = await media({ relayUrl: relay.url, peerAllowlist: [tamper.url], peerId: 'bbbbbbbbbbbbbbbb' });
      const res = await fetch(`${b.url}/api/media/${mediaId}`);
      expect(res.status).toBe(404);
      await res.arrayBuffer();
      expect(tamper.hits()).toBe(1);
      expect(offList.hits()).toBe(0);
      expect((await listTree(b.dir)).filter((p) => p.includes(mediaId) || p.startsWith('.tmp/'))).toEqual([]);
    } finally {
      await tamper.close();
      await offList.close();
    }
  }, 30_000);
});
