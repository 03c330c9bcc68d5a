import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { signToken } from '@oip/service-kit/testing';
import { SECRET, bearer, patternBytes, putMedia, useMedia } from '../helpers.js';

const start = useMedia();

async function get(url: string, authorization?: string) {
  const res = await request(url, { headers: authorization ? { authorization } : {} });
  const text = await res.body.text();
  return { status: res.statusCode, code: res.headers['x-error-code'], text };
}

/** What a caller can tell from an answer: status, body, error code and the caching headers. */
async function seen(url: string, authorization?: string, method: 'GET' | 'HEAD' = 'GET') {
  const res = await request(url, { method, headers: authorization ? { authorization } : {} });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    code: res.headers['x-error-code'],
    text,
    cacheControl: res.headers['cache-control'],
    vary: res.headers['vary'],
  };
}

describe('access levels', () => {
  it('private media: the owner reads file and info; anyone else gets exactly the answer for a missing id', async () => {
    const m = await start();
    const bytes = patternBytes(300);
    const id = await putMedia(m.dir, bytes, { accessLevel: 'private', userPublicKey: 'pk-alice' });
    const missing = 'c'.repeat(64);
    for (const suffix of ['', '/info']) {
      for (const method of suffix === '' ? (['GET', 'HEAD'] as const) : (['GET'] as const)) {
        for (const who of [undefined, bearer('pk-bob')]) {
          const stranger = await seen(`${m.url}/api/media/${id}${suffix}`, who, method);
          const absent = await seen(`${m.url}/api/media/${missing}${suffix}`, who, method);
          expect(stranger, `${method} ${suffix} ${who ? 'bob' : 'anonymous'}`).toEqual(absent);
          expect(stranger).toMatchObject({
            status: 404,
            code: 'MEDIA_ERR_NOT_FOUND',
            cacheControl: 'private, no-store',
            vary: 'Authorization',
          });
          if (method === 'GET') expect(JSON.parse(stranger.text)).toEqual({ error: 'Media not found' });
        }
      }
      expect((await get(`${m.url}/api/media/${id}${suffix}`, bearer('pk-alice'))).status, suffix).toBe(200);
    }
    expect((await get(`${m.url}/api/media/${id}`, bearer('pk-alice'))).text).toBe(bytes.toString());
    expect(JSON.parse((await get(`${m.url}/api/media/${id}/info`, bearer('pk-alice'))).text)).toMatchObject({
      mediaId: id,
      userPublicKey: 'pk-alice',
      accessLevel: 'private',
    });
  });

  it('a manifest without accessLevel is private, as legacy; the legacy publisherPubKey claim is the key too', async () => {
    const m = await start();
    const id = await putMedia(m.dir, patternBytes(10), { accessLevel: undefined, userPublicKey: 'pk-alice' });
    expect((await get(`${m.url}/api/media/${id}`)).status).toBe(404);
    expect((await get(`${m.url}/api/media/${id}/info`)).status).toBe(404);
    const legacy = `Bearer ${signToken({ userId: 'u', email: 'a@example.org', publisherPubKey: 'pk-alice' }, SECRET)}`;
    expect((await get(`${m.url}/api/media/${id}`, legacy)).status).toBe(200);
    expect((await get(`${m.url}/api/media/${id}/info`, legacy)).status).toBe(200);
  });

  it('a token without a public key never owns anything, even a manifest without userPublicKey', async () => {
    const m = await start();
    const id = await putMedia(m.dir, patternBytes(10), { accessLevel: 'private', userPublicKey: null });
    const keyless = `Bearer ${signToken({ userId: 'u', email: 'a@example.org' }, SECRET)}`;
    expect((await get(`${m.url}/api/media/${id}`, keyless)).status).toBe(404);
    expect((await get(`${m.url}/api/media/${id}/info`, keyless)).status).toBe(404);
  });

  it('public media for anyone; a bad token is refused with 403 even on public media (legacy optional auth)', async () => {
    const m = await start();
    const id = await putMedia(m.dir, patternBytes(10), { accessLevel: 'public' });
    expect((await get(`${m.url}/api/media/${id}`)).status).toBe(200);
    expect((await get(`${m.url}/api/media/${id}/info`)).status).toBe(200);
    const forged = `Bearer ${signToken({ userId: 'u', email: 'e', publicKey: 'pk-owner' }, 'another-secret-of-16-chars')}`;
    const res = await get(`${m.url}/api/media/${id}`, forged);
    expect(res.status).toBe(403);
    expect(res.code).toBe('MEDIA_ERR_TOKEN_INVALID');
    expect(JSON.parse(res.text)).toEqual({ error: 'Forbidden' });
    const none = `Bearer ${signToken({ userId: 'u', email: 'e', publicKey: 'pk-owner' }, SECRET, { alg: 'none', typ: 'JWT' })}`;
    expect((await get(`${m.url}/api/media/${id}`, none)).status).toBe(403);
  });

  it('info of media that is not here is 404 with the legacy body', async () => {
    const m = await start();
    const res = await get(`${m.url}/api/media/${'c'.repeat(64)}/info`);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toEqual({ error: 'Media not found' });
  });
});
