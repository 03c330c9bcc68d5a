// Media peer announce and listing against the fake relay in both modes: ours answers nested
// objects inline, the legacy one as links to child souls.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { mediaPeersIndexSoul } from '@oip/records';
import { GunClient } from '../src/client.js';
import { announceMedia, readMediaPeers } from '../src/media-peers.js';

const mediaId = 'c'.repeat(64);
const open: Array<{ relay: FakeRelay; client: GunClient }> = [];
afterEach(async () => {
  for (const { relay, client } of open.splice(0)) {
    await client.close();
    await relay.close();
  }
});

async function setup(mode: 'default' | 'legacy') {
  const relay = await startFakeRelay({ mode, missDelayMs: 0 });
  const client = new GunClient({ baseUrl: relay.url });
  open.push({ relay, client });
  return client;
}

describe.each(['default', 'legacy'] as const)('media peers on a %s relay', (mode) => {
  it('lists every announced peer with its endpoints, most recent first, bounded', async () => {
    const client = await setup(mode);
    await announceMedia(client, { mediaId, peerId: 'peer-a', endpoints: { http: 'http://127.0.0.1:4001' } });
    await new Promise((r) => setTimeout(r, 5));
    await announceMedia(client, { mediaId, peerId: 'peer-b', endpoints: { http: 'http://127.0.0.1:4002' } });
    const peers = await readMediaPeers(client, mediaId);
    expect(peers.map((p) => [p.peerId, p.endpoints['http']])).toEqual([
      ['peer-b', 'http://127.0.0.1:4002'],
      ['peer-a', 'http://127.0.0.1:4001'],
    ]);
    expect(peers.every((p) => typeof p.lastSeen === 'number')).toBe(true);
    expect((await readMediaPeers(client, mediaId, { max: 1 })).map((p) => p.peerId)).toEqual(['peer-b']);
  });

  it('answers no peers for unknown media, and skips index keys without a presence', async () => {
    const client = await setup(mode);
    expect(await readMediaPeers(client, 'd'.repeat(64))).toEqual([]);
    await client.putSoul(mediaPeersIndexSoul(mediaId), { ghost: Date.now() });
    expect(await readMediaPeers(client, mediaId)).toEqual([]);
  });
});
