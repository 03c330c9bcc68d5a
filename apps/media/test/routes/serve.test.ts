import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { patternBytes, putMedia, useMedia } from '../helpers.js';

const start = useMedia();
const SIZE = 1000;
const bytes = patternBytes(SIZE);

async function get(url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') {
  const res = await request(url, { method, headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers as Record<string, string>, body };
}

describe('GET /api/media/:mediaId', () => {
  it('serves the whole file with the legacy headers', async () => {
    const m = await start();
    const id = await putMedia(m.dir, bytes);
    const res = await get(`${m.url}/api/media/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.equals(bytes)).toBe(true);
    expect(res.headers['etag']).toBe(`"${id}"`);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['content-length']).toBe(String(SIZE));
    expect(Number.isNaN(Date.parse(res.headers['last-modified'] ?? ''))).toBe(false);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers the range matrix: single ranges 206, unsatisfiable 416, malformed and multiple the full body', async () => {
    const m = await start();
    const id = await putMedia(m.dir, bytes);
    const url = `${m.url}/api/media/${id}`;
    const partial: Array<[string, number, number]> = [
      ['bytes=0-0', 0, 0], // first byte
      ['bytes=999-999', 999, 999], // last byte
      ['bytes=-1', 999, 999], // suffix: last byte
      ['bytes=-100', 900, 999], // suffix
      ['bytes=-5000', 0, 999], // suffix longer than the file: all of it
      ['bytes=990-', 990, 999], // open-ended
      ['bytes=10-5000', 10, 999], // last past the end: clamped
      ['BYTES=3-4', 3, 4], // the unit is case-insensitive
    ];
    for (const [range, first, last] of partial) {
      const res = await get(url, { range });
      expect(res.status, range).toBe(206);
      expect(res.headers['content-range'], range).toBe(`bytes ${first}-${last}/${SIZE}`);
      expect(res.headers['content-length'], range).toBe(String(last - first + 1));
      expect(res.body.equals(bytes.subarray(first, last + 1)), range).toBe(true);
    }
    for (const range of ['bytes=1000-', 'bytes=5000-6000', 'bytes=-0']) {
      const res = await get(url, { range });
      expect(res.status, range).toBe(416);
      expect(res.headers['content-range'], range).toBe(`bytes */${SIZE}`);
      expect(res.headers['x-error-code'], range).toBe('MEDIA_ERR_RANGE_NOT_SATISFIABLE');
    }
    const full = [
      'bytes=abc',
      'bytes=',
      'bytes=5-2',
      'bytes=1x-2',
      'bytes=0-1,5-6',
      'bytes=0-1,2-3',
      'bytes=0-10, 20-30',
      'items=0-5',
      'bytes = 0-5',
    ];
    for (const range of full) {
      const res = await get(url, { range });
      expect(res.status, range).toBe(200);
      expect(res.headers['content-range'], range).toBeUndefined();
      expect(res.body.equals(bytes), range).toBe(true);
    }
  });

  it('HEAD answers the headers of GET without a body, ranges included', async () => {
    const m = await start();
    const id = await putMedia(m.dir, bytes);
    const head = await get(`${m.url}/api/media/${id}`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(SIZE));
    expect(head.headers['etag']).toBe(`"${id}"`);
    expect(head.headers['content-type']).toBe('video/mp4');
    expect(head.body.length).toBe(0);
    const ranged = await get(`${m.url}/api/media/${id}`, { range: 'bytes=-10' }, 'HEAD');
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-range']).toBe(`bytes 990-999/${SIZE}`);
    expect(ranged.headers['content-length']).toBe('10');
  });

  it('If-None-Match with our ETag → 304; conditional headers follow RFC 9110', async () => {
    const m = await start();
    const id = await putMedia(m.dir, bytes);
    const url = `${m.url}/api/media/${id}`;
    for (const inm of [`"${id}"`, `W/"${id}"`, `"other", "${id}"`, '*']) {
      const res = await get(url, { 'if-none-match': inm });
      expect(res.status, inm).toBe(304);
      expect(res.body.length).toBe(0);
      expect(res.headers['etag']).toBe(`"${id}"`);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    // Another tag: the body, even with an If-Modified-Since that alone would say 304.
    const other = await get(url, {
      'if-none-match': '"other"',
      'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString(),
    });
    expect(other.status).toBe(200);
    expect(other.body.equals(bytes)).toBe(true);
    // If-Modified-Since alone is send's (Last-Modified).
    const ims = await get(url, { 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() });
    expect(ims.status).toBe(304);
    // If-Match: ours passes, another tag is 412.
    expect((await get(url, { 'if-match': `"${id}"` })).status).toBe(200);
    const failed = await get(url, { 'if-match': '"other"' });
    expect(failed.status).toBe(412);
    expect(failed.headers['x-error-code']).toBe('MEDIA_ERR_PRECONDITION_FAILED');
    // If-Range: our tag keeps the range, another means the full body.
    const fresh = await get(url, { range: 'bytes=0-9', 'if-range': `"${id}"` });
    expect(fresh.status).toBe(206);
    expect(fresh.body.equals(bytes.subarray(0, 10))).toBe(true);
    const stale = await get(url, { range: 'bytes=0-9', 'if-range': '"other"' });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(SIZE);
  });

  it('404 with the legacy body for media that is not here; 400 for an id that is not 64 lowercase hex', async () => {
    const m = await start();
    const missing = await get(`${m.url}/api/media/${'a'.repeat(64)}`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toEqual({ error: 'Media not found' });
    expect(missing.headers['x-error-code']).toBe('MEDIA_ERR_NOT_FOUND');
    for (const bad of ['A'.repeat(64), 'a'.repeat(63), 'g'.repeat(64), 'upload']) {
      const res = await get(`${m.url}/api/media/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.headers['x-error-code'], bad).toBe('MEDIA_ERR_INVALID_MEDIA_ID');
    }
  });

  it('a file without a manifest, or a manifest naming another id, is not served', async () => {
    const m = await start();
    const id = await putMedia(m.dir, bytes);
    const { rm, writeFile } = await import('node:fs/promises');
    await writeFile(`${m.dir}/${id}/manifest.json`, JSON.stringify({ mediaId: 'b'.repeat(64), accessLevel: 'public' }));
    expect((await get(`${m.url}/api/media/${id}`)).status).toBe(404);
    await rm(`${m.dir}/${id}/manifest.json`);
    expect((await get(`${m.url}/api/media/${id}`)).status).toBe(404);
  });

  it('serves an empty file (200, length 0) and refuses any range of it with 416', async () => {
    const m = await start();
    const id = await putMedia(m.dir, Buffer.alloc(0));
    const res = await get(`${m.url}/api/media/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('0');
    const ranged = await get(`${m.url}/api/media/${id}`, { range: 'bytes=0-' });
    expect(ranged.status).toBe(416);
    expect(ranged.headers['content-range']).toBe('bytes */0');
  });

  it('/health and /metrics answer with the media figures', async () => {
    const m = await start();
    const health = await get(`${m.url}/health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString())).toMatchObject({ status: 'OK', mediaDir: 'ok', activeStreams: 0 });
    const id = await putMedia(m.dir, bytes);
    await get(`${m.url}/api/media/${id}`);
    // The stream closes (and its descriptor with it) just after the last byte is written.
    await until(() => m.app.mediaMetrics.activeStreams === 0, { what: 'the file stream to close', timeoutMs: 10_000 });
    const text = (await get(`${m.url}/metrics`)).body.toString();
    expect(text).toMatch(/oip_media_open_fds \d+/);
    expect(text).toContain('oip_media_active_streams 0');
    expect(text).toContain(`oip_media_bytes_served_total ${SIZE}`);
    expect(text).toContain('oip_media_http_requests_total{route="/api/media/:mediaId",method="GET",status="200"} 1');
  });
});
