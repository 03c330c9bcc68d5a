// The replication seam: GET/HEAD of media this node lacks asks deps.fetchMissing, then serves what
// it stored (range and access rules included); false, an error or no seam at all is a 404.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { patternBytes, sha256, useMedia } from '../helpers.js';

const start = useMedia();

async function store(dir: string, bytes: Buffer, accessLevel = 'public'): Promise<void> {
  const id = sha256(bytes);
  await mkdir(path.join(dir, id), { recursive: true });
  await writeFile(path.join(dir, id, 'original'), bytes);
  await writeFile(
    path.join(dir, id, 'manifest.json'),
    JSON.stringify({ mediaId: id, mimeType: 'image/png', fileSize: bytes.length, accessLevel }),
  );
}

describe('fetchMissing', () => {
  it('is asked for media missing here; true → served from disk, range honoured', async () => {
    const bytes = patternBytes(5000);
    const id = sha256(bytes);
    const asked: string[] = [];
    let dir = '';
    const m = await start(
      {},
      {
        fetchMissing: async (mediaId) => {
          asked.push(mediaId);
          await store(dir, bytes);
          return true;
        },
      },
    );
    dir = m.dir;
    const res = await request(`${m.url}/api/media/${id}`, { headers: { range: 'bytes=100-199' } });
    expect(res.statusCode).toBe(206);
    expect(Buffer.from(await res.body.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    expect(res.headers['content-type']).toBe('image/png');
    expect(asked).toEqual([id]);
    // Now local: not asked again.
    const again = await request(`${m.url}/api/media/${id}`);
    await again.body.arrayBuffer();
    expect(again.statusCode).toBe(200);
    expect(asked).toEqual([id]);
    expect(await (await request(`${m.url}/metrics`)).body.text()).toContain(
      'oip_media_fetch_missing_total{result="stored"} 1',
    );
  });

  it('false, an error, or true without the file are 404; the access rule applies to what was fetched', async () => {
    const privateBytes = patternBytes(100, 3);
    let dir = '';
    const answers = new Map<string, () => Promise<boolean>>();
    const m = await start({}, { fetchMissing: (id) => (answers.get(id) ?? (async () => false))() });
    dir = m.dir;
    const ids = { no: 'a'.repeat(64), boom: 'b'.repeat(64), liar: 'c'.repeat(64), priv: sha256(privateBytes) };
    answers.set(ids.boom, async () => {
      throw new Error('peer exploded');
    });
    answers.set(ids.liar, async () => true);
    answers.set(ids.priv, async () => (await store(dir, privateBytes, 'private'), true));
    for (const id of [ids.no, ids.boom, ids.liar]) {
      const res = await request(`${m.url}/api/media/${id}`);
      expect(res.statusCode, id).toBe(404);
      expect(await res.body.json()).toEqual({ error: 'Media not found' });
    }
    // Fetched but private: a stranger is answered as for a missing id.
    const priv = await request(`${m.url}/api/media/${ids.priv}`);
    expect([priv.statusCode, await priv.body.json()]).toEqual([404, { error: 'Media not found' }]);
    const text = await (await request(`${m.url}/metrics`)).body.text();
    expect(text).toContain('oip_media_fetch_missing_total{result="missing"} 1');
    expect(text).toContain('oip_media_fetch_missing_total{result="error"} 1');
  });

  it('without a seam a missing file is a 404 at once', async () => {
    const m = await start();
    const res = await request(`${m.url}/api/media/${'d'.repeat(64)}`, { method: 'HEAD' });
    expect(res.statusCode).toBe(404);
  });
});
