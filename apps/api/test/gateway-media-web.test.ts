// The legacy web media URLs through the api's public gateway, with a real apps/media behind it:
// POST /api/media/web-setup then GET/HEAD/Range of /media/<project>/<file> on the api's port, and
// paths written byte for byte that try to leave /media/ for media's other routes (its metrics,
// another user's private file): none reaches them.
import { FormData, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '@oip/test-kit';
import { signToken } from './jwt.js';
import { startMediaBehindApi, type MediaBehindApi } from './media-behind-api.js';

const SECRET = 'gateway-media-web-secret-0123456789';
const alice = `Bearer ${signToken({ userId: 'u-alice', email: 'alice@example.org', publicKey: 'pk-alice' }, SECRET)}`;

let nodes: MediaBehindApi;
let apiUrl: string;

beforeAll(async () => {
  nodes = await startMediaBehindApi('api-media-web-', SECRET, [alice]);
  apiUrl = nodes.apiUrl;
});
afterAll(async () => {
  await nodes?.close();
});

async function upload(bytes: Buffer, access: string): Promise<string> {
  const form = new FormData();
  form.append('access_level', access);
  form.append('file', new Blob([bytes], { type: 'image/png' }), 'pic.png');
  const res = await request(`${apiUrl}/api/media/upload`, {
    method: 'POST',
    body: form,
    headers: { authorization: alice },
  });
  const body = (await res.body.json()) as { mediaId: string };
  expect(res.statusCode).toBe(200);
  return body.mediaId;
}

describe('gateway: legacy web media URLs', () => {
  it('web-setup then GET, HEAD and a range of /media/<project>/<file> on the api port', async () => {
    const bytes = Buffer.alloc(70_000, 7);
    bytes.write('PNG', 1);
    const id = await upload(bytes, 'private');
    const setup = await request(`${apiUrl}/api/media/web-setup`, {
      method: 'POST',
      headers: { authorization: alice, 'content-type': 'application/json' },
      body: JSON.stringify({ mediaId: id, filename: 'pic.png' }),
    });
    const answer = (await setup.body.json()) as { success: boolean; webUrl: string };
    expect([setup.statusCode, answer.success]).toEqual([200, true]);
    expect(answer.webUrl.endsWith('/media/oip-arweave-indexer/pic.png')).toBe(true);

    const url = `${apiUrl}/media/oip-arweave-indexer/pic.png`;
    const whole = await request(url);
    expect([whole.statusCode, whole.headers['content-type']]).toEqual([200, 'image/png']);
    expect(Buffer.from(await whole.body.arrayBuffer()).equals(bytes)).toBe(true);
    const head = await request(url, { method: 'HEAD' });
    expect([head.statusCode, head.headers['content-length']]).toEqual([200, '70000']);
    await head.body.dump();
    const part = await request(url, { headers: { range: 'bytes=0-3' } });
    expect([part.statusCode, part.headers['content-range']]).toEqual([206, 'bytes 0-3/70000']);
    expect(Buffer.from(await part.body.arrayBuffer()).equals(bytes.subarray(0, 4))).toBe(true);
  });

  it('no path under /media/ reaches media’s other routes or another file', async () => {
    const secret = Buffer.from('alice private bytes, never public');
    const id = await upload(secret, 'private');
    // The api refuses dot segments and encoded separators itself (400); the rest reach media, which
    // has no such file or route (404).
    const GW = [400, 'API_VALIDATION'];
    const rows: Array<[string, (string | number)[]]> = [
      ['/media/../metrics', GW],
      ['/media/../../metrics', GW],
      ['/media/..%2f..%2fmetrics', GW],
      ['/media/%2e%2e/%2e%2e/metrics', GW],
      ['/media/%2e%2e%2f%2e%2e%2fmetrics', GW],
      ['/media/%252e%252e/%252e%252e/metrics', [404, 'MEDIA_ROUTE_NOT_FOUND']],
      [`/media/../api/media/${id}`, GW],
      [`/media/..%2fapi%2fmedia%2f${id}`, GW],
      [`/media/%2e%2e/api/media/${id}`, GW],
      ['/media/..\\..\\metrics', GW],
      ['/media/x/..%5c..%5cmetrics', GW],
      [`/media/${id}/original`, [404, 'MEDIA_ERR_NOT_FOUND']],
      [`/media/../${id}/original`, GW],
    ];
    for (const [target, expected] of rows) {
      const res = await rawRequest(nodes.apiPort, `GET ${target} HTTP/1.1`);
      expect([res.status, res.headers['x-error-code']], target).toEqual(expected);
      const text = `${Object.values(res.headers).join('\n')}\n${res.body.toString('latin1')}`;
      expect(text, target).not.toContain('oip_media_');
      expect(text, target).not.toContain('alice private bytes');
    }
  });
});
