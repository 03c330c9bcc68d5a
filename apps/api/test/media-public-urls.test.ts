// Upload answers carry public URLs: through the api's gateway, with a real apps/media behind it on
// its own (internal) port, an upload's httpUrl, the info manifest's httpUrl and web-setup's webUrl
// are on the api's base: the request's host, or API_PUBLIC_URL when set. The file answers there.
import { FormData, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from './jwt.js';
import { startMediaBehindApi, type MediaBehindApi } from './media-behind-api.js';

const SECRET = 'media-public-urls-secret-0123456789';
const alice = `Bearer ${signToken({ userId: 'u-alice', email: 'alice@example.org', publicKey: 'pk-alice' }, SECRET)}`;
const PUBLIC = 'https://node.example.org';

let plain: MediaBehindApi;
let proxied: MediaBehindApi;

beforeAll(async () => {
  plain = await startMediaBehindApi('api-media-urls-', SECRET, [alice]);
  proxied = await startMediaBehindApi('api-media-urls-pub-', SECRET, [alice], { publicUrl: `${PUBLIC}/` });
}, 60_000);
afterAll(async () => {
  await plain?.close();
  await proxied?.close();
});

async function upload(apiUrl: string, bytes: Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.append('access_level', 'public');
  form.append('file', new Blob([bytes], { type: 'image/png' }), 'pic.png');
  const res = await request(`${apiUrl}/api/media/upload`, {
    method: 'POST',
    body: form,
    headers: { authorization: alice },
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

async function getJson(
  url: string,
): Promise<{ status: number; length: string | string[] | undefined; body: Record<string, unknown> }> {
  const res = await request(url, { headers: { authorization: alice } });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    length: res.headers['content-length'],
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

describe('media URLs in the api answers', () => {
  it("are on the api's own base (the request's host), and the file answers there", async () => {
    const mediaPort = (plain.media.server.address() as { port: number }).port;
    const up = await upload(plain.apiUrl, Buffer.from('a small png, public'));
    expect(up.status).toBe(200);
    const id = up.body['mediaId'] as string;
    expect(up.body['httpUrl']).toBe(`${plain.apiUrl}/api/media/${id}`);
    expect(String(up.body['httpUrl'])).not.toContain(`:${mediaPort}/`);

    const info = await getJson(`${plain.apiUrl}/api/media/${id}/info`);
    expect(info.status).toBe(200);
    expect(info.body['httpUrl']).toBe(`${plain.apiUrl}/api/media/${id}`);
    // The length sent is the rewritten body's.
    expect(Number(info.length)).toBe(Buffer.byteLength(JSON.stringify(info.body)));

    const file = await request(String(up.body['httpUrl']));
    expect(file.statusCode).toBe(200);
    expect(Buffer.from(await file.body.arrayBuffer()).toString()).toBe('a small png, public');

    const setup = await request(`${plain.apiUrl}/api/media/web-setup`, {
      method: 'POST',
      headers: { authorization: alice, 'content-type': 'application/json' },
      body: JSON.stringify({ mediaId: id, filename: 'pic.png' }),
    });
    const answer = (await setup.body.json()) as { webUrl: string };
    expect(setup.statusCode).toBe(200);
    expect(answer.webUrl).toBe(`${plain.apiUrl}/media/oip-arweave-indexer/pic.png`);

    // Media itself still answers with its own base (only the api's answers change).
    const direct = await getJson(`http://127.0.0.1:${mediaPort}/api/media/${id}/info`);
    expect(direct.body['httpUrl']).toBe(`http://127.0.0.1:${mediaPort}/api/media/${id}`);
  });

  it('are on API_PUBLIC_URL when it is set', async () => {
    const up = await upload(proxied.apiUrl, Buffer.from('another png, public'));
    expect(up.status).toBe(200);
    const id = up.body['mediaId'] as string;
    expect(up.body['httpUrl']).toBe(`${PUBLIC}/api/media/${id}`);
    const info = await getJson(`${proxied.apiUrl}/api/media/${id}/info`);
    expect(info.body['httpUrl']).toBe(`${PUBLIC}/api/media/${id}`);
  });
});
