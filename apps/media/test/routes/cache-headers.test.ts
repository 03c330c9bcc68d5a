// Private media is the caller's own: `Cache-Control: private, no-store` and `Vary: Authorization`
// on every answer (200, HEAD, 206, 304, 412, 416 and /info), so no shared cache keeps it or hands
// it to someone else. Public media stays cacheable by anyone for a year, immutable, on the same
// paths.
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { bearer, patternBytes, putMedia, useMedia } from '../helpers.js';

const start = useMedia();

async function headersOf(url: string, headers: Record<string, string>, method: 'GET' | 'HEAD' = 'GET') {
  const res = await request(url, { method, headers });
  await res.body.dump();
  return { status: res.statusCode, cacheControl: res.headers['cache-control'], vary: res.headers['vary'] };
}

/** The conditional and partial requests, with the status each must get. */
const CASES: Array<{ name: string; headers: Record<string, string>; method?: 'HEAD'; status: number }> = [
  { name: 'GET', headers: {}, status: 200 },
  { name: 'HEAD', headers: {}, method: 'HEAD', status: 200 },
  { name: 'range', headers: { range: 'bytes=10-19' }, status: 206 },
  { name: 'not modified', headers: { 'if-none-match': '"ETAG"' }, status: 304 },
  { name: 'precondition', headers: { 'if-match': '"another"' }, status: 412 },
  { name: 'unsatisfiable range', headers: { range: 'bytes=5000-' }, status: 416 },
];

describe('Cache-Control and Vary', () => {
  it('private media: private, no-store and Vary: Authorization on every path, /info included', async () => {
    const m = await start();
    const id = await putMedia(m.dir, patternBytes(1000), { accessLevel: 'private', userPublicKey: 'pk-alice' });
    const url = `${m.url}/api/media/${id}`;
    for (const c of CASES) {
      const headers = {
        authorization: bearer('pk-alice'),
        ...Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, v.replace('ETAG', id)])),
      };
      expect(await headersOf(url, headers, c.method), c.name).toEqual({
        status: c.status,
        cacheControl: 'private, no-store',
        vary: 'Authorization',
      });
    }
    expect(await headersOf(`${url}/info`, { authorization: bearer('pk-alice') })).toEqual({
      status: 200,
      cacheControl: 'private, no-store',
      vary: 'Authorization',
    });
  });

  it('public media: public, a year, immutable on 200, HEAD, 206 and 304, with no Vary', async () => {
    const m = await start();
    const id = await putMedia(m.dir, patternBytes(1000), { accessLevel: 'public' });
    const url = `${m.url}/api/media/${id}`;
    for (const c of CASES.filter((x) => x.status < 400)) {
      const headers = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, v.replace('ETAG', id)]));
      for (const who of [{}, { authorization: bearer('pk-anyone') }] as Array<Record<string, string>>) {
        expect(await headersOf(url, { ...who, ...headers }, c.method), c.name).toEqual({
          status: c.status,
          cacheControl: 'public, max-age=31536000, immutable',
          vary: undefined,
        });
      }
    }
  });
});
