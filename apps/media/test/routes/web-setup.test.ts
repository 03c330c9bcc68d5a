// POST /api/media/web-setup then the legacy URL /media/<project>/<file> (legacy routes/media.js
// web-setup ~588-650, index.js:692 express.static of data/media/web), over the real HTTP port.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FormData, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { signToken } from '@oip/service-kit/testing';
import { bearer, patternBytes, putMedia, SECRET, sha256, useMedia, type TestMedia } from '../helpers.js';

const start = useMedia();

interface Answer {
  status: number;
  code: string | undefined;
  body: Record<string, unknown>;
}

async function webSetup(m: TestMedia, body: unknown, auth?: string): Promise<Answer> {
  const res = await request(`${m.url}/api/media/web-setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const code = res.headers['x-error-code'];
  return {
    status: res.statusCode,
    code: typeof code === 'string' ? code : undefined,
    body: (await res.body.json()) as Record<string, unknown>,
  };
}

async function get(url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') {
  const res = await request(url, { method, headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body };
}

async function upload(m: TestMedia, bytes: Buffer, who: string, access: string): Promise<string> {
  const form = new FormData();
  form.append('access_level', access);
  form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'photo.jpg');
  const res = await request(`${m.url}/api/media/upload`, {
    method: 'POST',
    body: form,
    headers: { authorization: bearer(who) },
  });
  const body = (await res.body.json()) as { mediaId?: string };
  expect([res.statusCode, body.mediaId]).toEqual([200, sha256(bytes)]);
  return sha256(bytes);
}

describe('web-setup then the legacy URL', () => {
  it('publishes the owner’s upload at /media/<project>/<file>: GET, HEAD, Range, 304, and webUrl in their view', async () => {
    const m = await start();
    const bytes = patternBytes(100_000);
    const id = await upload(m, bytes, 'pk-alice', 'private');
    const res = await webSetup(m, { mediaId: id, filename: 'recipe-image.jpg' }, bearer('pk-alice'));
    const webUrl = `${m.url}/media/oip-arweave-indexer/recipe-image.jpg`;
    // Legacy's answer, field for field (routes/media.js:640-645).
    expect([res.status, res.body]).toEqual([
      200,
      { success: true, webUrl, filename: 'recipe-image.jpg', message: 'Web access setup successfully' },
    ]);

    const whole = await get(webUrl);
    expect(whole.status).toBe(200);
    expect(whole.body.equals(bytes)).toBe(true);
    expect(whole.headers['content-type']).toBe('image/jpeg');
    expect(whole.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['content-security-policy']).toBe('sandbox');
    expect(whole.headers['x-content-type-options']).toBe('nosniff');
    const etag = whole.headers['etag'];
    expect(typeof etag).toBe('string');

    const head = await get(webUrl, {}, 'HEAD');
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, '100000', 0]);

    const part = await get(webUrl, { range: 'bytes=1000-1999' });
    expect([part.status, part.headers['content-range']]).toEqual([206, 'bytes 1000-1999/100000']);
    expect(part.body.equals(bytes.subarray(1000, 2000))).toBe(true);
    const suffix = await get(webUrl, { range: 'bytes=-10' });
    expect(suffix.body.equals(bytes.subarray(-10))).toBe(true);
    const past = await get(webUrl, { range: 'bytes=200000-' });
    expect([past.status, past.headers['content-range'], past.headers['x-error-code']]).toEqual([
      416,
      'bytes */100000',
      'MEDIA_ERR_RANGE_NOT_SATISFIABLE',
    ]);
    const cached = await get(webUrl, { 'if-none-match': etag as string });
    expect([cached.status, cached.body.length]).toEqual([304, 0]);

    // The owner's view records webUrl (legacy writes it into the manifest); the file is a link to the stored bytes.
    const info = await request(`${m.url}/api/media/${id}/info`, { headers: { authorization: bearer('pk-alice') } });
    expect(((await info.body.json()) as { webUrl?: string }).webUrl).toBe(webUrl);
    const placed = await stat(path.join(m.dir, 'web', 'oip-arweave-indexer', 'recipe-image.jpg'));
    const original = await stat(path.join(m.dir, id, 'original'));
    expect(placed.ino).toBe(original.ino);

    // Asking again for the same name and bytes is the same answer.
    const again = await webSetup(m, { mediaId: id, filename: 'recipe-image.jpg' }, bearer('pk-alice'));
    expect([again.status, again.body['webUrl']]).toEqual([200, webUrl]);
  });

  it('a later uploader of the same bytes is an owner too; the URL uses MEDIA_PUBLIC_URL and the project, names encoded', async () => {
    const m = await start({ webProject: 'fitnessally', publicUrl: 'https://oip.example.org/' });
    const bytes = patternBytes(5000, 3);
    const id = await putMedia(m.dir, bytes, { userPublicKey: 'pk-first', accessLevel: 'private' });
    await upload(m, bytes, 'pk-second', 'private');
    const res = await webSetup(m, { mediaId: id, filename: 'my photo (1)%.jpg' }, bearer('pk-second'));
    expect([res.status, res.body['webUrl']]).toEqual([
      200,
      'https://oip.example.org/media/fitnessally/my%20photo%20(1)%25.jpg',
    ]);
    const served = await get(`${m.url}/media/fitnessally/my%20photo%20(1)%25.jpg`);
    expect([served.status, served.body.equals(bytes)]).toEqual([200, true]);
    // The second uploader's own view has webUrl; the first's is untouched.
    const first = JSON.parse(await readFile(path.join(m.dir, id, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(first['webUrl']).toBeUndefined();
  });

  it('serves files of any project directory already there (a legacy node’s web directory copied over)', async () => {
    const m = await start();
    await mkdir(path.join(m.dir, 'web', 'narrations'), { recursive: true });
    await writeFile(path.join(m.dir, 'web', 'narrations', 'intro.mp3'), Buffer.from('ID3 narration'));
    const res = await get(`${m.url}/media/narrations/intro.mp3`);
    expect([res.status, res.headers['content-type'], res.body.toString()]).toEqual([
      200,
      'audio/mpeg',
      'ID3 narration',
    ]);
  });
});

describe('web-setup refusals', () => {
  it('answers each refusal with its status, code and legacy body, and publishes nothing', async () => {
    const m = await start();
    const pub = await putMedia(m.dir, patternBytes(300, 1), { userPublicKey: 'pk-owner', accessLevel: 'public' });
    const priv = await putMedia(m.dir, patternBytes(300, 2), { userPublicKey: 'pk-owner', accessLevel: 'private' });
    const owner = bearer('pk-owner');
    const keyless = `Bearer ${signToken({ userId: 'u', email: 'e@example.org' }, SECRET)}`;
    const rows: Array<[what: string, body: unknown, auth: string | undefined, status: number, code: string]> = [
      ['no token', { mediaId: pub, filename: 'a.jpg' }, undefined, 401, 'MEDIA_ERR_TOKEN_REQUIRED'],
      ['a bad token', { mediaId: pub, filename: 'a.jpg' }, 'Bearer nope', 403, 'MEDIA_ERR_TOKEN_INVALID'],
      ['a token without a key', { mediaId: pub, filename: 'a.jpg' }, keyless, 403, 'MEDIA_ERR_PUBLISHER_KEY_MISSING'],
      ['an empty key', { mediaId: pub, filename: 'a.jpg' }, bearer(''), 403, 'MEDIA_ERR_PUBLISHER_KEY_MISSING'],
      // routes/media.js:609-611: not the owner → 403; private media of another is answered as missing.
      ['another user, public media', { mediaId: pub, filename: 'a.jpg' }, bearer('pk-eve'), 403, 'MEDIA_ERR_NOT_OWNER'],
      [
        'another user, private media',
        { mediaId: priv, filename: 'a.jpg' },
        bearer('pk-eve'),
        404,
        'MEDIA_ERR_NOT_FOUND',
      ],
      ['unknown media', { mediaId: 'f'.repeat(64), filename: 'a.jpg' }, owner, 404, 'MEDIA_ERR_NOT_FOUND'],
      // routes/media.js:593-595: both are required; ours must also be plain names.
      ['no filename', { mediaId: pub }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['no mediaId', { filename: 'a.jpg' }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['mediaId not an id', { mediaId: '../../etc', filename: 'a.jpg' }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['filename ../', { mediaId: pub, filename: '../../../tmp/x.jpg' }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['filename ..', { mediaId: pub, filename: '..' }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['a dotfile', { mediaId: pub, filename: '.htaccess' }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['a separator', { mediaId: pub, filename: 'a/b.jpg' }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['a backslash', { mediaId: pub, filename: '..\\..\\b.jpg' }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['an absolute path', { mediaId: pub, filename: '/etc/passwd' }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['NUL', { mediaId: pub, filename: 'a\u0000.jpg' }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['a newline', { mediaId: pub, filename: 'a\n.jpg' }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['256 characters', { mediaId: pub, filename: 'a'.repeat(256) }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['256 bytes', { mediaId: pub, filename: `${'é'.repeat(128)}` }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      ['an object', { mediaId: pub, filename: { name: 'a.jpg' } }, owner, 400, 'MEDIA_ERR_WEB_SETUP_INVALID'],
      [
        'a body past 16 KiB',
        { mediaId: pub, filename: 'a.jpg', pad: 'x'.repeat(17_000) },
        owner,
        413,
        'MEDIA_BODY_TOO_LARGE',
      ],
    ];
    for (const [what, body, auth, status, code] of rows) {
      const res = await webSetup(m, body, auth);
      expect([res.status, res.code], what).toEqual([status, code]);
      expect(typeof res.body['error'], what).toBe('string');
    }
    const texts = await Promise.all([
      webSetup(m, { mediaId: pub, filename: 'a.jpg' }, bearer('pk-eve')),
      webSetup(m, { mediaId: 'f'.repeat(64), filename: 'a.jpg' }, owner),
      webSetup(m, { mediaId: pub }, owner),
    ]);
    expect(texts.map((t) => t.body)).toEqual([
      { error: 'Access denied: not the owner of this media file' },
      { error: 'Media file not found' },
      { error: 'mediaId and filename are required' },
    ]);
    // Every refusal came before the web directory was touched.
    await expect(stat(path.join(m.dir, 'web'))).rejects.toMatchObject({ code: 'ENOENT' });
    // 255 bytes of name is fine (the bound is the file system's).
    expect((await webSetup(m, { mediaId: pub, filename: `${'é'.repeat(127)}x` }, owner)).status).toBe(200);
    expect((await get(`${m.url}/media/oip-arweave-indexer/${encodeURIComponent(`${'é'.repeat(127)}x`)}`)).status).toBe(
      200,
    );
  });

  it('never replaces a published name with other bytes (409), and bounds the names a project holds (507)', async () => {
    const m = await start({ webMaxFiles: 2 });
    const mine = patternBytes(400, 4);
    const theirs = patternBytes(400, 5);
    const a = await putMedia(m.dir, mine, { userPublicKey: 'pk-alice' });
    const b = await putMedia(m.dir, theirs, { userPublicKey: 'pk-bob' });
    // A copy of Bob's bytes already there (not a link: a legacy web directory copied over).
    await mkdir(path.join(m.dir, 'web', 'oip-arweave-indexer'), { recursive: true });
    await writeFile(path.join(m.dir, 'web', 'oip-arweave-indexer', 'copied.png'), theirs);
    expect((await webSetup(m, { mediaId: a, filename: 'logo.png' }, bearer('pk-alice'))).status).toBe(200);
    const taken = await webSetup(m, { mediaId: b, filename: 'logo.png' }, bearer('pk-bob'));
    expect([taken.status, taken.code]).toEqual([409, 'MEDIA_ERR_WEB_NAME_TAKEN']);
    expect((await get(`${m.url}/media/oip-arweave-indexer/logo.png`)).body.equals(mine)).toBe(true);
    // The copy holds the same bytes: the same file, compared by sha256.
    expect((await webSetup(m, { mediaId: b, filename: 'copied.png' }, bearer('pk-bob'))).status).toBe(200);
    const other = await webSetup(m, { mediaId: a, filename: 'copied.png' }, bearer('pk-alice'));
    expect([other.status, other.code]).toEqual([409, 'MEDIA_ERR_WEB_NAME_TAKEN']);
    // Two names are there now: a third is past the bound; asking again for an existing one is not.
    const full = await webSetup(m, { mediaId: b, filename: 'third.png' }, bearer('pk-bob'));
    expect([full.status, full.code]).toEqual([507, 'MEDIA_ERR_WEB_FULL']);
    expect((await webSetup(m, { mediaId: a, filename: 'logo.png' }, bearer('pk-alice'))).status).toBe(200);
    expect((await get(`${m.url}/media/oip-arweave-indexer/third.png`)).status).toBe(404);
  });
});
