// A schema upgrade that rewrites every record logs its progress at info through the store's
// logger: a start line, rows done / total with the time left for each rewriting step (v6's search
// indexes, v7's access grants), and an end line with the duration. A new file and a file at the
// current version log none of it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteRecordStore, type MigrationLogger } from '../src/index.js';
import { SCHEMA_VERSION } from '../src/sqlite/schema.js';
import { makeRecord } from './helpers/records.js';

const require = createRequire(import.meta.url);

interface Line {
  obj: Record<string, unknown>;
  msg: string;
}

function capture(): { logger: MigrationLogger; lines: Line[] } {
  const lines: Line[] = [];
  return { lines, logger: { info: (obj, msg) => lines.push({ obj: obj as Record<string, unknown>, msg }) } };
}

const RECORDS = 2500;
const PRIVATE = 700;

describe('SQLite schema upgrade progress', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oip-record-store-progress-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('logs rows done / total and the time left while v5 → current rewrites the records', async () => {
    const filename = join(dir, 'records.db');
    const fresh = capture();
    const store = createSqliteRecordStore({ filename, logger: fresh.logger });
    const records = Array.from({ length: RECORDS }, (_, i) =>
      makeRecord({
        soul: `progress:${i}`,
        tags: [`tag${i % 7}`],
        inArweaveBlock: i,
        ...(i < PRIVATE ? { data: { accessControl: { access_level: 'private', owner_public_key: 'pk-a' } } } : {}),
      }),
    );
    for (let i = 0; i < RECORDS; i += 1000) await store.bulkUpsert(records.slice(i, i + 1000));
    await store.close();
    // A new file is made at the current version: nothing to upgrade, nothing logged.
    expect(fresh.lines).toEqual([]);

    const raw = new Database(filename);
    raw.pragma('user_version = 5');
    raw.close();

    const { logger, lines } = capture();
    const upgraded = createSqliteRecordStore({ filename, logger, upgradeProgressIntervalMs: 0 });
    await upgraded.close();

    expect(lines[0]!.msg).toMatch(
      /^record store: upgrading the schema from v5 to v\d+; the store opens when it is done$/,
    );
    expect(lines.at(-1)!.msg).toMatch(/^record store: schema upgraded from v5 to v\d+ in \d+\.\d s$/);
    const step = (name: string) => lines.filter((l) => l.obj['step'] === name).map((l) => l.obj);

    const search = step('search indexes rebuilt');
    expect(search.map((o) => o['done'])).toEqual([0, 1000, 2000, 2500]);
    expect(search.every((o) => o['total'] === RECORDS)).toBe(true);
    // No estimate before the first batch; one from the rate so far after it.
    expect(search[0]!['etaSeconds']).toBeNull();
    expect(search.slice(1).every((o) => typeof o['etaSeconds'] === 'number')).toBe(true);
    expect(search.at(-1)!['percent']).toBe(100);

    const grants = step('access grants filled');
    expect(grants.map((o) => o['done'])).toEqual([0, PRIVATE]);
    expect(grants.every((o) => o['total'] === PRIVATE)).toBe(true);

    const progressLines = lines.filter((l) => l.obj['step'] !== undefined).map((l) => l.msg);
    expect(progressLines).toContain(
      `record store upgrade to schema v${String(search[0]!['toVersion'])} (search indexes rebuilt): 0/${RECORDS} rows (0%), estimating the time left`,
    );
    expect(
      progressLines.some((m) => /\(search indexes rebuilt\): 1000\/2500 rows \(40%\), about \d+ s left$/.test(m)),
    ).toBe(true);
    expect(
      progressLines.some((m) => /\(search indexes rebuilt\): 2500\/2500 rows \(100%\), done in \d+\.\d s$/.test(m)),
    ).toBe(true);

    // Upgraded: opening again logs nothing.
    const again = capture();
    await createSqliteRecordStore({ filename, logger: again.logger }).close();
    expect(again.lines).toEqual([]);
  }, 60_000);

  it('logs one line a step per interval at most, plus the first and the last', async () => {
    const filename = join(dir, 'records.db');
    const store = createSqliteRecordStore({ filename });
    const records = Array.from({ length: RECORDS }, (_, i) => makeRecord({ soul: `slow:${i}`, inArweaveBlock: i }));
    for (let i = 0; i < RECORDS; i += 1000) await store.bulkUpsert(records.slice(i, i + 1000));
    await store.close();
    const raw = new Database(filename);
    raw.pragma('user_version = 5');
    raw.close();
    const { logger, lines } = capture();
    await createSqliteRecordStore({ filename, logger, upgradeProgressIntervalMs: 600_000 }).close();
    expect(lines.filter((l) => l.obj['step'] === 'search indexes rebuilt').map((l) => l.obj['done'])).toEqual([
      0,
      RECORDS,
    ]);
  }, 60_000);
});

describe('two processes opening an old file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oip-record-store-upgrade-wait-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('the second waits for the first one’s upgrade past its busy timeout, then opens the upgraded file', async () => {
    const filename = join(dir, 'records.db');
    const store = createSqliteRecordStore({ filename });
    await store.bulkUpsert([makeRecord({ soul: 'wait:1' })]);
    await store.close();
    const raw = new Database(filename);
    raw.pragma('user_version = 5');
    raw.close();
    // Another process holds the write lock for 1.5 s, as an upgrade in the other app would.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(${JSON.stringify(filename)});
         db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 1500);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((done) => holder.once('exit', done));
    try {
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => fail(new Error('the lock holder did not start in 10 s')), 10_000);
        holder.stdout!.once('data', () => {
          clearTimeout(timer);
          done();
        });
      });
      const startedAt = performance.now();
      const opened = createSqliteRecordStore({ filename, busyTimeoutMs: 100 });
      expect(performance.now() - startedAt).toBeGreaterThan(1000);
      expect((await opened.get('did:gun:wait:1'))?.oip).toBeDefined();
      await opened.close();
    } finally {
      holder.kill('SIGKILL');
      await exited;
    }
    const check = new Database(filename, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
  }, 30_000);
});
