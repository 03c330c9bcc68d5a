// A media service with replication on, over a real gun-proxy, whose announced peers misbehave
// (404, 500, a reset mid-body, a short body, other bytes): every GET is answered (404 while no
// peer has it, the file once an honest peer is reached), nothing escapes as an uncaught error,
// the service keeps answering, and /metrics counts each peer's failure by cause.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GunClient, announceMedia } from '@oip/gun-client';
import { startGunProxy, type StartedGunProxy } from '@oip/gun-proxy/testing';
import { startFaultPeer, uncaughtDuring, type FaultPeer, type PeerFault } from './fault-peer.js';
import { patternBytes, putPublicManifest, sha256, useMedia } from './helpers.js';

const media = useMedia();
let relay: StartedGunProxy;
let gun: GunClient;
const peers: FaultPeer[] = [];
beforeAll(async () => {
  relay = await startGunProxy();
  gun = new GunClient({ baseUrl: relay.url, negativeCache: false });
});
afterAll(async () => {
  for (const p of peers.splice(0)) await p.close();
  await gun.close();
  await relay.close();
});

async function publicMedia(bytes: Buffer, faults: PeerFault[]): Promise<{ mediaId: string; peers: FaultPeer[] }> {
  const mediaId = await putPublicManifest(gun, bytes);
  const started: FaultPeer[] = [];
  for (const fault of faults) {
    const p = await startFaultPeer(fault, bytes);
    peers.push(p);
    started.push(p);
    await announceMedia(gun, { mediaId, peerId: `${fault}-${p.url.split(':').at(-1)}`, endpoints: { http: p.url } });
    // Peers are tried most recently seen first.
    await new Promise((r) => setTimeout(r, 5));
  }
  return { mediaId, peers: started };
}

function metric(text: string, result: string): number {
  const m = new RegExp(`^oip_media_peer_fetch_total\\{result="${result}"\\} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

describe('replication with misbehaving peers', () => {
  it('answers 404 while only failing peers have the media, then the file from an honest one; the service lives and counts', async () => {
    const lost = await publicMedia(patternBytes(200_000, 1), ['status404', 'status500', 'reset']);
    const found = await publicMedia(patternBytes(150_000, 2), ['good', 'short', 'wrong-hash', 'status404']);
    const allowlist = [...lost.peers, ...found.peers].map((p) => p.origin);
    const b = await media({
      relayUrl: relay.url,
      peerAllowlist: allowlist,
      peerId: 'bbbbbbbbbbbbbbbb',
      peerFetchTimeoutMs: 2000,
    });

    const uncaught = await uncaughtDuring(async () => {
      const miss = await fetch(`${b.url}/api/media/${lost.mediaId}`);
      expect([miss.status, await miss.json()]).toEqual([404, { error: 'Media not found' }]);
      const hit = await fetch(`${b.url}/api/media/${found.mediaId}`);
      expect(hit.status).toBe(200);
      expect(sha256(Buffer.from(await hit.arrayBuffer()))).toBe(found.mediaId);
    });
    expect(uncaught).toEqual([]);
    expect([...lost.peers, ...found.peers].map((p) => [p.fault, p.hits])).toEqual(
      [...lost.peers, ...found.peers].map((p) => [p.fault, 1]),
    );

    const health = await fetch(`${b.url}/health`);
    expect(health.status).toBe(200);
    await health.arrayBuffer();
    const text = await (await fetch(`${b.url}/metrics`)).text();
    expect(['stored', 'status', 'connection', 'hash_mismatch', 'timeout'].map((r) => [r, metric(text, r)])).toEqual([
      ['stored', 1],
      ['status', 3],
      ['connection', 2],
      ['hash_mismatch', 1],
      ['timeout', 0],
    ]);
    expect(b.app.replicator?.stats()).toMatchObject({ fetched: 1, hashMismatch: 1, peerFailed: 5, inFlight: 0 });
  }, 30_000);
});
