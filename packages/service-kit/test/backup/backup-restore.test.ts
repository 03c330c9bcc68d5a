// @oip/service-kit/backup on real files: an SQLite database with rows still in its WAL (held open by
// another connection, as a running app holds it), a directory and a secret file backed up; then
// restored, refused, forced and checked for damage, with the codes an operator sees.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BackupErrorCodes,
  backupPart,
  restorePart,
  runBackupCli,
  sqliteInUse,
  type BackupPartSpec,
} from '../../src/backup.js';

let dir: string;
let live: Database.Database | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oip-backup-'));
});
afterEach(async () => {
  live?.close();
  live = null;
  await rm(dir, { recursive: true, force: true });
});

/** A node's data under `root`: a WAL database with 3 rows, a directory with a temp entry, a secret. */
function makeData(root: string): void {
  mkdirSync(join(root, 'media', 'abc'), { recursive: true });
  mkdirSync(join(root, 'media', '.tmp'), { recursive: true });
  writeFileSync(join(root, 'media', 'abc', 'original'), 'image bytes');
  writeFileSync(join(root, 'media', '.tmp', 'upload'), 'half an upload');
  writeFileSync(join(root, 'secret'), 'a secret');
  live = new Database(join(root, 'data.sqlite'));
  live.pragma('journal_mode = WAL');
  live.pragma('wal_autocheckpoint = 0');
  live.exec('CREATE TABLE t (x TEXT)');
  for (const x of ['a', 'b', 'c']) live.prepare('INSERT INTO t VALUES (?)').run(x);
}

function specOf(root: string, listens: BackupPartSpec['listens'] = []): BackupPartSpec {
  return {
    app: 'demo',
    version: '1.2.3',
    items: [
      {
        kind: 'sqlite',
        name: 'data.sqlite',
        path: join(root, 'data.sqlite'),
        counts: { rows: 'SELECT COUNT(*) FROM t' },
      },
      { kind: 'dir', name: 'media', path: join(root, 'media'), skip: ['.tmp'] },
      { kind: 'file', name: 'secret', path: join(root, 'secret') },
    ],
    skipped: [],
    listens,
  };
}

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (err: { code?: string }) => err.code,
  );

describe('backupPart', () => {
  it('copies a database open in another connection, rows still in its WAL, with counts and sha256', async () => {
    makeData(join(dir, 'data'));
    // The rows are in the WAL only: a copy of the main file alone would have no table.
    expect(readFileSync(join(dir, 'data', 'data.sqlite-wal')).length).toBeGreaterThan(0);
    const { manifest } = await backupPart(specOf(join(dir, 'data')), join(dir, 'backup'));
    expect(manifest.items['data.sqlite']).toEqual({ rows: 3 });
    expect(manifest.items['media']).toEqual({ files: 1 });
    expect(manifest.files.map((f) => f.path).sort()).toEqual(['data.sqlite', 'media/abc/original', 'secret']);
    const copy = new Database(join(dir, 'backup', 'data.sqlite'), { readonly: true });
    expect(copy.prepare('SELECT x FROM t ORDER BY x').pluck().all()).toEqual(['a', 'b', 'c']);
    copy.close();
  });

  it('refuses a directory that is not empty', async () => {
    makeData(join(dir, 'data'));
    mkdirSync(join(dir, 'backup'));
    writeFileSync(join(dir, 'backup', 'x'), '');
    expect(await codeOf(backupPart(specOf(join(dir, 'data')), join(dir, 'backup')))).toBe(
      BackupErrorCodes.TARGET_NOT_EMPTY,
    );
  });
});

