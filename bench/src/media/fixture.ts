// A media directory in the legacy layout with public files of given sizes (random bytes, named by
// their sha256), readable by nginx's unprivileged worker too. remove() deletes it.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface MediaFixture {
  dir: string;
  /** mediaId per requested size, in the order given. */
  ids: string[];
  remove(): Promise<void>;
}

const CHUNK = 4 * 1024 * 1024;

async function writeRandom(dir: string, size: number): Promise<string> {
  const tmp = path.join(dir, `tmp-${randomBytes(6).toString('hex')}`);
  const hash = createHash('sha256');
  const fh = await open(tmp, 'w', 0o644);
  try {
    for (let left = size; left > 0; left -= CHUNK) {
      const chunk = randomBytes(Math.min(CHUNK, left));
      hash.update(chunk);
      await fh.write(chunk);
    }
  } finally {
    await fh.close();
  }
  const id = hash.digest('hex');
  await mkdir(path.join(dir, id), { mode: 0o755 });
  await rename(tmp, path.join(dir, id, 'original'));
  const manifest = {
    mediaId: id,
    originalName: `bench-${size}.bin`,
    mimeType: 'video/mp4',
    fileSize: size,
    httpUrl: '',
    createdAt: new Date().toISOString(),
    userPublicKey: 'pk-bench',
    accessLevel: 'public',
  };
  await writeFile(path.join(dir, id, 'manifest.json'), JSON.stringify(manifest), { mode: 0o644 });
  return id;
}

export async function createMediaFixture(sizes: readonly number[]): Promise<MediaFixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-media-'));
  await chmod(dir, 0o755);
  const ids: string[] = [];
  try {
    for (const size of sizes) ids.push(await writeRandom(dir, size));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, ids, remove: () => rm(dir, { recursive: true, force: true }) };
}
