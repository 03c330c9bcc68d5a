// The SQLite record store keeps its directory 0700 and its database, -wal and -shm 0600, whether
// it creates them or finds them with looser modes (a store written before this rule).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteRecordStore, type OipRecord, type RecordStore } from '../src/index.js';

let root: string;
let store: RecordStore | undefined;
const mode = (p: string): number => statSync(p).mode & 0o777;
const record: OipRecord = {
  data: { basic: { name: 'Hill sprints', date: 1730505600 } },
  oip: {
    ver: '0.8.0',
    recordType: 'workout',
    did: 'did:gun:ab12cd34ef56:hill',
    didTx: 'did:gun:ab12cd34ef56:hill',
    storage: 'gun',
    indexedAt: '2026-11-02T10:00:00.000Z',
    creator: { creatorHandle: 'e', didAddress: 'did:arweave:e', publicKey: 'pk-e' },
  },
};

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'store-modes-'));
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** Opens the store, writes a record (so the WAL and shared memory exist) and returns the file modes. */
async function openAndWrite(dataDir: string): Promise<Record<string, number>> {
  store = createSqliteRecordStore({ dataDir });
  expect((await store.bulkUpsert([record]))[0]?.ok).toBe(true);
  const db = path.join(dataDir, 'records.db');
  return { dir: mode(dataDir), db: mode(db), wal: mode(`${db}-wal`), shm: mode(`${db}-shm`) };
}

describe('SQLite record store file modes', () => {
  it('creates its directory (parents included) 0700 and its files 0600', async () => {
    const dataDir = path.join(root, '.data', 'records');
    expect(await openAndWrite(dataDir)).toEqual({ dir: 0o700, db: 0o600, wal: 0o600, shm: 0o600 });
    expect(mode(path.join(root, '.data'))).toBe(0o700);
  });

  it('tightens a world-readable directory and files it finds at start', async () => {
    const dataDir = path.join(root, 'records');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const db = path.join(dataDir, 'records.db');
    // A store written before: the database and its companions world-readable.
    const first = createSqliteRecordStore({ dataDir });
    expect((await first.bulkUpsert([record]))[0]?.ok).toBe(true);
    await first.close();
    for (const f of [db, `${db}-wal`, `${db}-shm`]) {
      writeFileSync(f, '', { flag: 'a' });
      chmodSync(f, 0o644);
    }
    chmodSync(dataDir, 0o755);
    expect(await openAndWrite(dataDir)).toEqual({ dir: 0o700, db: 0o600, wal: 0o600, shm: 0o600 });
    expect((await store!.get(record.oip.did))?.data['basic']).toEqual(record.data['basic']);
  });
});
