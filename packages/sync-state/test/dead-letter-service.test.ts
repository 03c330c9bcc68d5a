// DeadLetterService on the real Redis: one entry per DID, list/show/count, replay re-queues the
// record with a new job id and moves its state back to queued, discard drops the entry.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeadLetterFixture } from '../src/testing.js';
import { DeadLetterCodes, type DeadLetterPayload } from '@oip/queue-contracts';
import { REDIS_URL } from './helpers/redis.js';

let fx: DeadLetterFixture;
beforeEach(() => {
  fx = DeadLetterFixture.open(REDIS_URL, { tag: 'd', version: '3', recordType: 'recipe', attempts: 2 });
});
afterEach(() => fx.close());

const deadLetter = (n: number, code: DeadLetterPayload['code'], message?: string): Promise<string> =>
  fx.add(n, code, message);

describe('DeadLetterService', () => {
  it('keeps one entry per DID (the newer failure wins) and lists by code', async () => {
    const a = await deadLetter(1, DeadLetterCodes.EXHAUSTED, 'first');
    const { id: _id, deadLetteredAt: _at, ...payload } = (await fx.dlq.show(a))!;
    await fx.dlq.write({ ...payload, message: 'second' });
    await deadLetter(2, DeadLetterCodes.INVALID_RECORD);
    expect(await fx.dlq.count()).toBe(2);
    expect((await fx.dlq.show(a))?.message).toBe('second');
    expect((await fx.dlq.list({ code: DeadLetterCodes.INVALID_RECORD })).map((e) => e.did)).toEqual([
      'did:gun:aaaaaaaaaaaa:d2',
    ]);
    expect(await fx.dlq.list({ limit: 0 })).toEqual([]);
  });

  it('filters list and replayMany by record type, alone or with a code, before paging', async () => {
    const [r1, w2, r3, w4] = [
      await fx.add(1, DeadLetterCodes.INVALID_RECORD, undefined, 'recipe'),
      await fx.add(2, DeadLetterCodes.INVALID_RECORD, undefined, 'workout'),
      await fx.add(3, DeadLetterCodes.MAPPING_CONFLICT, undefined, 'recipe'),
      await fx.add(4, DeadLetterCodes.MAPPING_CONFLICT, undefined, 'workout'),
    ];
    expect((await fx.dlq.list({ recordType: 'recipe' })).map((e) => e.did)).toEqual([r3, r1]);
    expect((await fx.dlq.list({ recordType: 'recipe', offset: 1, limit: 1 })).map((e) => e.did)).toEqual([r1]);
    expect(
      (await fx.dlq.list({ recordType: 'workout', code: DeadLetterCodes.MAPPING_CONFLICT })).map((e) => e.did),
    ).toEqual([w4]);
    const replayed = await fx.dlq.replayMany({ recordType: 'workout' });
    expect(replayed.map((r) => r.did).sort()).toEqual([w2, w4].sort());
    expect((await fx.dlq.list()).map((e) => e.did)).toEqual([r3, r1]);
  });

  it('replay re-queues the record and leaves no entry; a second replay finds none', async () => {
    const did = await deadLetter(1, DeadLetterCodes.EXHAUSTED);
    const r = await fx.dlq.replay(did);
    expect(r).toMatchObject({ did, replayed: true, replay: 1 });
    expect(await fx.records.getWaitingCount()).toBe(1);
    expect(await fx.dlq.show(did)).toBeNull();
    expect((await fx.state.get(did))?.state).toBe('queued');
    expect(await fx.dlq.replay(did)).toEqual({ did, replayed: false, reason: 'not_found' });
  });

  it('discard drops the entry only', async () => {
    const did = await deadLetter(1, DeadLetterCodes.MAPPING_CONFLICT);
    expect(await fx.dlq.discard(did)).toBe(true);
    expect(await fx.dlq.discard(did)).toBe(false);
    expect(await fx.dlq.count()).toBe(0);
    expect(await fx.records.getWaitingCount()).toBe(0);
  });
});
