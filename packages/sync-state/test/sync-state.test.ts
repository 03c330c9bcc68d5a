// Redis state transitions: every path keeps discovered = indexed + gone + dead + dedup + inflight.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncState, invariantHolds } from '../src/index.js';
import { createTestEnv, type TestEnv } from './helpers/redis.js';

let env: TestEnv;
let state: SyncState;

beforeEach(async () => {
  env = await createTestEnv();
  state = new SyncState(env.redis, env.prefix);
});
afterEach(async () => env.cleanup());

const did = (n: number) => `did:gun:aaaaaaaaaaaa:r${n}`;

describe('SyncState', () => {
  it('claims new versions once, dedups finished ones, and requeues ones still queued', async () => {
    const entries = [1, 2, 3].map((n) => ({ did: did(n), version: '10' }));
    expect((await state.claim(entries)).map((o) => o.kind)).toEqual(['new', 'new', 'new']);
    expect(await state.finish(did(1), '10', 0, 'indexed')).toBe('finished');
    expect(await state.finish(did(2), '10', 0, 'dead', 'SYNC_ERR_MAPPING_CONFLICT')).toBe('finished');
    expect(await state.claim(entries)).toEqual([{ kind: 'dedup' }, { kind: 'dedup' }, { kind: 'requeue', replay: 0 }]);
    const c = await state.counters();
    expect(c).toMatchObject({ discovered: 6, queued: 3, indexed: 1, dead: 1, deduplicated: 3, inflight: 1 });
    expect(c.deadByCode).toEqual({ SYNC_ERR_MAPPING_CONFLICT: 1 });
    expect(invariantHolds(c)).toBe(true);
  });

  it('counts a job finished twice (a re-run after a crash) only once', async () => {
    await state.claim([{ did: did(1), version: '1' }]);
    expect(await state.finish(did(1), '1', 0, 'indexed')).toBe('finished');
    expect(await state.finish(did(1), '1', 0, 'indexed')).toBe('stale');
    expect(await state.counters()).toMatchObject({ indexed: 1, inflight: 0 });
  });

  it('supersedes an in-flight older version; the old job then finishes as stale', async () => {
    await state.claim([{ did: did(1), version: '1' }]);
    expect((await state.claim([{ did: did(1), version: '2' }]))[0]).toEqual({ kind: 'new' });
    expect(await state.finish(did(1), '1', 0, 'indexed')).toBe('stale');
    expect(await state.finish(did(1), '2', 0, 'indexed')).toBe('finished');
    const c = await state.counters();
    expect(c).toMatchObject({ discovered: 2, indexed: 1, deduplicated: 1, inflight: 0 });
    expect(invariantHolds(c)).toBe(true);
  });

  it('replays only a dead record at its version, with a new replay number', async () => {
    await state.claim([{ did: did(1), version: '5' }]);
    await state.finish(did(1), '5', 0, 'dead', 'SYNC_ERR_EXHAUSTED');
    expect(await state.replay(did(1), '4')).toBeNull();
    expect(await state.replay(did(1), '5')).toBe(1);
    expect(await state.replay(did(1), '5')).toBeNull();
    expect(await state.get(did(1))).toEqual({ state: 'queued', version: '5', replay: 1 });
    expect(await state.finish(did(1), '5', 0, 'indexed')).toBe('stale'); // the original job cannot finish the replay
    expect(await state.finish(did(1), '5', 1, 'indexed')).toBe('finished');
    const c = await state.counters();
    expect(c).toMatchObject({ discovered: 2, dead: 1, indexed: 1, replayed: 1, inflight: 0 });
    expect(invariantHolds(c)).toBe(true);
  });

  it('marks deletions: skipped by claim, and an in-flight record finishes as gone', async () => {
    await state.claim([
      { did: did(1), version: '1' },
      { did: did(2), version: '1' },
    ]);
    await state.finish(did(2), '1', 0, 'indexed');
    expect(await state.markDeleted([did(1), did(2), did(2)])).toBe(2);
    expect(await state.markDeleted([did(1)])).toBe(0);
    expect(await state.get(did(2))).toBeNull();
    expect(await state.finish(did(1), '1', 0, 'indexed')).toBe('deleted');
    expect((await state.claim([{ did: did(1), version: '9' }]))[0]).toEqual({ kind: 'deleted' });
    expect([...(await state.deletedAmong([did(1), did(3)]))]).toEqual([did(1)]);
    const c = await state.counters();
    expect(c).toMatchObject({ discovered: 2, indexed: 1, gone: 1, deleted: 2, inflight: 0 });
    expect(c.goneByReason).toEqual({ deleted: 1 });
    expect(invariantHolds(c)).toBe(true);
  });

  it('remembers the first failure time of a record between retries', async () => {
    await state.claim([{ did: did(1), version: '1' }]);
    expect(await state.noteRetry(did(1), 1000)).toBe(1000);
    expect(await state.noteRetry(did(1), 2000)).toBe(1000);
    expect(await state.firstFailure(did(1), 3000)).toBe(1000);
    await state.finish(did(1), '1', 0, 'indexed');
    expect(await state.firstFailure(did(1), 3000)).toBe(3000);
    expect((await state.counters()).retries).toBe(2);
  });
});
