import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, ensurePrivateFile, ensurePrivateSqliteFile } from '../src/index.js';

let root: string;
const mode = (p: string): number => statSync(p).mode & 0o7777;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'private-files-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('ensurePrivateDir', () => {
  it('creates missing directories, parents included, 0700', () => {
    const dir = path.join(root, 'a', 'b', 'c');
    expect(ensurePrivateDir(dir)).toBe(dir);
    expect([mode(path.join(root, 'a')), mode(path.join(root, 'a', 'b')), mode(dir)]).toEqual([0o700, 0o700, 0o700]);
  });

  it.each([0o755, 0o775, 0o777, 0o750, 0o701])(
    'tightens an existing %o directory to 0700 and leaves its files alone',
    (loose) => {
      const dir = path.join(root, 'data');
      mkdirSync(dir);
      chmodSync(dir, loose);
      writeFileSync(path.join(dir, 'keep'), 'x');
      ensurePrivateDir(dir);
      expect(mode(dir)).toBe(0o700);
      expect(readFileSync(path.join(dir, 'keep'), 'utf8')).toBe('x');
    },
  );

  it('leaves a stricter directory as it is, and never touches a sticky one (/tmp)', () => {
    const strict = path.join(root, 'strict');
    mkdirSync(strict);
    chmodSync(strict, 0o500);
    ensurePrivateDir(strict);
    expect(mode(strict)).toBe(0o500);
    const shared = path.join(root, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    ensurePrivateDir(shared);
    expect(mode(shared)).toBe(0o1777);
  });
});

describe('ensurePrivateFile', () => {
  it('creates a missing file empty, 0600', () => {
    const file = path.join(root, 'secret');
    ensurePrivateFile(file);
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it.each([0o644, 0o666, 0o640, 0o604])('tightens an existing %o file to 0600, content kept', (loose) => {
    const file = path.join(root, 'secret');
    writeFileSync(file, 'hash');
    chmodSync(file, loose);
    ensurePrivateFile(file);
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('hash');
  });
});

describe('ensurePrivateSqliteFile', () => {
  it('creates the database file 0600 and tightens the -wal, -shm and -journal that exist', () => {
    const db = path.join(root, 'records.db');
    for (const suffix of ['-wal', '-shm']) {
      writeFileSync(db + suffix, 'x');
      chmodSync(db + suffix, 0o644);
    }
    ensurePrivateSqliteFile(db);
    expect([mode(db), mode(`${db}-wal`), mode(`${db}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    expect(() => statSync(`${db}-journal`)).toThrow(/ENOENT/);
  });
});
