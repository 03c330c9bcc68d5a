// The deletion ledger on the real Redis: refusals counted once per DID and by problem, paused
// re-checks, unsigned deletions of records not held here.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeletionLedger, SyncState } from '../src/index.js';

const redis = new Redis('redis://127.0.0.1:6379');
let prefix: string;
let ledger: DeletionLedger;
let state: SyncState;

beforeEach(() => {
  prefix = `t-ledger-${randomUUID().slice(0, 8)}`;
  ledger = new DeletionLedger(redis, prefix);
  state = new SyncState(redis, prefix);
});
afterEach(async () => {
  await ledger.destroy();
  await state.destroy();
});
afterAll(async () => {
  await redis.quit();
});

describe('DeletionLedger', () => {
  it('counts a refused deletion once per DID, by problem, in the sync counters', async () => {
    expect(await ledger.refuse('did:gun:a:1', 'bad-signature', 1000)).toBe(true);
    expect(await ledger.refuse('did:gun:a:1', 'bad-signature', 2000)).toBe(false);
    expect(await ledger.refuse('did:gun:a:2', 'unsigned-over-signed', 1000)).toBe(true);
    const c = await state.counters();
    expect(c.deletionsRefused).toBe(2);
    expect(c.deletionsRefusedBy).toEqual({ 'bad-signature': 1, 'unsigned-over-signed': 1 });
  });

  it('reports refusals younger than the pause, and forgets a cleared one', async () => {
    await ledger.refuse('did:gun:a:1', 'bad-signature', 10_000);
    await ledger.refuse('did:gun:a:2', 'bad-signature', 1_000);
    expect([...(await ledger.recentlyRefused(['did:gun:a:1', 'did:gun:a:2', 'did:gun:a:3'], 5_000, 12_000))]).toEqual([
      'did:gun:a:1',
    ]);
    await ledger.clearRefusal('did:gun:a:1');
    expect((await ledger.recentlyRefused(['did:gun:a:1'], 5_000, 12_000)).size).toBe(0);
  });

  it('remembers unsigned deletions of records not held here', async () => {
    await ledger.noteUnsigned('did:gun:b:1');
    expect(await ledger.hasUnsigned('did:gun:b:1')).toBe(true);
    expect(await ledger.hasUnsigned('did:gun:b:2')).toBe(false);
    expect([...(await ledger.unsignedAmong(['did:gun:b:2', 'did:gun:b:1']))]).toEqual(['did:gun:b:1']);
  });
});
