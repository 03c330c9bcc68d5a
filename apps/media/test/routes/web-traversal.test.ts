// Nothing outside `<MEDIA_DIR>/web` is served at /media/<project>/<file>, nor written by
// web-setup: requests written byte for byte on a socket (no client-side normalisation), and
// symlinks planted in the web directory.
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '@oip/test-kit';
import { bearer, patternBytes, putMedia, useMedia } from '../helpers.js';

const start = useMedia();
const outside: string[] = [];
afterEach(async () => {
  for (const d of outside.splice(0)) await rm(d, { recursive: true, force: true });
});

const SECRET_BYTES = Buffer.from('top secret bytes outside the web directory');

/** A directory outside MEDIA_DIR holding `secret.txt`. */
async function secretOutside(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'media-web-outside-'));
  outside.push(dir);
  await writeFile(path.join(dir, 'secret.txt'), SECRET_BYTES);
  return dir;
}

describe('/media/<project>/<file> traversal', () => {
  it('answers every escape attempt 4xx with its stable code, never a file outside', async () => {
    const m = await start();
    const secret = await secretOutside();
    await mkdir(path.join(m.dir, 'web', 'p'), { recursive: true });
    await writeFile(path.join(m.dir, 'web', 'p', 'ok.txt'), 'fine');
    // What a traversal from web/p would reach inside MEDIA_DIR: a stored file and its manifest.
    const id = await putMedia(m.dir, patternBytes(64), { accessLevel: 'private' });
    const rel = path.relative(path.join(m.dir, 'web', 'p'), secret);
    const NAME = 'MEDIA_ERR_WEB_NAME_INVALID';
    const ROUTE = 'MEDIA_ROUTE_NOT_FOUND';
    const MISSING = 'MEDIA_ERR_NOT_FOUND';
    const rows: Array<[target: string, status: number, code: string]> = [
      ['/media/p/../../etc/passwd', 404, ROUTE],
      [`/media/p/../../${id}/original`, 404, ROUTE],
      ['/media/p/..%2f..%2fetc%2fpasswd', 400, NAME],
      ['/media/p/..%2F..%2F' + `${id}%2Foriginal`, 400, NAME],
      ['/media/p/%2e%2e%2f%2e%2e%2fetc%2fpasswd', 400, NAME],
      [`/media/p/${encodeURIComponent(`${rel}/secret.txt`)}`, 400, NAME],
      ['/media/%2e%2e/secret.txt', 400, NAME],
      ['/media/%2e%2e/%2e%2e', 400, NAME],
      ['/media/p/..', 400, NAME],
      ['/media/p/%2e%2e', 400, NAME],
      ['/media/p/.', 400, NAME],
      ['/media/p/.tmp', 400, NAME],
      // Double-encoded: decoded once, it is a literal name with % in it, which no file has.
      ['/media/p/%252e%252e%252fetc%252fpasswd', 404, MISSING],
      ['/media/%252e%252e/ok.txt', 400, NAME],
      ['/media/p/..%5c..%5cetc%5cpasswd', 400, NAME],
      ['/media/p/..\\..\\etc\\passwd', 400, NAME],
      ['/media/p/ok.txt%00', 400, NAME],
      ['/media/p/ok.txt%00.jpg', 400, NAME],
      ['/media/%00/ok.txt', 400, NAME],
      ['/media/p/%2fetc%2fpasswd', 400, NAME],
      [`/media/p/${encodeURIComponent(path.join(secret, 'secret.txt'))}`, 400, NAME],
      ['/media//etc/passwd', 404, ROUTE],
      ['/media/p/ok.txt/..', 404, ROUTE],
      ['/media/p/ok.txt%2f..', 400, NAME],
      ['/media/p%2fok.txt', 404, ROUTE],
      [`/media/p/${'a'.repeat(256)}`, 400, NAME],
      [`/media/p/${'%C3%A9'.repeat(128)}`, 400, NAME],
      [`/media/${'p'.repeat(101)}/ok.txt`, 400, NAME],
    ];
    for (const [target, status, code] of rows) {
      for (const method of ['GET', 'HEAD']) {
        const res = await rawRequest(m.port, `${method} ${target} HTTP/1.1`);
        expect([res.status, res.headers['x-error-code']], `${method} ${target}`).toEqual([status, code]);
        expect(res.body.includes(SECRET_BYTES), target).toBe(false);
        expect(res.body.toString('latin1'), target).not.toContain('root:');
        expect(res.body.includes(patternBytes(64)), target).toBe(false);
      }
    }
    // The real file still serves, so the refusals above were about the paths.
    const ok = await rawRequest(m.port, 'GET /media/p/ok.txt HTTP/1.1');
    expect([ok.status, ok.body.toString()]).toEqual([200, 'fine']);
  });

  it('a file, a project directory or the web directory planted as a symlink is not followed (404)', async () => {
    const m = await start();
    const secret = await secretOutside();
    await mkdir(path.join(m.dir, 'web', 'p'), { recursive: true });
    await symlink(path.join(secret, 'secret.txt'), path.join(m.dir, 'web', 'p', 'link.txt'));
    await symlink(secret, path.join(m.dir, 'web', 'evil'));
    for (const target of ['/media/p/link.txt', '/media/evil/secret.txt']) {
      const res = await rawRequest(m.port, `GET ${target} HTTP/1.1`);
      expect([res.status, res.headers['x-error-code']], target).toEqual([404, 'MEDIA_ERR_NOT_FOUND']);
      expect(res.body.includes(SECRET_BYTES), target).toBe(false);
    }

    const m2 = await start();
    await mkdir(path.join(secret, 'p'));
    await writeFile(path.join(secret, 'p', 'secret.txt'), SECRET_BYTES);
    await symlink(secret, path.join(m2.dir, 'web'));
    const res = await rawRequest(m2.port, 'GET /media/p/secret.txt HTTP/1.1');
    expect([res.status, res.headers['x-error-code']]).toEqual([404, 'MEDIA_ERR_NOT_FOUND']);
    expect(res.body.includes(SECRET_BYTES)).toBe(false);
  });

  it('web-setup into a web or project directory planted as a symlink writes nothing outside (500 MEDIA_ERR_STORAGE)', async () => {
    for (const planted of ['web', 'project'] as const) {
      const m = await start();
      const secret = await secretOutside();
      const id = await putMedia(m.dir, patternBytes(128, 9), { userPublicKey: 'pk-owner' });
      if (planted === 'web') await symlink(secret, path.join(m.dir, 'web'));
      else {
        await mkdir(path.join(m.dir, 'web'));
        await symlink(secret, path.join(m.dir, 'web', 'oip-arweave-indexer'));
      }
      const res = await request(`${m.url}/api/media/web-setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: bearer('pk-owner') },
        body: JSON.stringify({ mediaId: id, filename: 'x.bin' }),
      });
      expect([res.statusCode, res.headers['x-error-code'], await res.body.json()], planted).toEqual([
        500,
        'MEDIA_ERR_STORAGE',
        { error: 'Web setup failed' },
      ]);
      expect((await readdir(secret)).sort(), planted).toEqual(['secret.txt']);
    }
  });
});
