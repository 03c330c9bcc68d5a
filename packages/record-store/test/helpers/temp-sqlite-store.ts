// A fresh SQLite store in its own temporary folder for each test of a describe block, closed and
// removed after it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createSqliteRecordStore, type SqliteRecordStore } from '../../src/index.js';

export interface TempSqliteStore {
  readonly store: SqliteRecordStore;
  readonly dir: string;
}

/** Call inside a describe block; read `store` and `dir` inside its tests. */
export function useTempSqliteStore(prefix: string): TempSqliteStore {
  let dir = '';
  let store: SqliteRecordStore | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    store = createSqliteRecordStore({ dataDir: dir });
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get store() {
      if (store === undefined) throw new Error('useTempSqliteStore: read store inside a test');
      return store;
    },
    get dir() {
      return dir;
    },
  };
}
