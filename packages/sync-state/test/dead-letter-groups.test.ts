// Dead letters grouped by field path, listed and replayed by path, and degraded records, on the
// real Redis: counts per path, types and samples, first/last seen; a path replay re-queues
// exactly that path's entries; the invariant counts degraded records apart and holds through replays.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeadLetterCodes } from '@oip/queue-contracts';
import { DeadLetterFixture } from '../src/testing.js';
import { invariantHolds } from '../src/index.js';
import { REDIS_URL } from './helpers/redis.js';

let fx: DeadLetterFixture;
beforeEach(() => {
  fx = DeadLetterFixture.open(REDIS_URL, { tag: 'g', version: '5', recordType: 'shoppingList' });
});
afterEach(() => fx.close());

const PRICES = 'data.shoppingList.item_prices';
const MESSAGES = 'data.conversationSession.messages';

describe('DeadLetterService grouping by path', () => {
  it('one group per path with count, record types, fixed vs incoming types, samples and first/last seen', async () => {
    for (let i = 0; i < 5; i++) await fx.addConflict(i, PRICES, { at: 1000 + i });
    await fx.addConflict(10, MESSAGES, {
      recordType: 'conversationSession',
      fixedType: 'text',
      incomingType: 'object',
      sample: '{"role":"user"}',
      degraded: true,
      at: 5000,
    });
    await fx.add(20, DeadLetterCodes.INVALID_RECORD, 'bad', 'workout', {
      reasons: [{ kind: 'invalid', path: 'oip.ver', rule: 'Expected string to match pattern' }],
    });
    await fx.add(30, DeadLetterCodes.EXHAUSTED, 'relay down', 'workout');
    const r = await fx.dlq.groups();
    expect(r).toMatchObject({ by: 'path', scanned: 8, truncated: false });
    expect(r.groups.map((g) => [g.path, g.count])).toEqual([
      [PRICES, 5],
      [MESSAGES, 1],
      ['oip.ver', 1],
      [null, 1],
    ]);
    expect(r.groups[0]).toEqual({
      path: PRICES,
      kind: 'mapping_conflict',
      count: 5,
      degraded: 0,
      recordTypes: { shoppingList: 5 },
      codes: { SYNC_ERR_MAPPING_CONFLICT: 5 },
      fixedTypes: ['long'],
      incomingTypes: ['float'],
      rules: [],
      samples: ['[4.5]', '[3.5]', '[2.5]'],
      firstSeen: 1000,
      lastSeen: 1004,
    });
    expect(r.groups[1]).toMatchObject({
      kind: 'mapping_conflict',
      degraded: 1,
      fixedTypes: ['text'],
      incomingTypes: ['object'],
      recordTypes: { conversationSession: 1 },
    });
    expect(r.groups[2]).toMatchObject({
      kind: 'invalid',
      rules: ['Expected string to match pattern'],
      codes: { SYNC_ERR_INVALID_RECORD: 1 },
    });
    expect(r.groups[3]).toMatchObject({ kind: null, codes: { SYNC_ERR_EXHAUSTED: 1 } });
    expect(await fx.dlq.groups({ maxScan: 3 })).toMatchObject({ scanned: 3, truncated: true });
  });

  it('list and replayMany by path touch exactly that path; the rest stays dead', async () => {
    const prices = [];
    for (let i = 0; i < 4; i++) prices.push(await fx.addConflict(i, PRICES));
    const other = await fx.addConflict(9, 'data.shoppingList.item_names', {
      fixedType: 'text',
      incomingType: 'object',
    });
    const plain = await fx.add(10, DeadLetterCodes.MAPPING_CONFLICT);
    expect((await fx.dlq.list({ path: PRICES })).map((e) => e.did).sort()).toEqual([...prices].sort());
    expect((await fx.dlq.list({ path: PRICES, limit: 2, offset: 1 })).length).toBe(2);
    const results = await fx.dlq.replayMany({ path: PRICES });
    expect(results.map((r) => r.did).sort()).toEqual([...prices].sort());
    expect(results.every((r) => r.replayed)).toBe(true);
    expect(await fx.records.getWaitingCount()).toBe(4);
    expect((await fx.dlq.list()).map((e) => e.did).sort()).toEqual([other, plain].sort());
    for (const d of [other, plain]) expect((await fx.state.get(d))?.state).toBe('dead');
    const c = await fx.state.counters();
    expect(c).toMatchObject({ discovered: 10, dead: 6, replayed: 4, inflight: 4 });
    expect(invariantHolds(c)).toBe(true);
  });

  it('a degraded record is counted apart, deduplicated by discovery, replayable, and the invariant holds throughout', async () => {
    const did = await fx.addConflict(1, MESSAGES, { fixedType: 'text', incomingType: 'object', degraded: true });
    let c = await fx.state.counters();
    expect(c).toMatchObject({ discovered: 1, degraded: 1, dead: 0, inflight: 0 });
    expect(invariantHolds(c)).toBe(true);
    expect(await fx.state.claim([{ did, version: '5' }])).toEqual([{ kind: 'dedup' }]);
    expect(await fx.dlq.replay(did)).toMatchObject({ replayed: true, replay: 1 });
    expect(await fx.state.get(did)).toEqual({ state: 'queued', version: '5', replay: 1 });
    expect(await fx.state.finish(did, '5', 1, 'indexed')).toBe('finished');
    c = await fx.state.counters();
    expect(c).toMatchObject({ discovered: 3, degraded: 1, indexed: 1, deduplicated: 1, replayed: 1, inflight: 0 });
    expect(invariantHolds(c)).toBe(true);
    // The same invariant without the degraded term would be off by the degraded count.
    expect(c.discovered).toBe(c.indexed + c.gone + c.dead + c.deduplicated + c.inflight + 1);
  });
});
