import { describe, expect, it } from 'vitest';
import { http, useProxies } from '../helpers.js';

const start = useProxies();
const MEDIA = 'ab'.repeat(32);

describe('media routes', () => {
  it('stores and returns a manifest (nested objects and arrays intact)', async () => {
    const p = await start();
    const manifest = {
      media: { id: MEDIA, mime: 'video/mp4', size: 1234 },
      name: 'clip.mp4',
      tags: ['a', 'b'],
      http: { url: 'http://x/y' },
    };
    const put = await http(p.url, 'POST', '/media/manifest', manifest);
    expect(put).toMatchObject({ status: 200, body: { success: true, mediaId: MEDIA, soul: `media:${MEDIA}` } });
    const get = await http(p.url, 'GET', `/media/manifest?mediaId=${MEDIA}`);
    expect(get).toMatchObject({ status: 200, body: manifest });
    // the older query name still works
    expect((await http(p.url, 'GET', `/media/manifest?id=${MEDIA}`)).status).toBe(200);
  });

  it('answers the legacy errors for manifests', async () => {
    const p = await start({ getMissWaitMs: 50 });
    expect(await http(p.url, 'POST', '/media/manifest', { name: 'x' })).toMatchObject({
      status: 400,
      body: { error: 'mediaId required in manifest' },
    });
    expect(await http(p.url, 'GET', '/media/manifest')).toMatchObject({
      status: 400,
      body: { error: 'mediaId parameter required' },
    });
    expect(await http(p.url, 'GET', `/media/manifest?mediaId=${'cd'.repeat(32)}`)).toMatchObject({
      status: 404,
      body: { error: 'Manifest not found' },
    });
  });

  it('records presence with lastSeen and timestamp', async () => {
    const p = await start();
    const before = Date.now();
    const res = await http(p.url, 'POST', '/media/presence', {
      mediaId: MEDIA,
      peerId: 'peer-1',
      protocols: { http: true },
      endpoints: { http: 'http://h' },
    });
    expect(res).toMatchObject({ status: 200, body: { success: true } });
    const get = await http(p.url, 'GET', `/get?soul=media:${MEDIA}:peers:peer-1`);
    const data = (get.body as { data: Record<string, unknown> }).data;
    expect(data).toMatchObject({ peerId: 'peer-1', protocols: { http: true }, endpoints: { http: 'http://h' } });
    expect(data.lastSeen).toBeGreaterThanOrEqual(before);
    expect(typeof data.timestamp).toBe('string');
    expect(await http(p.url, 'POST', '/media/presence', { mediaId: MEDIA })).toMatchObject({
      status: 400,
      body: { error: 'mediaId and peerId required' },
    });
  });
});
