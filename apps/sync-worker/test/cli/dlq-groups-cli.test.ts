// `oip dlq list --group path` and `oip dlq replay --path` against real dead letters (real Redis).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeadLetterFixture } from '@oip/sync-state/testing';
import { DeadLetterCodes } from '@oip/queue-contracts';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo } from '../helpers/cli-io.js';
import { REDIS_URL } from '../helpers/env.js';

const PRICES = 'data.shoppingList.item_prices';
const MESSAGES = 'data.conversationSession.messages';

let fx: DeadLetterFixture;
beforeEach(() => {
  fx = DeadLetterFixture.open(REDIS_URL, { tag: 'gp', recordType: 'shoppingList' });
});
afterEach(() => fx.close());

describe('oip dlq by path', () => {
  it('list --group path prints one line per path: count, record types, fixed vs incoming type, first/last seen, samples', async () => {
    for (let i = 0; i < 3; i++) await fx.addConflict(i, PRICES, { at: Date.UTC(2026, 0, 1 + i) });
    await fx.addConflict(9, MESSAGES, {
      recordType: 'conversationSession',
      fixedType: 'text',
      incomingType: 'object',
      sample: '{"role":"user"}',
      degraded: true,
      at: Date.UTC(2026, 1, 1),
    });
    await fx.add(20, DeadLetterCodes.EXHAUSTED, 'down', 'workout');
    const t = captureIo();
    expect(await runCli(['dlq', 'list', '--group', 'path'], fx.dlq, t.io)).toBe(0);
    expect(t.out).toEqual([
      '5 dead letters in 3 groups by path (scanned 5)',
      `${PRICES}  3 records  shoppingList=3  long vs float  first 2026-01-01T00:00:00.000Z  last 2026-01-03T00:00:00.000Z  samples [2.5] | [1.5] | [0.5]`,
      `${MESSAGES}  1 record (1 degraded)  conversationSession=1  text vs object  first 2026-02-01T00:00:00.000Z  last 2026-02-01T00:00:00.000Z  samples {"role":"user"}`,
      '(no field)  1 record  workout=1  codes SYNC_ERR_EXHAUSTED=1  first 1970-01-01T00:00:01.000Z  last 1970-01-01T00:00:02.000Z',
    ]);
    const j = captureIo();
    expect(await runCli(['dlq', 'list', '--group', 'path', '--json'], fx.dlq, j.io)).toBe(0);
    expect(JSON.parse(j.out[0]!)).toMatchObject({
      by: 'path',
      scanned: 5,
      groups: [{ path: PRICES, count: 3 }, { path: MESSAGES, degraded: 1 }, { path: null }],
    });
    // The plain list marks degraded entries and names their paths.
    const l = captureIo();
    expect(await runCli(['dlq', 'list', '--path', MESSAGES], fx.dlq, l.io)).toBe(0);
    expect(l.out[1]).toMatch(
      new RegExp(`SYNC_ERR_MAPPING_CONFLICT  DEGRADED  attempts=1  did:gun:aaaaaaaaaaaa:gp9  paths=${MESSAGES}`),
    );
  });

  it('replay --path re-queues exactly the entries of that path (with --type too); nothing else moves', async () => {
    const prices = [
      await fx.addConflict(1, PRICES),
      await fx.addConflict(2, PRICES),
      await fx.addConflict(3, PRICES, { recordType: 'mealPlan' }),
    ];
    const other = await fx.addConflict(4, MESSAGES, { fixedType: 'text', incomingType: 'object' });
    const t = captureIo();
    expect(await runCli(['dlq', 'replay', '--path', PRICES, '--type', 'shoppingList'], fx.dlq, t.io)).toBe(0);
    expect(t.out).toEqual([`replayed 2 of 2 (path ${PRICES})`]);
    expect((await fx.dlq.list()).map((e) => e.did).sort()).toEqual([prices[2], other].sort());
    const r = captureIo();
    expect(await runCli(['dlq', 'replay', '--path', PRICES], fx.dlq, r.io)).toBe(0);
    expect(r.out).toEqual([`replayed 1 of 1 (path ${PRICES})`]);
    expect(await fx.records.getWaitingCount()).toBe(3);
    expect((await fx.state.get(other))?.state).toBe('dead');
    const a = captureIo();
    expect(await runCli(['dlq', 'replay', '--all', '--type', 'shoppingList'], fx.dlq, a.io)).toBe(0);
    expect(a.out).toEqual(['replayed 1 of 1']);
  });

  it.each([
    [['dlq', 'list', '--group', 'code'], /--group takes "path"/],
    [['dlq', 'list', '--group', 'path', '--code', DeadLetterCodes.EXHAUSTED], /takes only --json/],
    [['dlq', 'replay', '--all', '--path', PRICES], /drop --all/],
    [['dlq', 'replay', 'did:gun:x', '--type', 'recipe'], /go with --all or --path/],
    [['dlq', 'list', '--path', 'has space'], /dotted field path/],
    [['dlq', 'list', '--type', 'a/b'], /record type name/],
  ])('%j is a usage error, exit 2, nothing done', async (argv, message) => {
    await fx.addConflict(1, PRICES);
    const t = captureIo();
    expect(await runCli(argv, fx.dlq, t.io)).toBe(2);
    expect(t.err[0]).toMatch(message);
    expect(await fx.dlq.count()).toBe(1);
    expect(await fx.records.getWaitingCount()).toBe(0);
  });
});
