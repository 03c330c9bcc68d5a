// Nothing built from request input reaches outside MEDIA_DIR: requests written byte for byte on a
// socket (no client-side normalisation), and symlinks planted inside the directory.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '@oip/test-kit';
import { patternBytes, putMedia, sha256, useMedia } from '../helpers.js';

const start = useMedia();
const outside: string[] = [];
afterEach(async () => {
  for (const d of outside.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A secret file outside MEDIA_DIR, with a manifest that would make it public. */
async function secretOutside(): Promise<{ dir: string; id: string; bytes: Buffer }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'media-outside-'));
  outside.push(dir);
  const bytes = Buffer.from('top secret bytes outside the media directory');
  const id = sha256(bytes);
  await writeFile(path.join(dir, 'original'), bytes);
  await writeFile(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ mediaId: id, mimeType: 'text/plain', accessLevel: 'public' }),
  );
  return { dir, id, bytes };
}

describe('path traversal', () => {
  it('refuses encoded separators, dot segments, NUL and absolute paths with 400/404, never a file', async () => {
    const m = await start();
    const { bytes } = await secretOutside();
    const id = await putMedia(m.dir, patternBytes(64));
    const attempts = [
      '/api/media/..%2f..%2f..%2fetc%2fpasswd',
      '/api/media/..%2F..%2Fetc%2Fpasswd',
      '/api/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/api/media/../../etc/passwd',
      '/api/media/..%5c..%5cetc%5cpasswd',
      `/api/media/${id}%00`,
      `/api/media/${id}%00.json`,
      '/api/media/%00',
      '/api/media//etc/passwd',
      '/api/media/%2fetc%2fpasswd',
      `/api/media/${id}%2f..%2f..%2fetc%2fpasswd`,
      `/api/media/${id}/..%2f..%2fetc%2fpasswd`,
      `/api/media/${'a'.repeat(62)}..`,
      '/api/media/%2e%2e',
      '/api/media/.tmp',
    ];
    for (const target of attempts) {
      for (const method of ['GET', 'HEAD']) {
        const res = await rawRequest(m.port, `${method} ${target} HTTP/1.1`);
        expect([400, 404], `${method} ${target} → ${res.status}`).toContain(res.status);
        expect(res.body.includes(bytes), target).toBe(false);
        expect(res.body.toString('latin1'), target).not.toContain('root:');
      }
    }
    // The real file still serves, so the refusals above were about the paths.
    expect((await rawRequest(m.port, `GET /api/media/${id} HTTP/1.1`)).status).toBe(200);
  });

  it('a media directory planted as a symlink to a directory outside is not followed (404)', async () => {
    const m = await start();
    const secret = await secretOutside();
    await symlink(secret.dir, path.join(m.dir, secret.id));
    for (const suffix of ['', '/info']) {
      const res = await rawRequest(m.port, `GET /api/media/${secret.id}${suffix} HTTP/1.1`);
      expect(res.status, suffix).toBe(404);
      expect(res.body.includes(secret.bytes)).toBe(false);
    }
  });

  it('an original or a manifest planted as a symlink is not followed (404)', async () => {
    const m = await start();
    const secret = await secretOutside();
    // original → outside file, with a genuine manifest beside it.
    await mkdir(path.join(m.dir, secret.id));
    await symlink(path.join(secret.dir, 'original'), path.join(m.dir, secret.id, 'original'));
    await writeFile(
      path.join(m.dir, secret.id, 'manifest.json'),
      JSON.stringify({ mediaId: secret.id, accessLevel: 'public' }),
    );
    const viaFile = await rawRequest(m.port, `GET /api/media/${secret.id} HTTP/1.1`);
    expect(viaFile.status).toBe(404);
    expect(viaFile.body.includes(secret.bytes)).toBe(false);
    // A real file, with the manifest a link to an outside manifest that says public.
    const bytes = patternBytes(32);
    const id = await putMedia(m.dir, bytes, { accessLevel: 'private' });
    await rm(path.join(m.dir, id, 'manifest.json'));
    await writeFile(path.join(secret.dir, 'public.json'), JSON.stringify({ mediaId: id, accessLevel: 'public' }));
    await symlink(path.join(secret.dir, 'public.json'), path.join(m.dir, id, 'manifest.json'));
    expect((await rawRequest(m.port, `GET /api/media/${id} HTTP/1.1`)).status).toBe(404);
    expect((await rawRequest(m.port, `GET /api/media/${id}/info HTTP/1.1`)).status).toBe(404);
  });
});
