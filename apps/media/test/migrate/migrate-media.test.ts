// `migrate media` as an operator runs it (the built CLI, a real process) on a legacy MEDIA_DIR
// written the way legacy wrote it, then this node's media server on a real port over the result:
// migrated media stream with ranges and the content-hash ETag, private media stay private, web
// files are served at /media/<project>/<file>, and whatever failed its check is reported and absent.
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, patternBytes, useMedia } from '../helpers.js';
import { legacyUpload, legacyWebSetup, LEGACY_PROJECT, migrateJson, runCli } from './legacy-media-dir.js';
import { snapshot } from './tree.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(base = os.tmpdir()): Promise<string> {
  const d = await mkdtemp(path.join(base, 'migrate-media-'));
  dirs.push(d);
  return d;
}

const start = useMedia();

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await request(url, { headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers as Record<string, string>, body };
}

/** A legacy MEDIA_DIR with one of each case the migration must tell apart. */
async function legacyDir() {
  const dir = await tempDir();
  const video = patternBytes(300_000, 1);
  const secret = patternBytes(5000, 2);
  const ids = {
    video: await legacyUpload(dir, { bytes: video }),
    secret: await legacyUpload(dir, { bytes: secret, accessLevel: 'private', publicKey: 'pk-alice' }),
    // Bytes changed after upload: no longer their id.
    corrupt: await legacyUpload(dir, { bytes: patternBytes(4000, 3) }),
    noManifest: await legacyUpload(dir, { bytes: patternBytes(100, 4) }),
    otherId: await legacyUpload(dir, { bytes: patternBytes(101, 5) }),
    wrongSize: await legacyUpload(dir, { bytes: patternBytes(102, 6) }),
  };
  await writeFile(path.join(dir, ids.corrupt, 'original'), patternBytes(4000, 99));
  await rm(path.join(dir, ids.noManifest, 'manifest.json'));
  const other = JSON.parse(await readFile(path.join(dir, ids.otherId, 'manifest.json'), 'utf8'));
  await writeFile(path.join(dir, ids.otherId, 'manifest.json'), JSON.stringify({ ...other, mediaId: ids.video }));
  const sized = JSON.parse(await readFile(path.join(dir, ids.wrongSize, 'manifest.json'), 'utf8'));
  await writeFile(path.join(dir, ids.wrongSize, 'manifest.json'), JSON.stringify({ ...sized, fileSize: 5 }));
  await legacyWebSetup(dir, ids.video, 'intro.mp4');
  await legacyWebSetup(dir, ids.secret, 'Alice notes.txt', 'another-project');
  // A web file whose bytes are no media, one named as this node serves no file, and a link.
  await writeFile(path.join(dir, 'web', LEGACY_PROJECT, 'stray.bin'), 'not a stored media');
  await writeFile(path.join(dir, 'web', LEGACY_PROJECT, '.hidden'), video);
  await symlink('/etc/passwd', path.join(dir, 'web', LEGACY_PROJECT, 'passwd'));
  await mkdir(path.join(dir, 'temp'));
  await writeFile(path.join(dir, 'temp', 'upload_1_abc'), 'half an upload');
  await writeFile(path.join(dir, 'seeder.json'), '[]');
  return { dir, video, secret, ids };
}

