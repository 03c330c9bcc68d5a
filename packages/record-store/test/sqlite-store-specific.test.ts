// SQLite-only behaviour: persistence of the guard, sharing one file between connections,
// bounds, and what ends up on disk.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BULK_CHANNEL, createSqliteRecordStore, type BulkDiagnostic, type SqliteRecordStore } from '../src/index.js';
import { makeRecord, seed000Records } from './helpers/records.js';

describe('SqliteRecordStore (file behaviour)', () => {
  let dir: string;
  const open: SqliteRecordStore[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oip-record-store-'));
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    await rm(dir, { recursive: true, force: true });
  });

  function openStore(opts: Parameters<typeof createSqliteRecordStore>[0] = { dataDir: dir }): SqliteRecordStore {
    const s = createSqliteRecordStore(opts);
    open.push(s);
    return s;
  }

  it('a widening made through one connection is adopted by another at its next write, and survives a reopen', async () => {
    const s = seed000Records();
    const a = openStore();
    const b = openStore();
    expect((await a.bulkUpsert([s.shoppingLong]))[0]!.ok).toBe(true);
    expect((await b.bulkUpsert([s.shoppingFloat]))[0]!.ok).toBe(false);
    expect(await a.widenField('data.shoppingList.item_prices', 'double')).toMatchObject({
      method: 'guard',
      from: 'long',
      to: 'double',
    });
    // b's guard still says long in memory; its next write reads the widened row first.
    expect((await b.bulkUpsert([s.shoppingFloat]))[0]).toEqual({ did: s.shoppingFloat.oip.did, ok: true });
    // A legacy base type (no row yet) widens too.
    expect(await b.widenField('data.basic.date', 'double')).toMatchObject({ method: 'guard', from: 'long' });
    await a.close();
    await b.close();
    const c = openStore();
    expect(c.fieldType('data.shoppingList.item_prices')).toBe('double');
    expect(c.fieldType('data.basic.date')).toBe('double');
  });

  it('uses WAL and keeps records and fixed field types across a reopen', async () => {
    const s = seed000Records();
    const first = openStore();
    expect((await first.bulkUpsert([s.shoppingLong]))[0]!.ok).toBe(true);
    await first.close();

    const db = new Database(first.filename, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const row = db.prepare('SELECT type FROM field_types WHERE path = ?').get('data.shoppingList.item_prices');
      expect(row).toEqual({ type: 'long' });
    } finally {
      db.close();
    }

    const second = openStore();
    expect(second.fieldType('data.shoppingList.item_prices')).toBe('long');
    expect(await second.get(s.shoppingLong.oip.did)).toEqual(s.shoppingLong);
    const [r] = await second.bulkUpsert([s.shoppingFloat]);
    expect(r).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING', permanent: true } });
  });

  it('two connections on one file share the guard: a type fixed by one is enforced by the other', async () => {
    const s = seed000Records();
    const a = openStore();
    const b = openStore();
    // b opened before a fixes the type, so b learns it from field_types at its next write.
    expect((await a.bulkUpsert([s.sessionText]))[0]!.ok).toBe(true);
    const [r] = await b.bulkUpsert([s.sessionObject]);
    expect(r).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING' } });
    expect(b.fieldType('data.conversationSession.messages')).toBe('text');
    // And b reads a's record.
    expect(await b.get(s.sessionText.oip.did)).toEqual(s.sessionText);
  });

  it('a write blocked by another connection past busy_timeout is a transient STORE_ERR_UNAVAILABLE', async () => {
    const store = openStore({ dataDir: dir, busyTimeoutMs: 50 });
    const blocker = new Database(store.filename);
    try {
      blocker.prepare('BEGIN IMMEDIATE').run();
      await expect(store.bulkUpsert([makeRecord({ soul: 'busy:one' })])).rejects.toMatchObject({
        code: 'STORE_ERR_UNAVAILABLE',
        permanent: false,
      });
      blocker.prepare('ROLLBACK').run();
      expect((await store.bulkUpsert([makeRecord({ soul: 'busy:one' })]))[0]!.ok).toBe(true);
    } finally {
      blocker.close();
    }
  });

  it('bounds bulk and getMany sizes', async () => {
    const store = openStore({ dataDir: dir, maxBulkSize: 2, maxGetMany: 3 });
    const recs = [1, 2, 3].map((i) => makeRecord({ soul: `b:${i}` }));
    await expect(store.bulkUpsert(recs)).rejects.toMatchObject({ code: 'STORE_ERR_INVALID' });
    await expect(store.getMany(['did:a:1', 'did:a:2', 'did:a:3', 'did:a:4'])).rejects.toMatchObject({
      code: 'STORE_ERR_INVALID',
    });
    // Duplicates count once.
    expect((await store.getMany(['did:a:1', 'did:a:1', 'did:a:1', 'did:a:1'])).size).toBe(0);
  });

  it('a mapping conflict leaves no new field types behind', async () => {
    const store = openStore();
    const bad = makeRecord({
      soul: 'x:bad',
      data: { extra: { fresh_field: 'new', nested: { ok: 1 } }, basic: { name: 'x', date: 'not-a-number' } },
    });
    const [r] = await store.bulkUpsert([bad]);
    expect(r).toMatchObject({ ok: false, error: { code: 'STORE_ERR_MAPPING' } });
    expect(store.fieldType('data.extra.fresh_field')).toBeUndefined();
    const db = new Database(store.filename, { readonly: true });
    try {
      expect(db.prepare("SELECT COUNT(*) AS n FROM field_types WHERE path LIKE 'data.extra%'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('rejects records over maxRecordBytes as permanent STORE_ERR_INVALID items', async () => {
    const store = openStore({ dataDir: dir, maxRecordBytes: 2048 });
    const big = makeRecord({ soul: 'big:1', description: 'x'.repeat(4096) });
    const small = makeRecord({ soul: 'small:1' });
    const results = await store.bulkUpsert([big, small]);
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'STORE_ERR_INVALID', permanent: true } });
    expect(results[1]!.ok).toBe(true);
  });

  it('publishes one diagnostics_channel message per bulk with failure counts by code', async () => {
    const store = openStore();
    const seen: BulkDiagnostic[] = [];
    const onMessage = (m: unknown): void => {
      seen.push(m as BulkDiagnostic);
    };
    subscribe(BULK_CHANNEL, onMessage);
    try {
      const s = seed000Records();
      await store.bulkUpsert([s.sessionText, s.sessionObject, makeRecord({ soul: 'd:1' })]);
    } finally {
      unsubscribe(BULK_CHANNEL, onMessage);
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      backend: 'sqlite',
      items: 3,
      ok: 2,
      failed: 1,
      failures: { STORE_ERR_MAPPING: 1 },
    });
    expect(seen[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('an unopenable file is a STORE_ERR_IO', () => {
    expect(() => createSqliteRecordStore({ filename: join(dir, 'missing-dir', 'x', 'records.db') })).toThrow(
      expect.objectContaining({ code: 'STORE_ERR_IO', permanent: false }),
    );
  });

  it('needs dataDir or filename', () => {
    expect(() => createSqliteRecordStore({})).toThrow(expect.objectContaining({ code: 'STORE_ERR_INVALID' }));
  });
});
