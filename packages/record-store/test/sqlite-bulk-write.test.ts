// The SQLite store's write path (record-rows.ts): a bulk reads which of its DIDs are stored once,
// inserts the others without removing search entries or grants they cannot have, and keeps
// record_counts and record_block_chunks itself. These tests pin the cases where an id or a DID
// comes back, and the derived tables against the rows.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteRecordStore } from '../src/index.js';
import { RECORD_COUNTS_TRIGGERS } from '../src/sqlite/schema.js';
import { makeRecord } from './helpers/records.js';
import { useTempSqliteStore } from './helpers/temp-sqlite-store.js';

const shared = (keys: string[]) => ({
  accessControl: { access_level: 'shared', owner_public_key: 'pk-own', shared_with: keys },
});

describe('SqliteRecordStore bulk writes of new and returning rows', () => {
  const t = useTempSqliteStore('oip-store-bulk-write-');

  function rows<T>(sql: string, ...params: unknown[]): T[] {
    const db = new Database(t.store.filename, { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }

  it('a record that takes the id of a deleted one carries none of its terms, tags or grants', async () => {
    const gone = makeRecord({ soul: 'bw:gone', name: 'zebra crossing', tags: ['stripes'], data: shared(['pk-carol']) });
    expect((await t.store.bulkUpsert([makeRecord({ soul: 'bw:keep', name: 'kept' }), gone])).every((r) => r.ok)).toBe(
      true,
    );
    const [goneId] = rows<{ id: number }>('SELECT id FROM records WHERE did = ?', gone.oip.did);
    expect(await t.store.delete(gone.oip.did)).toBe(true);

    const next = makeRecord({ soul: 'bw:next', name: 'plain walk', tags: ['calm'] });
    expect((await t.store.bulkUpsert([next]))[0]!.ok).toBe(true);
    // SQLite hands the highest id out again once its row is gone.
    expect(rows<{ id: number }>('SELECT id FROM records WHERE did = ?', next.oip.did)).toEqual([goneId]);
    expect((await t.store.search({ search: 'zebra' })).total).toBe(0);
    expect((await t.store.search({ tags: ['stripes'] })).total).toBe(0);
    expect(rows('SELECT grantee FROM record_grants')).toEqual([]);
    expect((await t.store.search({ search: 'plain', access: { viewerPublicKey: 'pk-carol' } })).total).toBe(1);
    expect((await t.store.search({ tags: ['calm'] })).total).toBe(1);
  });

  it('a restricted record written twice in one bulk keeps the later grants, terms and tags only', async () => {
    const first = makeRecord({ soul: 'bw:twice', name: 'draft plan', tags: ['early'], data: shared(['pk-carol']) });
    const second = makeRecord({ soul: 'bw:twice', name: 'final plan', tags: ['late'], data: shared(['pk-dave']) });
    expect((await t.store.bulkUpsert([first, second])).map((r) => r.ok)).toEqual([true, true]);
    expect(rows<{ grantee: string }>('SELECT grantee FROM record_grants ORDER BY grantee')).toEqual([
      { grantee: 'k:pk-dave' },
      { grantee: 'k:pk-own' },
    ]);
    const carol = { viewerPublicKey: 'pk-carol' };
    const dave = { viewerPublicKey: 'pk-dave' };
    expect((await t.store.search({ search: 'plan', access: carol })).total).toBe(0);
    expect((await t.store.search({ search: 'plan', access: dave })).total).toBe(1);
    expect((await t.store.search({ search: 'draft' })).total).toBe(0);
    expect((await t.store.search({ tags: ['early'] })).total).toBe(0);
    expect((await t.store.search({ search: 'final' })).total).toBe(1);
    expect((await t.store.search({ tags: ['late'] })).total).toBe(1);
  });

  it('a stored record updated in a bulk beside new ones loses its old terms, tags and grants', async () => {
    const old = makeRecord({ soul: 'bw:old', name: 'harbour view', tags: ['sea'], data: shared(['pk-carol']) });
    expect((await t.store.bulkUpsert([old]))[0]!.ok).toBe(true);
    const updated = makeRecord({ soul: 'bw:old', name: 'mountain view', tags: ['peak'] });
    const fresh = [1, 2, 3].map((i) => makeRecord({ soul: `bw:new-${i}`, name: `meadow ${i}`, tags: ['grass'] }));
    expect((await t.store.bulkUpsert([fresh[0]!, updated, ...fresh.slice(1)])).every((r) => r.ok)).toBe(true);
    expect((await t.store.search({ search: 'harbour' })).total).toBe(0);
    expect((await t.store.search({ tags: ['sea'] })).total).toBe(0);
    expect(rows('SELECT grantee FROM record_grants')).toEqual([]);
    expect((await t.store.search({ search: 'mountain' })).total).toBe(1);
    expect((await t.store.search({ search: 'meadow' })).total).toBe(3);
    expect((await t.store.search({ tags: ['grass'] })).total).toBe(3);
  });

  it('record_counts and record_block_chunks follow inserts, updates, repeats within a bulk and deletes', async () => {
    const rec = (i: number, recordType: string, block: number | undefined, data = {}) =>
      makeRecord({ soul: `bw:t${i}`, recordType, ...(block === undefined ? {} : { inArweaveBlock: block }), data });
    expect(
      (await t.store.bulkUpsert([rec(1, 'post', 10), rec(2, 'post', 20), rec(3, 'note', undefined)])).every(
        (r) => r.ok,
      ),
    ).toBe(true);
    // Type, storage and restriction change; one DID twice in a bulk; a new record beside them. The
    // highest block of the bulk's chunk is not its last.
    const moved = { ...rec(2, 'note', 5, shared(['pk-carol'])), oip: { ...rec(2, 'note', 5).oip, storage: 'arweave' } };
    const results = await t.store.bulkUpsert([
      rec(4, 'post', 40),
      rec(4, 'post', 45, shared([])),
      moved,
      rec(1, 'recipe', 30),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await t.store.delete(rec(3, 'note', undefined).oip.did)).toBe(true);
    const counts = rows(
      'SELECT record_type, storage, access_private, n FROM record_counts WHERE n <> 0 ORDER BY 1, 2, 3',
    );
    expect(counts).toEqual(
      rows(
        "SELECT record_type, COALESCE(storage, '') AS storage, access_private, COUNT(*) AS n FROM records GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
      ),
    );
    expect(counts).toEqual([
      { record_type: 'note', storage: 'arweave', access_private: 1, n: 1 },
      { record_type: 'post', storage: 'gun', access_private: 1, n: 1 },
      { record_type: 'recipe', storage: 'gun', access_private: 0, n: 1 },
    ]);
    // Ids 1 to 4 share chunk 0; its bound is the highest block ever written there (never lowered).
    expect(rows('SELECT chunk, max_block FROM record_block_chunks')).toEqual([{ chunk: 0, max_block: 45 }]);
    expect(await t.store.countByType()).toEqual({ note: 1, post: 1, recipe: 1 });
  });

  it('a v8 file loses its triggers and the three unused indexes at open, and its counts go on', async () => {
    expect((await t.store.bulkUpsert([makeRecord({ soul: 'bw:v8', recordType: 'post' })]))[0]!.ok).toBe(true);
    await t.store.close();
    const raw = new Database(t.store.filename);
    raw.exec(RECORD_COUNTS_TRIGGERS);
    raw.exec(`CREATE INDEX records_indexed_at ON records (indexed_at);
      CREATE INDEX records_name ON records (name);
      CREATE INDEX records_access ON records (access_private, owner_key, created_by)`);
    raw.pragma('user_version = 8');
    raw.close();
    const reopened = createSqliteRecordStore({ filename: t.store.filename });
    try {
      expect(
        rows(
          "SELECT name FROM sqlite_master WHERE type = 'trigger' OR name IN ('records_indexed_at', 'records_name', 'records_access')",
        ),
      ).toEqual([]);
      expect((await reopened.bulkUpsert([makeRecord({ soul: 'bw:v9', recordType: 'post' })]))[0]!.ok).toBe(true);
      expect(await reopened.delete('did:gun:bw:v8')).toBe(true);
      expect(await reopened.countByType()).toEqual({ post: 1 });
    } finally {
      await reopened.close();
    }
  });

  it('an update that changes some columns leaves the row as an insert of the new version writes it', async () => {
    const v = (name: string, extra: Partial<Parameters<typeof makeRecord>[0]> = {}, data = {}) =>
      makeRecord({ soul: 'bw:cols', name, ...extra, data });
    const versions = [
      v('first', { inArweaveBlock: 7, date: 100, tags: ['a'] }),
      v('first', { inArweaveBlock: 7, date: 100, tags: ['a'] }),
      v('second', { inArweaveBlock: 9, date: 200 }),
      v('second', { recordType: 'workoutSchedule' }, { workoutSchedule: { scheduled_date: 1730800800 } }),
      v('third', { recordType: 'note', inArweaveBlock: 9 }, shared(['pk-carol'])),
      v('third', { recordType: 'note', inArweaveBlock: 3 }),
    ];
    const columns =
      'did, did_tx, record_type, storage, creator_handle, creator_did_address, basic_date, indexed_at, in_arweave_block, name, body, access_private, owner_key, created_by, scheduled_date';
    const other = createSqliteRecordStore({ filename: join(t.dir, 'inserted.db') });
    try {
      for (const [i, version] of versions.entries()) {
        expect((await t.store.bulkUpsert([version]))[0]!.ok).toBe(true);
        await other.delete(version.oip.did);
        expect((await other.bulkUpsert([version]))[0]!.ok).toBe(true);
        const read = (filename: string) => {
          const db = new Database(filename, { readonly: true });
          try {
            return db.prepare(`SELECT ${columns} FROM records`).all();
          } finally {
            db.close();
          }
        };
        expect(read(t.store.filename), `version ${i}`).toEqual(read(other.filename));
      }
      // The indexes follow: the last version is found by its type and its block, not by the old ones.
      expect((await t.store.search({ recordType: 'note', inArweaveBlock: 3 })).total).toBe(1);
      expect((await t.store.search({ inArweaveBlock: 9 })).total).toBe(0);
      expect((await t.store.search({ recordType: 'workoutSchedule' })).total).toBe(0);
    } finally {
      await other.close();
    }
  });
});
