import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { FormData, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { signToken } from '@oip/service-kit/testing';
import { SECRET, bearer, listTree, multipart, sha256, useMedia } from '../helpers.js';

const start = useMedia();

async function upload(url: string, form: FormData, authorization: string | null = bearer('pk-alice')) {
  const res = await request(`${url}/api/media/upload`, {
    method: 'POST',
    body: form,
    headers: authorization !== null ? { authorization } : {},
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    code: res.headers['x-error-code'],
    json: JSON.parse(text) as Record<string, unknown>,
  };
}

function formOf(
  bytes: Buffer,
  fields: Record<string, string> = {},
  name = 'clip.mp4',
  type = 'video/mp4',
  fieldsFirst = true,
): FormData {
  const form = new FormData();
  if (fieldsFirst) for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([bytes], { type }), name);
  if (!fieldsFirst) for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

/** Nothing but the (empty) temp dir: no temp file, no media directory, no manifest. */
async function expectEmpty(dir: string): Promise<void> {
  expect(await listTree(dir)).toEqual(['.tmp']);
}

describe('POST /api/media/upload', () => {
  it('round trip: the mediaId is the sha256, the legacy answer and manifest, then GET returns the bytes', async () => {
    const m = await start();
    const bytes = randomBytes(300_000);
    const id = sha256(bytes);
    // access_level after the file: every form field counts, wherever it is.
    const res = await upload(m.url, formOf(bytes, { access_level: 'public' }, 'clip.mp4', 'video/mp4', false));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      success: true,
      mediaId: id,
      httpUrl: `${m.url}/api/media/${id}`,
      size: bytes.length,
      mime: 'video/mp4',
      originalName: 'clip.mp4',
      access_level: 'public',
      owner: 'pk-alice',
      duplicate: false,
    });
    const manifest = JSON.parse(await readFile(path.join(m.dir, id, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({
      mediaId: id,
      originalName: 'clip.mp4',
      mimeType: 'video/mp4',
      fileSize: bytes.length,
      userPublicKey: 'pk-alice',
      accessLevel: 'public',
    });
    expect(Number.isNaN(Date.parse(String(manifest['createdAt'])))).toBe(false);
    expect((await readFile(path.join(m.dir, id, 'original'))).equals(bytes)).toBe(true);
    const got = await request(`${m.url}/api/media/${id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('video/mp4');
    expect(sha256(Buffer.from(await got.body.arrayBuffer()))).toBe(id);
    expect(await readdir(path.join(m.dir, '.tmp'))).toEqual([]);
  });

  it('private by default: only the uploader reads it; the manifest cache sees the new upload at once', async () => {
    const m = await start();
    const bytes = randomBytes(1000);
    const id = sha256(bytes);
    // A miss first: nothing may be cached for it.
    expect(await request(`${m.url}/api/media/${id}/info`).then(async (r) => (await r.body.dump(), r.statusCode))).toBe(
      404,
    );
    const res = await upload(m.url, formOf(bytes));
    expect(res.json).toMatchObject({ access_level: 'private', owner: 'pk-alice' });
    const anon = await request(`${m.url}/api/media/${id}`);
    await anon.body.dump();
    expect(anon.statusCode).toBe(404);
    const owner = await request(`${m.url}/api/media/${id}`, { headers: { authorization: bearer('pk-alice') } });
    expect(Buffer.from(await owner.body.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("a duplicate keeps the stored bytes and the first uploader's manifest; each uploader is answered with their own view", async () => {
    const m = await start();
    const bytes = randomBytes(5000);
    const id = sha256(bytes);
    await upload(m.url, formOf(bytes, { access_level: 'private' }, 'first.bin'));
    const before = await readFile(path.join(m.dir, id, 'manifest.json'), 'utf8');
    const mine = await upload(m.url, formOf(bytes, { access_level: 'public' }, 'again.bin'));
    expect(mine.json).toMatchObject({
      mediaId: id,
      duplicate: true,
      owner: 'pk-alice',
      access_level: 'private',
      originalName: 'first.bin',
    });
    const bobs = await upload(m.url, formOf(bytes, { access_level: 'private' }, 'second.bin'), bearer('pk-bob'));
    expect(bobs.status).toBe(200);
    expect(bobs.json).toMatchObject({
      mediaId: id,
      duplicate: false,
      owner: 'pk-bob',
      access_level: 'private',
      originalName: 'second.bin',
    });
    expect(await readFile(path.join(m.dir, id, 'manifest.json'), 'utf8')).toBe(before);
    expect((await listTree(m.dir)).filter((p) => !p.startsWith(`${id}/owners/`)).sort()).toEqual(
      ['.tmp', id, `${id}/manifest.json`, `${id}/original`, `${id}/owners`].sort(),
    );
    // Concurrent uploads of one file: one media, one manifest, no temp file.
    const other = randomBytes(20_000);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => upload(m.url, formOf(other, {}, `copy-${i}`))),
    );
    expect(results.map((r) => [r.status, r.json])).toEqual(Array(8).fill([200, expect.anything()]));
    expect(results.filter((r) => r.json['duplicate'] === false).length).toBe(1);
    expect(await readdir(path.join(m.dir, '.tmp'))).toEqual([]);
  });

  it('refuses without a token (401), with a keyless token (403), without a file (400), with a bad access_level (400), leaving nothing', async () => {
    const m = await start();
    const bytes = randomBytes(100);
    const anon = await upload(m.url, formOf(bytes), null);
    expect(anon.status).toBe(401);
    expect(anon.code).toBe('MEDIA_ERR_TOKEN_REQUIRED');
    const keyless = await upload(m.url, formOf(bytes), `Bearer ${signToken({ userId: 'u', email: 'e' }, SECRET)}`);
    expect(keyless.status).toBe(403);
    expect(keyless.code).toBe('MEDIA_ERR_PUBLISHER_KEY_MISSING');
    const noFile = new FormData();
    noFile.append('access_level', 'public');
    const none = await upload(m.url, noFile);
    expect(none.status).toBe(400);
    expect(none.json).toEqual({ error: 'No file provided' });
    const badLevel = await upload(m.url, formOf(bytes, { access_level: 'everyone' }));
    expect(badLevel.status).toBe(400);
    expect(badLevel.code).toBe('MEDIA_ERR_INVALID_ACCESS_LEVEL');
    const wrongField = new FormData();
    wrongField.append('document', new Blob([bytes]), 'x.bin');
    const wrong = await upload(m.url, wrongField);
    expect(wrong.status).toBe(400);
    expect(wrong.code).toBe('MEDIA_ERR_UPLOAD_FORM');
    const json = await request(`${m.url}/api/media/upload`, {
      method: 'POST',
      headers: { authorization: bearer('pk-alice'), 'content-type': 'application/json' },
      body: '{}',
    });
    await json.body.dump();
    expect(json.statusCode).toBe(400);
    await expectEmpty(m.dir);
  });

  it('a file of exactly the limit is stored; one byte more is 413 with no temp file (declared or streamed)', async () => {
    const limit = 256 * 1024;
    const m = await start({ maxUploadBytes: limit });
    const exact = await upload(m.url, formOf(randomBytes(limit)));
    expect(exact.status).toBe(200);
    await new Promise((r) => setTimeout(r, 10));
    const stored = await listTree(m.dir);

    // Streamed (chunked, no Content-Length): the meter stops it at limit + 1.
    const boundary = 'xxBOUNDARYxx';
    const body = multipart(boundary, { access_level: 'public' }, { bytes: randomBytes(limit + 1) });
    const chunked = await request(`${m.url}/api/media/upload`, {
      method: 'POST',
      headers: { authorization: bearer('pk-alice'), 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: Readable.from([body.subarray(0, 1000), body.subarray(1000)]),
    });
    const chunkedText = await chunked.body.text();
    expect(chunked.statusCode).toBe(413);
    expect(chunked.headers['x-error-code']).toBe('MEDIA_ERR_UPLOAD_TOO_LARGE');
    expect(JSON.parse(chunkedText)).toEqual({ error: 'File too large' });
    expect(await listTree(m.dir)).toEqual(stored);

    // A declared Content-Length far past the limit is refused before the body is read.
    const big = await start({ maxUploadBytes: 1024 });
    const declared = await upload(big.url, formOf(randomBytes(2 * 1024 * 1024)));
    expect(declared.status).toBe(413);
    await expectEmpty(big.dir);
    const text = await (await request(`${big.url}/metrics`)).body.text();
    expect(text).toContain('oip_media_uploads_total{result="too_large"} 1');
  });

  it('an upload aborted mid-body leaves no temp file and no media', async () => {
    const m = await start();
    const boundary = 'abortBOUNDARY';
    const body = multipart(boundary, { access_level: 'public' }, { bytes: randomBytes(4 * 1024 * 1024) });
    const socket = net.connect(m.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.on('error', () => undefined);
    socket.write(
      `POST /api/media/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${bearer('pk-alice')}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.subarray(0, body.length / 2));
    // The upload really is streaming to a temp file before we cut it.
    await until(async () => (await readdir(path.join(m.dir, '.tmp'))).length > 0, {
      what: 'a temp file of the upload',
      timeoutMs: 10_000,
    });
    socket.destroy();
    await until(async () => (await readdir(path.join(m.dir, '.tmp'))).length === 0, {
      what: 'the temp file to be removed',
      timeoutMs: 10_000,
    });
    await until(
      async () =>
        (await (await request(`${m.url}/metrics`)).body.text()).includes('oip_media_uploads_total{result="aborted"} 1'),
      { what: 'the aborted upload to be counted', timeoutMs: 10_000 },
    );
    await expectEmpty(m.dir);
  });
});
