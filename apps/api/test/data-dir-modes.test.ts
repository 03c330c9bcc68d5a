// The api opens the record store and the accounts store in STORE_DATA_DIR: the directory 0700 and
// records.db, accounts.sqlite and their -wal/-shm 0600, also when it finds them world-readable.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, parseConfig } from '../src/app.js';

let root: string;
const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'api-modes-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('api data directory modes', () => {
  it('makes a world-readable STORE_DATA_DIR and its databases private at start', async () => {
    const dataDir = path.join(root, 'records');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const app = buildApp(
      parseConfig({ store: { kind: 'sqlite', dataDir }, relayUrl: 'http://127.0.0.1:9', logLevel: 'silent' }),
    );
    try {
      await app.ready();
      // A first account and a first page read: both databases exist with their WAL files.
      await app.accounts.register({ email: 'modes@example.org', password: 'quiet-lantern-orbit-7294-Maple' });
      expect((await app.inject('/api/records')).statusCode).toBe(200);
      const files = ['records.db', 'accounts.sqlite']
        .flatMap((f) => [f, `${f}-wal`, `${f}-shm`])
        .map((f) => path.join(dataDir, f));
      expect(files.every(existsSync)).toBe(true);
      expect([mode(dataDir), ...files.map(mode)]).toEqual(['700', ...files.map(() => '600')]);
    } finally {
      await app.close();
    }
  });
});
