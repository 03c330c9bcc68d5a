// The accounts database holds argon2 hashes and sealed mnemonics: its directory is 0700 and the
// database, -wal and -shm 0600, whether the store creates them or finds them world-readable.
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteAccountStore, type SqliteAccountStore } from '../src/index.js';
import { makeAccount } from './helpers/accounts.js';
import { makeTempDir } from './helpers/temp-dir.js';

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('SqliteAccountStore file modes', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: SqliteAccountStore | undefined;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    tmp.remove();
  });

  async function openAndWrite(path: string): Promise<Record<string, number>> {
    store = createSqliteAccountStore({ path });
    await store.create(makeAccount());
    return { dir: mode(join(path, '..')), db: mode(path), wal: mode(`${path}-wal`), shm: mode(`${path}-shm`) };
  }

  it('creates its directory 0700 and the database, -wal and -shm 0600', async () => {
    expect(await openAndWrite(join(tmp.dir, 'data', 'accounts.sqlite'))).toEqual({
      dir: 0o700,
      db: 0o600,
      wal: 0o600,
      shm: 0o600,
    });
  });

  it('tightens a world-readable directory and database it finds at start', async () => {
    const dir = join(tmp.dir, 'records');
    mkdirSync(dir);
    const path = join(dir, 'accounts.sqlite');
    const first = createSqliteAccountStore({ path });
    const account = await first.create(makeAccount());
    await first.close();
    chmodSync(dir, 0o755);
    chmodSync(path, 0o644);
    expect(await openAndWrite(path)).toEqual({ dir: 0o700, db: 0o600, wal: 0o600, shm: 0o600 });
    expect((await store!.findByEmail(account.email))?.id).toBe(account.id);
  });
});
