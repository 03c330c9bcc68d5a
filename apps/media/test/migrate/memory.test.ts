// `migrate media` holds one read buffer of a file, not the file: the peak RSS of the CLI process
// copying (and adopting) a 128 MiB media stays within 64 MiB of the same CLI migrating a few
// small files (a file read whole would add its 128 MiB). Measured in the real process (its
// VmHWM at exit, through --import).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { patternBytes } from '../helpers.js';
import { appRoot, cliPath, legacyUpload } from './legacy-media-dir.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'migrate-memory-'));
  dirs.push(d);
  return d;
}

// VmHWM, the peak RSS of this process image (getrusage's maxrss keeps the forking parent's peak
// across exec, so a child of a big test worker would report the worker's).
const REPORT_RSS =
  'data:text/javascript,import { readFileSync } from "node:fs"; process.on("exit", () => process.stderr.write("maxrss=" + /VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status", "utf8"))[1] + "\\n"))';

/** The CLI's exit code and peak RSS (bytes) migrating `from` into a new media dir. */
async function peakRss(from: string, extra: string[] = []): Promise<number> {
  const target = path.join(await tempDir(), 'media');
  const child = spawn(
    process.execPath,
    ['--import', REPORT_RSS, cliPath, 'migrate', 'media', '--from-media', from, '--json', ...extra],
    {
      cwd: appRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', MEDIA_DATA_DIR: target },
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code, err).toBe(0);
  expect(JSON.parse(out).report.media.written).toBeGreaterThan(0);
  const kb = /maxrss=(\d+)/.exec(err)?.[1];
  expect(kb, err).toBeDefined();
  return Number(kb) * 1024;
}

describe('migrate media memory', () => {
  it('copying or adopting a 128 MiB file stays within 64 MiB of migrating small ones', async () => {
    const small = await tempDir();
    for (let i = 0; i < 3; i++) await legacyUpload(small, { bytes: patternBytes(1000, i) });
    const big = await tempDir();
    const block = randomBytes(64 * 1024);
    const bytes = Buffer.alloc(128 * 1024 * 1024);
    for (let off = 0; off < bytes.length; off += block.length) block.copy(bytes, off);
    bytes.writeUInt32BE(Date.now() >>> 0, 0);
    await legacyUpload(big, { bytes });

    const baseline = await peakRss(small);
    const copied = await peakRss(big);
    const adopted = await peakRss(big, ['--adopt']);
    expect(copied - baseline).toBeLessThan(64 * 1024 * 1024);
    expect(adopted - baseline).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);
});
