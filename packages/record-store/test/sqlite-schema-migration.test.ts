// Schema v1 → current: the access and scheduled_date columns are added and backfilled from the
// bodies (v2), the counts and order indexes built (v3, v4), tags moved into records_tag_fts and the
// block chunks backfilled (v5), the FTS indexes rebuilt from the bodies and the private records'
// id index built (v6), every restricted level marked and its grants backfilled (v7), records_fts's
// terms keyed by their deletions (v8).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteRecordStore } from '../src/index.js';
import { RECORD_COUNTS_TRIGGERS, SCHEMA_VERSION } from '../src/sqlite/schema.js';
import { makeRecord } from './helpers/records.js';
import { accessRecords, accessTable, acl, inBlockOrder } from './helpers/access-fixtures.js';

describe('SQLite schema migrations', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oip-record-store-mig-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('backfills a v1 file, after which access and scheduledOn filter in SQL; reopening is a no-op', async () => {
    const filename = join(dir, 'records.db');
    const priv = makeRecord({
      soul: 'mig:p',
      tags: ['Leg Day', 'früh'],
      inArweaveBlock: 7,
      data: { accessControl: { access_level: 'private', owner_public_key: 'pk-a' } },
    });
    const sched = makeRecord({
      soul: 'mig:s',
      tags: ['leg day'],
      inArweaveBlock: 9,
      recordType: 'workoutSchedule',
      data: { workoutSchedule: { scheduled_date: 1730800800 } },
    });
    // A v1 file: the v1 columns only.
    const v1 = createSqliteRecordStore({ filename });
    await v1.bulkUpsert([priv, sched]);
    await v1.close();
    const raw = new Database(filename);
    raw.exec(
      'DROP TRIGGER IF EXISTS record_counts_insert; DROP TRIGGER IF EXISTS record_counts_delete; DROP TRIGGER IF EXISTS record_counts_update; DROP TABLE record_counts;',
    );
    // v5 objects out, v1's tag table back (lower-cased tags, as v1 wrote them).
    raw.exec(
      'DROP TRIGGER IF EXISTS record_block_chunks_insert; DROP TRIGGER IF EXISTS record_block_chunks_update; DROP TABLE record_block_chunks; DROP TABLE records_tag_fts; DROP INDEX records_schedule_order;',
    );
    raw.exec(
      'CREATE TABLE record_tags (tag TEXT NOT NULL, record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE, PRIMARY KEY (tag, record_id)) WITHOUT ROWID;',
    );
    raw.exec(
      "INSERT INTO record_tags (tag, record_id) SELECT lower(j.value), r.id FROM records r, json_each(r.body, '$.data.basic.tagItems') j",
    );
    raw.exec('DROP TABLE record_grants; DROP TABLE records_fts_keys;');
    raw.exec(
      'DROP INDEX records_private_ids; DROP INDEX records_private; DROP INDEX records_type_access; DROP INDEX IF EXISTS records_access; DROP INDEX records_type_block_order; DROP INDEX records_block_order;',
    );
    // v1 had the plain creator index; v4 replaces it.
    raw.exec('DROP INDEX records_creator_order; CREATE INDEX records_creator_did ON records (creator_did_address);');
    for (const c of ['access_private', 'owner_key', 'created_by', 'scheduled_date'])
      raw.exec(`ALTER TABLE records DROP COLUMN ${c}`);
    raw.pragma('user_version = 1');
    raw.close();

    const store = createSqliteRecordStore({ filename });
    try {
      expect((await store.search({ access: { viewerPublicKey: null } })).records.map((r) => r.oip.did)).toEqual([
        sched.oip.did,
      ]);
      expect((await store.search({ access: { viewerPublicKey: 'pk-a' } })).total).toBe(2);
      expect((await store.search({ recordType: 'workoutSchedule', scheduledOn: '2024-11-05' })).total).toBe(1);
      // v5: tags filter through records_tag_fts (any / all, non-ASCII included).
      const tagged = async (tags: string[], tagsMatchMode: 'AND' | 'OR') =>
        (await store.search({ tags, tagsMatchMode })).records.map((r) => r.oip.did);
      expect(await tagged(['LEG DAY'], 'OR')).toEqual([sched.oip.did, priv.oip.did]);
      expect(await tagged(['leg day', 'FRÜH'], 'AND')).toEqual([priv.oip.did]);
      // v6: both FTS indexes rebuilt from the bodies; a search, exact or capped (the ordered walk), finds both records, newest block first.
      for (const totalCap of [undefined, 1]) {
        const found = await store.search({
          search: 'mig',
          access: { viewerPublicKey: 'pk-a' },
          ...(totalCap ? { totalCap } : {}),
        });
        expect(found.records.map((r) => r.oip.did)).toEqual([sched.oip.did, priv.oip.did]);
      }
      expect(
        (await store.search({ tags: ['früh'], totalCap: 1, access: { viewerPublicKey: 'pk-a' } })).records.map(
          (r) => r.oip.did,
        ),
      ).toEqual([priv.oip.did]);
      // record_counts is backfilled, then kept by the writes.
      expect([
        await store.count(),
        await store.count({ access: { viewerPublicKey: null } }),
        await store.count({ access: { viewerPublicKey: 'pk-a' } }),
      ]).toEqual([2, 1, 2]);
      await store.bulkUpsert([{ ...priv, data: { ...priv.data, accessControl: { access_level: 'public' } } }]);
      expect(await store.count({ access: { viewerPublicKey: null } })).toBe(2);
      await store.delete(sched.oip.did);
      expect([
        await store.count(),
        await store.count({ recordType: 'workoutSchedule' }),
        await store.countByType(),
      ]).toEqual([1, 0, { [priv.oip.recordType]: 1 }]);
    } finally {
      await store.close();
    }
    const again = createSqliteRecordStore({ filename });
    await again.close();
    const check = new Database(filename, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(
        check.prepare("SELECT name FROM sqlite_master WHERE name IN ('record_tags', 'records_scheduled')").all(),
      ).toEqual([]);
      // The block chunks were backfilled (ids 1 and 2, blocks 7 and 9) and are never lowered.
      expect(check.prepare('SELECT chunk, max_block FROM record_block_chunks').all()).toEqual([
        { chunk: 0, max_block: 9 },
      ]);
      const plan = check
        .prepare(
          'EXPLAIN QUERY PLAN SELECT id FROM records r INDEXED BY records_schedule_order WHERE r.record_type = ? AND r.scheduled_date >= ? AND r.scheduled_date < ?',
        )
        .all('workoutSchedule', 0, 1) as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING COVERING INDEX records_schedule_order/);
      // v3: a record-type page in the default order reads the order index, no sort of every match.
      const page = check
        .prepare(
          'EXPLAIN QUERY PLAN SELECT r.id FROM records r WHERE r.record_type = ? ORDER BY r.in_arweave_block IS NULL, r.in_arweave_block DESC, r.did ASC LIMIT 20',
        )
        .all('workout') as Array<{ detail: string }>;
      expect(page.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX records_type_block_order/);
      expect(page.map((p) => p.detail).join(' ')).not.toMatch(/TEMP B-TREE/);
      // v4: a creator's visible records come from the covering creator index; the old one is gone.
      const creator = check
        .prepare(
          'EXPLAIN QUERY PLAN SELECT r.id FROM records r WHERE r.creator_did_address = ? AND r.access_private = 0 ORDER BY r.in_arweave_block IS NULL, r.in_arweave_block DESC, r.did ASC LIMIT 20',
        )
        .all('did:arweave:x') as Array<{ detail: string }>;
      expect(creator.map((p) => p.detail).join(' ')).toMatch(/USING COVERING INDEX records_creator_order/);
      expect(
        check.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'records_creator_did'").all(),
      ).toEqual([]);
      // v6: the private records (only those) by id, for the walk's access rule.
      const priv = check
        .prepare(
          'EXPLAIN QUERY PLAN SELECT id, owner_key, created_by FROM records INDEXED BY records_private_ids WHERE access_private = 1 AND id BETWEEN ? AND ?',
        )
        .all(0, 99) as Array<{ detail: string }>;
      expect(priv.map((p) => p.detail).join(' ')).toMatch(
        /USING COVERING INDEX records_private_ids \(id>\? AND id<\?\)/,
      );
    } finally {
      check.close();
    }
  });

  it('v6 → v7: shared, organization and private-session records become restricted, their grants are backfilled, and every viewer reads what the rule allows', async () => {
    const filename = join(dir, 'records.db');
    const fresh = createSqliteRecordStore({ filename });
    const extra = makeRecord({
      soul: 'acl:other-type',
      recordType: 'post',
      name: 'memo post',
      inArweaveBlock: 50,
      data: { accessControl: { access_level: 'organization', shared_with: ['did:arweave:org-one'] } },
    });
    expect((await fresh.bulkUpsert([...accessRecords(), extra])).every((r) => r.ok)).toBe(true);
    await fresh.close();
    // A v6 file: access_private meant `private` only (v2's backfill rule), no grants table, and
    // record_counts kept by triggers.
    const raw = new Database(filename);
    raw.exec('DROP TABLE record_grants; DROP TABLE records_fts_keys;');
    raw.exec(RECORD_COUNTS_TRIGGERS);
    raw.exec(`UPDATE records SET access_private = COALESCE(json_extract(body, '$.data.accessControl.access_level') = 'private'
      AND json_type(body, '$.data.accessControl.access_level') = 'text', 0)`);
    raw.pragma('user_version = 6');
    // What v6 served: the shared, organization and session records to anyone.
    expect(raw.prepare('SELECT SUM(n) AS n FROM record_counts WHERE access_private = 0').get()).toEqual({ n: 12 });
    raw.close();

    const store = createSqliteRecordStore({ filename });
    try {
      for (const { name, access, sees } of accessTable) {
        const want = inBlockOrder(sees).map(acl);
        const list = await store.search({ recordType: 'note', access, limit: 50 });
        expect([list.records.map((r) => r.oip.did), list.total], name).toEqual([want, want.length]);
        expect(
          (await store.search({ search: 'memo', recordType: 'note', access, limit: 50, totalCap: 1 })).records.map(
            (r) => r.oip.did,
          ),
          name,
        ).toEqual(want);
        expect(
          (await store.search({ tags: ['acl'], access, limit: 1, totalCap: 2 })).records.map((r) => r.oip.did),
          name,
        ).toEqual(want.slice(0, 1));
        expect(await store.count({ recordType: 'note', access }), name).toBe(want.length);
      }
      const member = { viewerPublicKey: 'pk-frank', viewerOrgDids: ['did:arweave:org-one'] };
      expect(await store.countByType({ access: member })).toEqual({ note: 5, post: 1 });
      expect(await store.countByType({ access: { viewerPublicKey: null } })).toEqual({ note: 4 });
      expect(await store.countByType()).toEqual({ note: 13, post: 1 });
    } finally {
      await store.close();
    }
    const check = new Database(filename, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(
        check
          .prepare(
            'SELECT access_private, SUM(n) AS n FROM record_counts GROUP BY access_private ORDER BY access_private',
          )
          .all(),
      ).toEqual([
        { access_private: 0, n: 4 },
        { access_private: 1, n: 10 },
      ]);
      expect(
        check
          .prepare('SELECT COUNT(*) AS n FROM records INDEXED BY records_private_ids WHERE access_private = 1')
          .get(),
      ).toEqual({ n: 10 });
      const grants = check
        .prepare('SELECT r.did, g.grantee FROM record_grants g JOIN records r ON r.id = g.record_id ORDER BY 1, 2')
        .all() as Array<{ did: string; grantee: string }>;
      expect(grants.filter((g) => g.did === acl('shared-array')).map((g) => g.grantee)).toEqual([
        'k:pk-bob',
        'k:pk-carol',
        'k:pk-dave',
      ]);
      expect(grants.filter((g) => g.did === acl('org-array')).map((g) => g.grantee)).toEqual([
        'k:pk-erin',
        'o:did:arweave:org-two',
      ]);
      expect(grants.filter((g) => g.did === acl('no-level'))).toEqual([]);
      expect(grants).toHaveLength(17);
      // The viewer's count reads the grants by grantee.
      const plan = check
        .prepare(
          "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM records WHERE access_private = 1 AND id IN (SELECT record_id FROM record_grants WHERE grantee IN (SELECT value FROM json_each('[]')))",
        )
        .all() as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/record_grants_grantee/);
    } finally {
      check.close();
    }
  });
});
