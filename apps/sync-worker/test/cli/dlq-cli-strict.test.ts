// `oip dlq` argument strictness and code filtering before paging (real Redis, real dead letters).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeadLetterFixture } from '@oip/sync-state/testing';
import { DeadLetterCodes, type DeadLetterPayload } from '@oip/queue-contracts';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo } from '../helpers/cli-io.js';
import { REDIS_URL } from '../helpers/env.js';

let fx: DeadLetterFixture;
beforeEach(() => {
  fx = DeadLetterFixture.open(REDIS_URL, { tag: 's' });
});
afterEach(() => fx.close());

const deadLetter = (n: number, code: DeadLetterPayload['code'], message?: string): Promise<string> =>
  fx.add(n, code, message);

const io = captureIo;

const dids = (json: string | undefined) => (JSON.parse(json ?? 'null') as Array<{ did: string }>).map((e) => e.did);

describe('oip dlq strictness', () => {
  it('--limit 0 returns no entries (service and CLI), the total still printed', async () => {
    await deadLetter(1, DeadLetterCodes.EXHAUSTED);
    await deadLetter(2, DeadLetterCodes.EXHAUSTED);
    expect(await fx.dlq.list({ limit: 0 })).toEqual([]);
    expect(await fx.dlq.list({ limit: 0, code: DeadLetterCodes.EXHAUSTED })).toEqual([]);
    const t = io();
    expect(await runCli(['dlq', 'list', '--limit', '0'], fx.dlq, t.io)).toBe(0);
    expect(t.out).toEqual(['2 dead letters; showing 0']);
    const j = io();
    expect(await runCli(['dlq', 'list', '--limit', '0', '--json'], fx.dlq, j.io)).toBe(0);
    expect(dids(j.out[0])).toEqual([]);
    const r = io();
    expect(await runCli(['dlq', 'replay', '--all', '--limit', '0'], fx.dlq, r.io)).toBe(0);
    expect(r.out).toEqual(['replayed 0 of 0']);
    expect(await fx.dlq.count()).toBe(2);
  });

  it('--code filters before paging: --code X --limit 2 finds matches behind other entries', async () => {
    const wanted: string[] = [];
    // Newest first: the two matches are written first, so 600 other entries sit in front of them
    // (more than one scan page).
    wanted.push(await deadLetter(0, DeadLetterCodes.MAPPING_CONFLICT));
    wanted.push(await deadLetter(1, DeadLetterCodes.MAPPING_CONFLICT));
    for (let i = 2; i < 602; i++) await deadLetter(i, DeadLetterCodes.EXHAUSTED);

    const t = io();
    expect(
      await runCli(['dlq', 'list', '--code', DeadLetterCodes.MAPPING_CONFLICT, '--limit', '2', '--json'], fx.dlq, t.io),
    ).toBe(0);
    expect(dids(t.out[0]).sort()).toEqual([...wanted].sort());
    const one = io();
    expect(
      await runCli(
        ['dlq', 'list', '--code', DeadLetterCodes.MAPPING_CONFLICT, '--limit', '1', '--offset', '1', '--json'],
        fx.dlq,
        one.io,
      ),
    ).toBe(0);
    expect(dids(one.out[0])).toHaveLength(1);
    expect(wanted).toContain(dids(one.out[0])[0]);

    const r = io();
    expect(
      await runCli(
        ['dlq', 'replay', '--all', '--code', DeadLetterCodes.MAPPING_CONFLICT, '--limit', '2'],
        fx.dlq,
        r.io,
      ),
    ).toBe(0);
    expect(r.out).toEqual(['replayed 2 of 2']);
    expect(await fx.records.getWaitingCount()).toBe(2);
    expect(await fx.dlq.count()).toBe(600);
  }, 60_000);

  it.each([
    [['dlq', 'list', '--code'], /'--code <code>' argument missing/],
    [['dlq', 'list', '--code', '--json'], /unknown dead-letter code "--json"/],
    [['dlq', 'replay', '--all', '--code'], /argument missing/],
    [['dlq', 'list', '--limt', '2'], /unknown option '--limt'/],
    [['dlq', 'show', 'did:gun:x', '--all'], /unknown option '--all'/],
    [['dlq', 'list', '--limit', '-1'], /--limit must be a non-negative integer, got "-1"/],
    [['dlq', 'list', '--limit', 'two'], /non-negative integer/],
    [['dlq', 'list', '--limit', '1001'], /--limit must be an integer from 0 to 1000, got "1001"/],
    [['dlq', 'list', '--limit', '1e2'], /non-negative integer/],
    [['dlq', 'list', '--offset', '0x10'], /--offset must be a non-negative integer/],
    [['dlq', 'list', '--code', 'SYNC_ERR_NOPE'], /unknown dead-letter code/],
    [['dlq', 'list', 'extra'], /too many arguments for 'list'/],
    [['dlq', 'replay'], /expected one <did> or --all/],
    [['dlq', 'replay', 'did:gun:x', '--code', DeadLetterCodes.EXHAUSTED], /go with --all/],
    [['dlq', 'frobnicate'], /unknown command 'frobnicate'/],
  ])('%j is a usage error, exit 2, nothing done', async (argv, message) => {
    await deadLetter(1, DeadLetterCodes.EXHAUSTED);
    const t = io();
    expect(await runCli(argv, fx.dlq, t.io)).toBe(2);
    expect(t.out).toEqual([]);
    expect(t.err[0]).toMatch(message);
    expect(t.err[0]).not.toContain('\n');
    expect(t.err[1]).toMatch(/^usage:/);
    expect(await fx.dlq.count()).toBe(1);
    expect(await fx.records.getWaitingCount()).toBe(0);
  });
});
