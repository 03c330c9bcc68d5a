// `oip dlq …` against real dead letters written through the service (real Redis).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeadLetterFixture } from '@oip/sync-state/testing';
import { DeadLetterCodes, syncRecordJobId, type DeadLetterPayload } from '@oip/queue-contracts';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo } from '../helpers/cli-io.js';
import { REDIS_URL } from '../helpers/env.js';

let fx: DeadLetterFixture;
beforeEach(() => {
  fx = DeadLetterFixture.open(REDIS_URL, { tag: 'r', recordJson: '{"oip":{}}' });
});
afterEach(() => fx.close());

const deadLetter = (n: number, code: DeadLetterPayload['code'], message?: string): Promise<string> =>
  fx.add(n, code, message);

const io = captureIo;

describe('oip dlq', () => {
  it('lists, filters by code and shows entries', async () => {
    const a = await deadLetter(1, DeadLetterCodes.MAPPING_CONFLICT);
    await deadLetter(2, DeadLetterCodes.INVALID_RECORD);
    const t = io();
    expect(await runCli(['dlq', 'list'], fx.dlq, t.io)).toBe(0);
    expect(t.out[0]).toBe('2 dead letters; showing 2');
    const j = io();
    expect(await runCli(['dlq', 'list', '--code', DeadLetterCodes.MAPPING_CONFLICT, '--json'], fx.dlq, j.io)).toBe(0);
    expect((JSON.parse(j.out[0]!) as Array<{ did: string }>).map((e) => e.did)).toEqual([a]);
    const s = io();
    expect(await runCli(['dlq', 'show', a, '--json'], fx.dlq, s.io)).toBe(0);
    expect(JSON.parse(s.out[0]!)).toMatchObject({
      did: a,
      code: DeadLetterCodes.MAPPING_CONFLICT,
      attempts: 1,
      version: '7',
    });
    const missing = io();
    expect(await runCli(['dlq', 'show', 'did:gun:nope'], fx.dlq, missing.io)).toBe(1);
  });

  it('replays one entry as a new job with a replay id, and discards another', async () => {
    const a = await deadLetter(1, DeadLetterCodes.MAPPING_CONFLICT);
    const b = await deadLetter(2, DeadLetterCodes.EXHAUSTED);
    const r = io();
    expect(await runCli(['dlq', 'replay', a], fx.dlq, r.io)).toBe(0);
    const job = await fx.records.getJob(syncRecordJobId(a, '7', 1));
    expect(job?.data).toMatchObject({ did: a, version: '7', replay: 1 });
    expect(await fx.state.get(a)).toEqual({ state: 'queued', version: '7', replay: 1 });
    expect(await fx.dlq.show(a)).toBeNull();

    const d = io();
    expect(await runCli(['dlq', 'discard', b], fx.dlq, d.io)).toBe(0);
    expect(await fx.dlq.count()).toBe(0);
    expect((await fx.state.get(b))?.state).toBe('dead'); // discovery still leaves it alone
    expect(await runCli(['dlq', 'discard', b], fx.dlq, io().io)).toBe(1);
    expect(await runCli(['dlq'], fx.dlq, io().io)).toBe(2);
  });

  it('replays every entry of one code with --all', async () => {
    await deadLetter(1, DeadLetterCodes.MAPPING_CONFLICT);
    await deadLetter(2, DeadLetterCodes.MAPPING_CONFLICT);
    await deadLetter(3, DeadLetterCodes.INVALID_RECORD);
    const t = io();
    expect(await runCli(['dlq', 'replay', '--all', '--code', DeadLetterCodes.MAPPING_CONFLICT], fx.dlq, t.io)).toBe(0);
    expect(t.out[0]).toBe('replayed 2 of 2');
    expect(await fx.dlq.count()).toBe(1);
    expect(await fx.records.getWaitingCount()).toBe(2);
  });

  it('keeps one entry per DID: a later failure replaces the earlier one', async () => {
    const a = await deadLetter(1, DeadLetterCodes.MAPPING_CONFLICT);
    const { id: _id, deadLetteredAt: _at, ...payload } = (await fx.dlq.show(a))!;
    await fx.dlq.write({ ...payload, code: DeadLetterCodes.INVALID_RECORD, message: 'again' });
    expect(await fx.dlq.count()).toBe(1);
    expect((await fx.dlq.show(a))?.code).toBe(DeadLetterCodes.INVALID_RECORD);
  });
});
