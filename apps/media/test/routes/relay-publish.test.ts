// After an upload of public media: its manifest in GUN (media:<id>, id at media.id) and our
// presence with our public endpoint, through a real gun-proxy in token mode. Private media is
// never published; a relay that is down never fails the upload.
import { randomBytes } from 'node:crypto';
import { FormData, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { GunClient, readMediaPeers } from '@oip/gun-client';
import { startGunProxy, type StartedGunProxy } from '@oip/gun-proxy/testing';
import { bearer, sha256, useMedia } from '../helpers.js';

const start = useMedia();
const TOKEN = 'media-relay-test-token-0123456789';
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function relay(): Promise<{ proxy: StartedGunProxy; client: GunClient }> {
  const proxy = await startGunProxy({ authMode: 'token', authToken: TOKEN });
  closers.push(() => proxy.close());
  const client = new GunClient({ baseUrl: proxy.url, negativeCache: false });
  closers.push(() => client.close());
  return { proxy, client };
}

async function upload(url: string, bytes: Buffer, accessLevel: string) {
  const form = new FormData();
  form.append('access_level', accessLevel);
  form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'photo.jpg');
  const res = await request(`${url}/api/media/upload`, {
    method: 'POST',
    body: form,
    headers: { authorization: bearer('pk-alice') },
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

describe('publication to the relay', () => {
  it('public media: manifest and presence (our peer id and public endpoint) in GUN', async () => {
    const { proxy, client } = await relay();
    const m = await start({
      relayPublish: true,
      relayUrl: proxy.url,
      relayAuthToken: TOKEN,
      peerId: '0011223344556677',
      publicUrl: 'http://media-a.example:3006/',
    });
    const bytes = randomBytes(10_000);
    const id = sha256(bytes);
    const res = await upload(m.url, bytes, 'public');
    expect(res.status).toBe(200);
    expect(res.json['httpUrl']).toBe(`http://media-a.example:3006/api/media/${id}`);
    await m.app.announcer!.settled();
    const manifest = await client.getMediaManifest(id);
    expect(manifest).toMatchObject({
      mediaId: id,
      accessLevel: 'public',
      mimeType: 'image/jpeg',
      fileSize: 10_000,
      userPublicKey: 'pk-alice',
      originalName: 'photo.jpg',
    });
    const peers = await readMediaPeers(client, id);
    expect(peers).toEqual([
      expect.objectContaining({ peerId: '0011223344556677', endpoints: { http: 'http://media-a.example:3006' } }),
    ]);
    expect(await (await request(`${m.url}/metrics`)).body.text()).toContain(
      'oip_media_relay_publish_total{result="ok"} 1',
    );
  });

  it('private media is never published', async () => {
    const { proxy, client } = await relay();
    const m = await start({ relayPublish: true, relayUrl: proxy.url, relayAuthToken: TOKEN });
    const bytes = randomBytes(2000);
    expect((await upload(m.url, bytes, 'private')).status).toBe(200);
    await m.app.announcer!.settled();
    expect(await client.getMediaManifest(sha256(bytes))).toBeNull();
    expect(await readMediaPeers(client, sha256(bytes))).toEqual([]);
  });

  it('a relay that is down (or refuses our token) never fails the upload; the failure is counted', async () => {
    const { proxy } = await relay();
    const down = await start({
      relayPublish: true,
      relayUrl: 'http://127.0.0.1:9',
      relayAttempts: 2,
      relayTimeoutMs: 500,
    });
    const t0 = Date.now();
    expect((await upload(down.url, randomBytes(3000), 'public')).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(2000);
    const wrongToken = await start({
      relayPublish: true,
      relayUrl: proxy.url,
      relayAuthToken: 'not-the-relay-token-000',
    });
    expect((await upload(wrongToken.url, randomBytes(3000), 'public')).status).toBe(200);
    for (const m of [down, wrongToken]) {
      await until(
        async () =>
          (await (await request(`${m.url}/metrics`)).body.text()).includes(
            'oip_media_relay_publish_total{result="failed"} 1',
          ),
        { what: 'the failed publication to be counted', timeoutMs: 10_000 },
      );
    }
  });
});
