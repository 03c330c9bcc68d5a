// Two OS processes writing one SQLite file at once, as two sync-worker processes would:
// WAL + busy_timeout serialise them without errors, and the field-type guard holds across them.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteRecordStore } from '../src/index.js';

const helpers = fileURLToPath(new URL('./helpers/', import.meta.url));

interface ChildReport {
  ok: number;
  failed: number;
  thrown: string[];
  race: null | { ok: boolean; code?: string };
}

function runWriter(dir: string, name: string, count: number, batch: number, raceValue: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        '@oip/vitest-config/register-ts',
        join(helpers, 'store-writer-child.ts'),
        dir,
        name,
        String(count),
        String(batch),
        raceValue,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`writer ${name} exited ${code}: ${err.slice(0, 2000)}`));
      else resolve(JSON.parse(out) as ChildReport);
    });
  });
}

describe('SqliteRecordStore shared by two processes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oip-record-store-mp-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('both processes store everything; exactly one of two conflicting field types wins', async () => {
    const [a, b] = await Promise.all([
      runWriter(dir, 'alpha', 1000, 50, 'object'),
      runWriter(dir, 'beta', 1000, 50, 'string'),
    ]);
    expect(a.thrown).toEqual([]);
    expect(b.thrown).toEqual([]);
    expect(a.ok + b.ok).toBe(2000);
    expect(a.failed + b.failed).toBe(0);
    const raceResults = [a.race, b.race];
    expect(raceResults.filter((r) => r?.ok === true)).toHaveLength(1);
    expect(raceResults.filter((r) => r?.ok === false && r.code === 'STORE_ERR_MAPPING')).toHaveLength(1);

    const store = createSqliteRecordStore({ dataDir: dir });
    try {
      expect(await store.count()).toBe(2001);
      expect(await store.countByType()).toEqual({ post: 2000, race: 1 });
      const winner = a.race?.ok === true ? 'object' : 'text';
      expect(store.fieldType('data.race.value')).toBe(winner);
      expect((await store.search({ tags: ['alpha', 'shared'], tagsMatchMode: 'AND', limit: 1 })).total).toBe(1000);
    } finally {
      await store.close();
    }
  });
});
