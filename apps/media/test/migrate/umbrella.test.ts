// `node scripts/oip.mjs migrate …` (scripts/migrate.mjs) with the media part: one part run by
// name, the umbrella running the parts its sources call for with a summary, usage errors, and a
// part that is not there reported (exit 2) before anything is migrated. The umbrella runs with
// --no-build (the media CLI is built in beforeAll; other helpers' packages may be mid-edit).
import { runNode } from '@oip/test-kit';
import { copyFile, mkdir, mkdtemp, lstat, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { patternBytes } from '../helpers.js';
import { appRoot, legacyUpload, legacyWebSetup, repoRoot, type ReportJson } from './legacy-media-dir.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'migrate-umbrella-'));
  dirs.push(d);
  return d;
}

async function oip(root: string, args: string[], env: Record<string, string>) {
  return runNode([path.join(root, 'scripts/oip.mjs'), 'migrate', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    timeoutMs: 60_000,
  });
}

async function legacy() {
  const dir = await tempDir();
  const id = await legacyUpload(dir, { bytes: patternBytes(10_000, 3) });
  await legacyWebSetup(dir, id, 'poster.jpg');
  return { dir, id };
}

const mediaIds = async (dir: string) => (await readdir(dir)).filter((n) => /^[0-9a-f]{64}$/.test(n));

describe('node scripts/oip.mjs migrate', () => {
  it('`migrate media …` runs the media part with its flags as given', async () => {
    const src = await legacy();
    const target = path.join(await tempDir(), 'media');
    const r = await oip(repoRoot, ['media', '--from-media', src.dir, '--json', '--no-build'], {
      MEDIA_DATA_DIR: target,
    });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('{'))!) as ReportJson;
    expect(json.report.media).toMatchObject({ read: 1, written: 1 });
    expect(json.report.web).toMatchObject({ read: 1, written: 1 });
    expect(await mediaIds(target)).toEqual([src.id]);
  }, 60_000);

  it('with --from-media alone runs media, then a summary', async () => {
    const src = await legacy();
    const target = path.join(await tempDir(), 'media');
    const r = await oip(repoRoot, ['--from-media', src.dir, '--adopt', '--no-build'], { MEDIA_DATA_DIR: target });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/adopted by hard link/);
    expect(r.stdout).toMatch(/\[oip\] migrate: summary\n\[oip\] {3}media: done\n/);
    const a = await lstat(path.join(src.dir, src.id, 'original'));
    const b = await lstat(path.join(target, src.id, 'original'));
    expect(b.ino).toBe(a.ino);
  }, 60_000);

  it('reports a part that is not there (exit 2) and migrates nothing', async () => {
    // A checkout where only the media app is built: accounts and records are missing.
    const root = await tempDir();
    await mkdir(path.join(root, 'scripts'));
    for (const f of (await readdir(path.join(repoRoot, 'scripts'))).filter((n) => n.endsWith('.mjs')))
      await copyFile(path.join(repoRoot, 'scripts', f), path.join(root, 'scripts', f));
    await copyFile(path.join(repoRoot, 'package.json'), path.join(root, 'package.json'));
    // Installed (the umbrella's options are commander's, from the root's node_modules), media alone built.
    await symlink(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
    await mkdir(path.join(root, 'apps', 'media'), { recursive: true });
    await symlink(path.join(appRoot, 'dist'), path.join(root, 'apps', 'media', 'dist'));
    const src = await legacy();
    const target = path.join(await tempDir(), 'media');
    const r = await oip(
      root,
      ['--from-elasticsearch', 'http://127.0.0.1:9', '--from-media', src.dir, '--dry-run', '--no-build'],
      { MEDIA_DATA_DIR: target },
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      '[oip] migrate: the accounts part is not available: apps/api/dist/cli.js is not built (run `pnpm build`)',
    );
    expect(r.stdout).toContain(
      '[oip] migrate: the records part is not available: apps/sync-worker/dist/cli.js is not built (run `pnpm build`)',
    );
    expect(r.stdout).toContain('[oip] migrate: nothing was migrated');
    expect(r.stdout).not.toMatch(/migrate: media/);
    await expect(lstat(target)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);

  it.each([
    [[], /give --from-elasticsearch URL, --from-media DIR, or both/],
    [['--from-media', '/x', '--username', 'u'], /--username is for accounts and records, which do not run here/],
    [['--from-media', '/x', '--follow'], /--follow follows the legacy index: it needs --from-elasticsearch URL/],
    [['--from-media', '/x', '--users-index', 'u'], /--users-index is for accounts, which does not run here/],
    [['--from-media', '/x', '--index', 'users'], /unknown option '--index'/],
  ])('%j is a usage error (exit 2)', async (args, reason) => {
    const r = await oip(repoRoot, [...args, '--no-build'], {});
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(reason);
    expect(r.stderr).toMatch(/^Usage: oip migrate \[options\][\s\S]*--from-elasticsearch <url>/);
  });

  it('--help explains the parts, exit 0', async () => {
    const r = await oip(repoRoot, ['--help'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/accounts {2}the legacy users index/);
    expect(r.stdout).toMatch(/media {5}the legacy MEDIA_DIR and web\//);
  });
});