describe('migrate media --copy', () => {
  it('copies what checks out, reports the rest by reason, and the media server serves the result', async () => {
    const legacy = await legacyDir();
    const target = path.join(await tempDir(), 'media');
    const { code, json } = await migrateJson(target, ['--from-media', legacy.dir]);
    expect(code).toBe(0);
    expect(json.mode).toBe('copy');
    const { media, web, other } = json.report;
    expect(media).toMatchObject({ read: 6, written: 2, unchanged: 0, bytesWritten: 305_000, failed: {} });
    expect(media!.skipped).toEqual({
      'hash-mismatch': { count: 1, examples: [legacy.ids.corrupt] },
      'manifest-missing': { count: 1, examples: [legacy.ids.noManifest] },
      'manifest-invalid': { count: 1, examples: [legacy.ids.otherId] },
      'size-mismatch': { count: 1, examples: [legacy.ids.wrongSize] },
    });
    expect(web).toMatchObject({ read: 5, written: 2, unchanged: 0, failed: {} });
    expect(web!.skipped).toEqual({
      'web-name-invalid': { count: 1, examples: [`${LEGACY_PROJECT}/.hidden`] },
      symlink: { count: 1, examples: [`${LEGACY_PROJECT}/passwd`] },
      'web-unknown-bytes': { count: 1, examples: [`${LEGACY_PROJECT}/stray.bin`] },
    });
    expect(other!.skipped).toEqual({
      'legacy-temp-dir': { count: 1, examples: ['temp'] },
      'webtorrent-state': { count: 1, examples: ['seeder.json'] },
    });

    // Only media that checked out are in the media dir; nothing is left in the temp dirs.
    const ids = (await readdir(target)).filter((n) => /^[0-9a-f]{64}$/.test(n)).sort();
    expect(ids).toEqual([legacy.ids.video, legacy.ids.secret].sort());
    expect(await readdir(path.join(target, '.migrate'))).toEqual([]);

    const m = await start({ mediaDir: target });
    const url = `${m.url}/api/media/${legacy.ids.video}`;
    const whole = await get(url);
    expect(whole.status).toBe(200);
    expect(whole.body.equals(legacy.video)).toBe(true);
    expect(whole.headers['etag']).toBe(`"${legacy.ids.video}"`);
    expect(whole.headers['content-type']).toBe('video/mp4');
    const part = await get(url, { range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 1000-1999/300000');
    expect(part.body.equals(legacy.video.subarray(1000, 2000))).toBe(true);
    expect((await get(url, { 'if-none-match': `"${legacy.ids.video}"` })).status).toBe(304);

    // Private stays private: its owner reads it with a token of their key; nobody else learns it exists.
    const secretUrl = `${m.url}/api/media/${legacy.ids.secret}`;
    expect((await get(secretUrl)).status).toBe(404);
    expect((await get(secretUrl, { authorization: bearer('pk-mallory') })).status).toBe(404);
    const own = await get(secretUrl, { authorization: bearer('pk-alice') });
    expect(own.status).toBe(200);
    expect(own.body.equals(legacy.secret)).toBe(true);

    // What failed its check is not served.
    for (const id of [legacy.ids.corrupt, legacy.ids.noManifest, legacy.ids.otherId, legacy.ids.wrongSize])
      expect((await get(`${m.url}/api/media/${id}`)).status, id).toBe(404);

    // Web files at their legacy URLs, from both project directories.
    const intro = await get(`${m.url}/media/${LEGACY_PROJECT}/intro.mp4`, { range: 'bytes=0-9' });
    expect(intro.status).toBe(206);
    expect(intro.body.equals(legacy.video.subarray(0, 10))).toBe(true);
    const notes = await get(`${m.url}/media/another-project/Alice%20notes.txt`);
    expect(notes.status).toBe(200);
    expect(notes.body.equals(legacy.secret)).toBe(true);
    expect((await get(`${m.url}/media/${LEGACY_PROJECT}/stray.bin`)).status).toBe(404);
    expect((await get(`${m.url}/media/${LEGACY_PROJECT}/passwd`)).status).toBe(404);
    // A web file is a hard link to the stored bytes, as this node's web-setup makes them.
    const webSt = await lstat(path.join(target, 'web', LEGACY_PROJECT, 'intro.mp4'));
    const origSt = await lstat(path.join(target, legacy.ids.video, 'original'));
    expect(webSt.ino).toBe(origSt.ino);
    // The legacy manifest is kept as it was (webUrl and all).
    const manifest = JSON.parse(await readFile(path.join(target, legacy.ids.video, 'manifest.json'), 'utf8'));
    expect(manifest.webUrl).toBe(`https://legacy.example/media/${LEGACY_PROJECT}/intro.mp4`);
  }, 60_000);

  it('a second run changes nothing and reads again only the bytes it skipped', async () => {
    const legacy = await legacyDir();
    const target = path.join(await tempDir(), 'media');
    expect((await migrateJson(target, ['--from-media', legacy.dir])).code).toBe(0);
    const before = await snapshot(target);
    const again = await migrateJson(target, ['--from-media', legacy.dir]);
    expect(again.code).toBe(0);
    // Media here already are not read again; the corrupt one (4000 bytes) is checked again.
    expect(again.json.report.media).toMatchObject({ written: 0, unchanged: 2, bytesRead: 4000 });
    expect(again.json.report.web).toMatchObject({ written: 0, unchanged: 2 });
    expect(await snapshot(target)).toEqual(before);
  }, 60_000);

  it('keeps both uploaders when the same bytes were uploaded to this node already', async () => {
    const legacy = await tempDir();
    const bytes = patternBytes(2000, 7);
    const id = await legacyUpload(legacy, { bytes, accessLevel: 'private', publicKey: 'pk-old' });
    const target = path.join(await tempDir(), 'media');
    await legacyUpload(target, { bytes, accessLevel: 'private', publicKey: 'pk-new', originalName: 'mine.mp4' });
    const { code, json } = await migrateJson(target, ['--from-media', legacy]);
    expect(code).toBe(0);
    // The bytes were here: only the legacy uploader's view is written.
    expect(json.report.media).toMatchObject({ read: 1, written: 1, bytesRead: 0, bytesWritten: 0 });
    const primary = JSON.parse(await readFile(path.join(target, id, 'manifest.json'), 'utf8'));
    expect(primary.userPublicKey).toBe('pk-new');
    const m = await start({ mediaDir: target });
    for (const key of ['pk-old', 'pk-new']) {
      const res = await get(`${m.url}/api/media/${id}`, { authorization: bearer(key) });
      expect(res.status, key).toBe(200);
      expect(res.body.equals(bytes)).toBe(true);
    }
    expect((await get(`${m.url}/api/media/${id}`, { authorization: bearer('pk-other') })).status).toBe(404);
  }, 60_000);
});

describe('migrate media --adopt', () => {
  it('hard-links the checked files (no bytes copied) and skips a mismatch', async () => {
    const legacy = await legacyDir();
    const target = path.join(await tempDir(), 'media');
    const { code, json } = await migrateJson(target, ['--from-media', legacy.dir, '--adopt']);
    expect(code).toBe(0);
    expect(json.mode).toBe('link');
    expect(json.report.media).toMatchObject({ written: 2, bytesWritten: 0 });
    expect(json.report.media!.skipped['hash-mismatch']).toEqual({ count: 1, examples: [legacy.ids.corrupt] });
    for (const id of [legacy.ids.video, legacy.ids.secret]) {
      const a = await lstat(path.join(legacy.dir, id, 'original'));
      const b = await lstat(path.join(target, id, 'original'));
      expect(b.ino, id).toBe(a.ino);
      // The manifest is this node's own file: legacy rewriting its manifest does not change ours.
      const ma = await lstat(path.join(legacy.dir, id, 'manifest.json'));
      const mb = await lstat(path.join(target, id, 'manifest.json'));
      expect(mb.ino, id).not.toBe(ma.ino);
    }
    expect((await readdir(target)).includes(legacy.ids.corrupt)).toBe(false);
    const m = await start({ mediaDir: target });
    const res = await get(`${m.url}/api/media/${legacy.ids.video}`, { range: 'bytes=-10' });
    expect(res.status).toBe(206);
    expect(res.body.equals(legacy.video.subarray(legacy.video.length - 10))).toBe(true);
    const before = await snapshot(target);
    const again = await migrateJson(target, ['--from-media', legacy.dir, '--adopt']);
    expect(again.json.report.media).toMatchObject({ written: 0, unchanged: 2 });
    expect(await snapshot(target)).toEqual(before);
  }, 60_000);

  it('refuses (exit 2) when the two dirs are on different file systems', async () => {
    let shm: string;
    try {
      shm = await tempDir('/dev/shm');
    } catch {
      // No tmpfs at /dev/shm on this machine: nothing to cross.
      return;
    }
    const legacy = await legacyDir();
    expect((await lstat(shm)).dev).not.toBe((await lstat(legacy.dir)).dev);
    const target = path.join(shm, 'media');
    const r = await runCli(['migrate', 'media', '--from-media', legacy.dir, '--adopt'], { MEDIA_DATA_DIR: target });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/one file system \(use --copy\)/);
    await expect(lstat(target)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);
});

describe('migrate media in place (the source is the media dir)', () => {
  it('checks every file where it is and moves aside what must not be served', async () => {
    const legacy = await legacyDir();
    // A manifest this node would read (it names the id) but whose owner is not a key.
    const oddOwner = await legacyUpload(legacy.dir, { bytes: patternBytes(700, 8) });
    const oddManifest = JSON.parse(await readFile(path.join(legacy.dir, oddOwner, 'manifest.json'), 'utf8'));
    await writeFile(
      path.join(legacy.dir, oddOwner, 'manifest.json'),
      JSON.stringify({ ...oddManifest, userPublicKey: 42 }),
    );
    const { code, json } = await migrateJson(legacy.dir, ['--from-media', legacy.dir, '--adopt']);
    expect(code).toBe(0);
    expect(json.mode).toBe('in-place');
    expect(json.report.media).toMatchObject({ read: 7, written: 0, unchanged: 2 });
    expect(json.report.media!.skipped['hash-mismatch']!.count).toBe(1);
    expect(json.report.media!.skipped['manifest-invalid']!.examples).toContain(oddOwner);
    expect(json.report.web!.skipped['web-unknown-bytes']!.count).toBe(1);
    // The mismatching media and web file are moved aside, not deleted.
    const rejected = path.join(legacy.dir, '.migrate', 'rejected');
    expect((await lstat(path.join(rejected, legacy.ids.corrupt, 'original'))).isFile()).toBe(true);
    expect((await lstat(path.join(rejected, oddOwner, 'original'))).isFile()).toBe(true);
    expect((await lstat(path.join(rejected, 'web', LEGACY_PROJECT, 'stray.bin'))).isFile()).toBe(true);
    const m = await start({ mediaDir: legacy.dir });
    expect((await get(`${m.url}/api/media/${legacy.ids.corrupt}`)).status).toBe(404);
    expect((await get(`${m.url}/api/media/${oddOwner}`)).status).toBe(404);
    expect((await get(`${m.url}/media/${LEGACY_PROJECT}/stray.bin`)).status).toBe(404);
    const served = await get(`${m.url}/api/media/${legacy.ids.video}`, { range: 'bytes=5-14' });
    expect(served.status).toBe(206);
    expect(served.body.equals(legacy.video.subarray(5, 15))).toBe(true);
    expect((await get(`${m.url}/media/${LEGACY_PROJECT}/intro.mp4`)).status).toBe(200);
    await m.app.close();
    const before = await snapshot(legacy.dir);
    const again = await migrateJson(legacy.dir, ['--from-media', legacy.dir]);
    expect(again.json.report.media).toMatchObject({
      written: 0,
      unchanged: 2,
      skipped: expect.not.objectContaining({ 'hash-mismatch': expect.anything() }),
    });
    expect(await snapshot(legacy.dir)).toEqual(before);
  }, 60_000);
});

describe('migrate media --dry-run', () => {
  it('writes nothing (not even the media dir) and reports what a run would do', async () => {
    const legacy = await legacyDir();
    const target = path.join(await tempDir(), 'media');
    const sourceBefore = await snapshot(legacy.dir);
    const { code, json } = await migrateJson(target, ['--from-media', legacy.dir, '--dry-run']);
    expect(code).toBe(0);
    expect(json.dryRun).toBe(true);
    expect(json.report.media).toMatchObject({ read: 6, written: 2, bytesWritten: 305_000 });
    expect(json.report.media!.skipped['hash-mismatch']!.count).toBe(1);
    expect(json.report.web).toMatchObject({ written: 2 });
    await expect(lstat(target)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await snapshot(legacy.dir)).toEqual(sourceBefore);
  }, 60_000);
});

describe('migrate media: usage and refusals', () => {
  it.each([
    [['migrate', 'media'], /--from-media DIR is required/],
    [['migrate', 'media', '--from-media', '/x', '--adopt', '--copy'], /exclude each other/],
    [['migrate', 'media', '--from-media', '/x', '--bogus'], /unknown option '--bogus'/],
    [['migrate', 'records'], /unknown command 'records'/],
  ])('%j exits 2 with the reason and the usage', async (args, reason) => {
    const r = await runCli(args, { MEDIA_DATA_DIR: path.join(os.tmpdir(), 'never-created-media') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(reason);
    expect(r.stderr).toMatch(/\nusage: oip migrate (media )?\[options\]/);
  });

  it('--help answers the usage, exit 0', async () => {
    const r = await runCli(['migrate', 'media', '--help'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: oip migrate media \[options\]/);
    expect(r.stdout).toMatch(
      /--from-media <dir>[\s\S]*--copy[\s\S]*--adopt[\s\S]*--dry-run[\s\S]*--json[\s\S]*Example:/,
    );
  });

  it('a source that does not exist exits 2 naming it', async () => {
    const target = path.join(await tempDir(), 'media');
    const r = await runCli(['migrate', 'media', '--from-media', '/nonexistent/legacy'], { MEDIA_DATA_DIR: target });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('migrate media: --from-media /nonexistent/legacy: no such directory');
  });

  it('a media dir another live run holds exits 1 and touches nothing', async () => {
    const legacy = await legacyDir();
    const target = path.join(await tempDir(), 'media');
    await mkdir(path.join(target, '.migrate'), { recursive: true });
    // This test process is alive: its pid holds the lock.
    await writeFile(path.join(target, '.migrate', 'media.lock'), String(process.pid));
    const r = await runCli(['migrate', 'media', '--from-media', legacy.dir], { MEDIA_DATA_DIR: target });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(`another migrate media runs into this media dir (pid ${process.pid})`);
    expect((await readdir(target)).filter((n) => /^[0-9a-f]{64}$/.test(n))).toEqual([]);
  });
});
