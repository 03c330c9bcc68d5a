// A `migrate media` run SIGKILLed half-way (when its cursor passes the middle media id) and run
// again ends with the same media dir as a run never interrupted, resuming after the cursor; and
// the sorted name walk behind it reads a directory a bounded batch at a time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { namesAfter, sortedNames } from '../../src/migrate/sorted-names.js';
import { patternBytes } from '../helpers.js';
import { appRoot, cliPath, legacyUpload, legacyWebSetup, migrateJson } from './legacy-media-dir.js';
import { contentOf, snapshot } from './tree.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'migrate-resume-'));
  dirs.push(d);
  return d;
}

const MEDIA = 400;

describe('migrate media after a kill', () => {
  it('resumes after its cursor and ends with the same media dir as an uninterrupted run', async () => {
    const legacy = await tempDir();
    const ids: string[] = [];
    for (let i = 0; i < MEDIA; i++) {
      // patternBytes repeats every 256 seeds: the index in front makes each file its own.
      const bytes = patternBytes(64 * 1024, i);
      bytes.writeUInt32BE(i, 0);
      ids.push(await legacyUpload(legacy, { bytes }));
    }
    expect(new Set(ids).size).toBe(MEDIA);
    await legacyWebSetup(legacy, ids[0]!, 'first.bin');
    await legacyWebSetup(legacy, ids[MEDIA - 1]!, 'last.bin');
    const middle = [...ids].sort()[MEDIA / 2]!;

    const whole = path.join(await tempDir(), 'media');
    expect((await migrateJson(whole, ['--from-media', legacy])).code).toBe(0);

    const killed = path.join(await tempDir(), 'media');
    const cursorFile = path.join(killed, '.migrate', 'media-cursor.json');
    const child = spawn(process.execPath, [cliPath, 'migrate', 'media', '--from-media', legacy], {
      cwd: appRoot,
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '', MEDIA_DATA_DIR: killed },
    });
    const exited = once(child, 'exit');
    try {
      await until(
        async () => {
          const text = await readFile(cursorFile, 'utf8').catch(() => null);
          if (text === null) return false;
          const c = JSON.parse(text) as { phase: string; after: string };
          return c.phase === 'media' && c.after >= middle;
        },
        { what: 'the cursor past the middle media id', timeoutMs: 60_000, intervalMs: 5 },
      );
    } finally {
      child.kill('SIGKILL');
    }
    const [, signal] = (await exited) as [number | null, string | null];
    expect(signal).toBe('SIGKILL');
    const stored = (await readdir(killed)).filter((n) => /^[0-9a-f]{64}$/.test(n));
    expect(stored.length).toBeGreaterThanOrEqual(MEDIA / 2);
    expect(stored.length).toBeLessThan(MEDIA);

    const rerun = await migrateJson(killed, ['--from-media', legacy]);
    expect(rerun.code).toBe(0);
    expect(rerun.json.resumedAfter).toMatch(/^media:[0-9a-f]{64}$/);
    // Only what came after the cursor was walked again.
    expect(rerun.json.report.media!.read).toBeLessThan(MEDIA / 2 + 1);
    expect(contentOf(await snapshot(killed))).toEqual(contentOf(await snapshot(whole)));
    // The cursor is gone once a run got to the end; the next run walks everything and writes nothing.
    expect(await readdir(path.join(killed, '.migrate'))).toEqual([]);
    const third = await migrateJson(killed, ['--from-media', legacy]);
    expect(third.json.resumedAfter).toBeNull();
    expect(third.json.report.media).toMatchObject({ read: MEDIA, written: 0, unchanged: MEDIA });
  }, 180_000);
});

describe('migrate media: the cursor', () => {
  it('in the web phase resumes after its project and file; a cursor of another source is ignored', async () => {
    const legacy = await tempDir();
    const id = await legacyUpload(legacy, { bytes: patternBytes(3000, 9) });
    const target = path.join(await tempDir(), 'media');
    expect((await migrateJson(target, ['--from-media', legacy])).code).toBe(0);
    for (const [project, file] of [
      ['alpha', 'a.bin'],
      ['beta', 'a.bin'],
      ['beta', 'b.bin'],
      ['beta', 'c.bin'],
      ['gamma', 'a.bin'],
    ] as const)
      await legacyWebSetup(legacy, id, file, project);
    const cursorFile = path.join(target, '.migrate', 'media-cursor.json');
    const source = await realpath(legacy);
    await writeFile(
      cursorFile,
      JSON.stringify({ version: 1, source, mode: 'copy', phase: 'web', project: 'beta', after: 'b.bin' }),
    );
    const resumed = await migrateJson(target, ['--from-media', legacy]);
    expect(resumed.code).toBe(0);
    expect(resumed.json.resumedAfter).toBe('web:beta/b.bin');
    // The media phase was done: not walked again.
    expect(resumed.json.report.media).toBeUndefined();
    expect(resumed.json.report.web).toMatchObject({ read: 2, written: 2 });
    expect((await readdir(path.join(target, 'web'))).sort()).toEqual(['beta', 'gamma']);
    expect((await readdir(path.join(target, 'web', 'beta'))).sort()).toEqual(['c.bin']);

    await writeFile(
      cursorFile,
      JSON.stringify({ version: 1, source: '/elsewhere', mode: 'copy', phase: 'web', project: 'zzz', after: 'z' }),
    );
    const whole = await migrateJson(target, ['--from-media', legacy]);
    expect(whole.json.resumedAfter).toBeNull();
    expect(whole.json.report.media).toMatchObject({ read: 1, unchanged: 1 });
    expect(whole.json.report.web).toMatchObject({ read: 5, written: 3, unchanged: 2 });
  }, 60_000);
});

describe('sortedNames', () => {
  it('walks every name in order, a bounded batch a pass, resuming after a name', async () => {
    const dir = await tempDir();
    const names: string[] = [];
    for (let i = 0; i < 500; i++) names.push(`n-${((i * 7919) % 500).toString(36)}-${i}`);
    await Promise.all(names.map((n) => writeFile(path.join(dir, n), '')));
    await mkdir(path.join(dir, 'a-directory'));
    const all = [...names, 'a-directory'].sort();
    const walked: string[] = [];
    for await (const n of sortedNames(dir, { batch: 37 })) walked.push(n);
    expect(walked).toEqual(all);
    const batch = await namesAfter(dir, all[100]!, 37);
    expect(batch).toEqual(all.slice(101, 138));
    const rest: string[] = [];
    for await (const n of sortedNames(dir, { after: all[450]!, batch: 37 })) rest.push(n);
    expect(rest).toEqual(all.slice(451));
  });
});