describe('restorePart', () => {
  beforeEach(async () => {
    makeData(join(dir, 'data'));
    await backupPart(specOf(join(dir, 'data')), join(dir, 'backup'));
  });

  it('restores into empty places: the same bytes, the database readable', async () => {
    await restorePart(specOf(join(dir, 'new')), join(dir, 'backup'));
    expect(readFileSync(join(dir, 'new', 'media', 'abc', 'original'), 'utf8')).toBe('image bytes');
    expect(existsSync(join(dir, 'new', 'media', '.tmp'))).toBe(false);
    expect(readFileSync(join(dir, 'new', 'secret'), 'utf8')).toBe('a secret');
    const db = new Database(join(dir, 'new', 'data.sqlite'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(3);
    db.close();
  });

  it('refuses data already there, and with --force replaces it, dropping the old -wal', async () => {
    live!.close();
    live = null;
    const stale = new Database(join(dir, 'data', 'data.sqlite'));
    stale.exec("DELETE FROM t; INSERT INTO t VALUES ('stale')");
    stale.close();
    writeFileSync(join(dir, 'data', 'data.sqlite-wal'), 'not a wal the restored file may replay');
    expect(await codeOf(restorePart(specOf(join(dir, 'data')), join(dir, 'backup')))).toBe(
      BackupErrorCodes.TARGET_NOT_EMPTY,
    );
    await restorePart(specOf(join(dir, 'data')), join(dir, 'backup'), { force: true });
    expect(existsSync(join(dir, 'data', 'data.sqlite-wal'))).toBe(false);
    const db = new Database(join(dir, 'data', 'data.sqlite'), { readonly: true });
    expect(db.prepare('SELECT x FROM t ORDER BY x').pluck().all()).toEqual(['a', 'b', 'c']);
    db.close();
  });

  it('refuses while another connection holds the database open, even with --force', async () => {
    expect(sqliteInUse(join(dir, 'data', 'data.sqlite'))).toBe(true);
    expect(await codeOf(restorePart(specOf(join(dir, 'data')), join(dir, 'backup'), { force: true }))).toBe(
      BackupErrorCodes.NODE_RUNNING,
    );
    live!.close();
    live = null;
    expect(sqliteInUse(join(dir, 'data', 'data.sqlite'))).toBe(false);
  });

  it('refuses while the app answers on its port', async () => {
    const server = net.createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const spec = specOf(join(dir, 'new'), [{ host: '127.0.0.1', port, variable: 'DEMO_PORT' }]);
      expect(await codeOf(restorePart(spec, join(dir, 'backup')))).toBe(BackupErrorCodes.NODE_RUNNING);
      expect(existsSync(join(dir, 'new'))).toBe(false);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('refuses a damaged or missing file and a missing manifest, changing nothing', async () => {
    writeFileSync(join(dir, 'backup', 'media', 'abc', 'original'), 'image bytez');
    expect(await codeOf(restorePart(specOf(join(dir, 'new')), join(dir, 'backup')))).toBe(BackupErrorCodes.CORRUPT);
    await rm(join(dir, 'backup', 'secret'));
    expect(await codeOf(restorePart(specOf(join(dir, 'new')), join(dir, 'backup')))).toBe(BackupErrorCodes.CORRUPT);
    await rm(join(dir, 'backup', 'manifest.json'));
    expect(await codeOf(restorePart(specOf(join(dir, 'new')), join(dir, 'backup')))).toBe(
      BackupErrorCodes.MANIFEST_INVALID,
    );
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });
});

describe('runBackupCli', () => {
  const run = async (argv: string[], spec: () => BackupPartSpec) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runBackupCli(argv, {
      name: 'demo-backup',
      spec,
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    });
    return { code, out, err };
  };

  it('exit 0 with a line per item; 1 with the code on a refusal; 2 on usage and configuration errors', async () => {
    makeData(join(dir, 'data'));
    const spec = () => specOf(join(dir, 'data'));
    const ok = await run(['backup', join(dir, 'backup')], spec);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('demo: data.sqlite: 1 file(s), rows 3');
    const refused = await run(['backup', join(dir, 'backup')], spec);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/^BACKUP_ERR_TARGET_NOT_EMPTY: /);
    expect((await run(['restore'], spec)).code).toBe(2);
    expect((await run(['frobnicate'], spec)).code).toBe(2);
    const badConfig = await run(['backup', join(dir, 'other')], () => {
      throw Object.assign(new Error('DEMO_PORT must be an integer'), { code: 'CONFIG_INVALID' });
    });
    expect(badConfig).toMatchObject({ code: 2, err: ['demo-backup: DEMO_PORT must be an integer'] });
  });
});
