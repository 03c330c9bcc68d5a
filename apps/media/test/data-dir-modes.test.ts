// MEDIA_DIR is the node's users' files: every directory in it 0700, every file 0600, as uploads
// create them; a MEDIA_DIR found world-readable is tightened at start.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FormData, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, sha256, useMedia } from './helpers.js';

const start = useMedia();
let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'media-modes-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function upload(url: string, bytes: Buffer, who: string, access: string): Promise<void> {
  const form = new FormData();
  form.append('access_level', access);
  form.append('file', new Blob([bytes], { type: 'video/mp4' }), 'clip.mp4');
  const res = await request(`${url}/api/media/upload`, {
    method: 'POST',
    body: form,
    headers: { authorization: bearer(who) },
  });
  const body = (await res.body.json()) as { mediaId?: string };
  expect([res.statusCode, body.mediaId]).toEqual([200, sha256(bytes)]);
}

/** Relative path → mode of everything under `dir` (the directory itself as '.'). */
async function modes(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>([['.', (await stat(dir)).mode & 0o777]]);
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath, e.name);
    out.set(path.relative(dir, p), (await stat(p)).mode & 0o777);
  }
  return out;
}

describe('media directory modes', () => {
  it('tightens a world-readable MEDIA_DIR at start and keeps every directory 0700 and file 0600 through uploads', async () => {
    const mediaDir = path.join(root, 'media');
    await mkdir(mediaDir);
    await chmod(mediaDir, 0o755);
    const m = await start({ mediaDir });
    const bytes = randomBytes(50_000);
    await upload(m.url, bytes, 'pk-alice', 'private');
    // A second owner of the same bytes gets a view of their own (the owners directory).
    await upload(m.url, bytes, 'pk-bob', 'public');
    await upload(m.url, randomBytes(10_000), 'pk-bob', 'public');
    const all = await modes(mediaDir);
    const kinds = { dirs: 0, files: 0 };
    for (const [p, mode] of all) {
      const isDir = (await stat(path.join(mediaDir, p))).isDirectory();
      kinds[isDir ? 'dirs' : 'files']++;
      expect([p, mode.toString(8)]).toEqual([p, isDir ? '700' : '600']);
    }
    // MEDIA_DIR, .tmp, two media directories and an owners directory; two originals, their
    // manifests and at least one owner's view.
    expect(kinds.dirs).toBeGreaterThanOrEqual(5);
    expect(kinds.files).toBeGreaterThanOrEqual(5);
  });
});
