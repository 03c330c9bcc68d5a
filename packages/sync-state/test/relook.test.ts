// Issue 11 "records that 404 once": a record gone as not_found is looked at again on later
// passes, with a backoff that doubles and a bound on looks; the state lives in Redis.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncState, invariantHolds } from '../src/index.js';
import { createTestEnv, type TestEnv } from './helpers/redis.js';

let env: TestEnv;
let state: SyncState;

beforeEach(async () => {
  env = await createTestEnv();
  state = new SyncState(env.redis, env.prefix, { relook: { maxRelooks: 3, backoffMs: 1000 } });
});
afterEach(async () => env.cleanup());

const DID = 'did:gun:aaaaaaaaaaaa:missing';
const entry = [{ did: DID, version: '10' }];
const T0 = 1_000_000;

describe('SyncState relooks of not-found records', () => {
  it('queues a 404ed record again after 1, 2, 4 backoffs, then writes it off', async () => {
    expect(await state.claim(entry, T0)).toEqual([{ kind: 'new' }]);
    await state.finish(DID, '10', 0, 'gone', 'not_found', T0);
    // before the first backoff: deduplicated
    expect(await state.claim(entry, T0 + 999)).toEqual([{ kind: 'dedup' }]);
    expect(await state.claim(entry, T0 + 1000)).toEqual([{ kind: 'relook', replay: 1 }]);
    await state.finish(DID, '10', 1, 'gone', 'not_found', T0 + 1000);
    expect(await state.claim(entry, T0 + 1000 + 1999)).toEqual([{ kind: 'dedup' }]);
    expect(await state.claim(entry, T0 + 1000 + 2000)).toEqual([{ kind: 'relook', replay: 2 }]);
    await state.finish(DID, '10', 2, 'gone', 'not_found', T0 + 3000);
    expect(await state.claim(entry, T0 + 3000 + 4000)).toEqual([{ kind: 'relook', replay: 3 }]);
    await state.finish(DID, '10', 3, 'gone', 'not_found', T0 + 7000);
    // three looks done: written off, and the relook hash no longer holds it
    expect(await state.claim(entry, T0 + 10_000_000)).toEqual([{ kind: 'dedup' }]);
    expect(await env.redis.hlen(state.keys.relook)).toBe(0);
    const c = await state.counters();
    expect(c).toMatchObject({ relooked: 3, gone: 4, inflight: 0 });
    expect(c.goneByReason).toEqual({ not_found: 4 });
    expect(invariantHolds(c)).toBe(true);
  });

  it('indexes a record found on a relook and forgets its relook entry', async () => {
    await state.claim(entry, T0);
    await state.finish(DID, '10', 0, 'gone', 'not_found', T0);
    expect(await state.claim(entry, T0 + 1000)).toEqual([{ kind: 'relook', replay: 1 }]);
    expect(await state.finish(DID, '10', 1, 'indexed', undefined, T0 + 1000)).toBe('finished');
    expect(await env.redis.hlen(state.keys.relook)).toBe(0);
    expect(await state.claim(entry, T0 + 10_000_000)).toEqual([{ kind: 'dedup' }]);
    const c = await state.counters();
    expect(c).toMatchObject({ indexed: 1, gone: 1, relooked: 1, inflight: 0 });
    expect(invariantHolds(c)).toBe(true);
  });

  it('never relooks a record gone for another reason (encrypted)', async () => {
    await state.claim(entry, T0);
    await state.finish(DID, '10', 0, 'gone', 'encrypted', T0);
    expect(await state.claim(entry, T0 + 10_000_000)).toEqual([{ kind: 'dedup' }]);
  });

  it('drops the relook entry when the record is deleted or a new version comes', async () => {
    await state.claim([...entry, { did: `${DID}2`, version: '10' }], T0);
    await state.finish(DID, '10', 0, 'gone', 'not_found', T0);
    await state.finish(`${DID}2`, '10', 0, 'gone', 'not_found', T0);
    expect(await env.redis.hlen(state.keys.relook)).toBe(2);
    await state.markDeleted([DID]);
    expect(await state.claim([{ did: `${DID}2`, version: '11' }], T0)).toEqual([{ kind: 'new' }]);
    expect(await env.redis.hlen(state.keys.relook)).toBe(0);
  });
});
