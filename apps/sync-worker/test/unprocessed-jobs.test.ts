// On the real Redis and SQLite: a job BullMQ fails for stalling past the limit, which the processor
// never runs (recognised by its stall counter, not by the error text), and, through a whole worker,
// a job naming a relay the worker has no client for (dead-lettered by the processor with its own
// code, never read elsewhere; test/processors/sync-record.test.ts runs the processor alone).
import { afterEach, describe, expect, it } from 'vitest';
import { Job, Queue, Worker } from 'bullmq';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { didFromSoul } from '@oip/records';
import { DeadLetterCodes, JobNames, SYNC_RECORDS_QUEUE, syncRecordJobId } from '@oip/queue-contracts';
import { DeadLetterService, SyncState, invariantHolds } from '@oip/sync-state';
import { createUnprocessedJobs, stalledPastLimit } from '../src/services/unprocessed-jobs.js';
import { silent } from './helpers/env.js';
import { legacyRecord, until } from '@oip/test-kit';
import { seed } from './helpers/records.js';
import { useWorkerRun } from './helpers/worker-run.js';

const run = useWorkerRun();
const VERSION = '1730505600000';
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** Claims the record and queues its job the way discovery does, naming `relay`. */
async function queueJob(soul: string, relay: string): Promise<{ did: string; jobId: string; queue: Queue }> {
  const did = didFromSoul(soul);
  await new SyncState(run.env.redis, run.env.prefix).claim([{ did, version: VERSION }]);
  const queue = new Queue(SYNC_RECORDS_QUEUE, { connection: run.env.redis, prefix: run.env.prefix });
  closers.push(() => queue.close());
  const jobId = syncRecordJobId(did, VERSION);
  await queue.add(
    JobNames.SYNC_RECORD,
    { did, soul, recordType: 'workout', version: VERSION, relay, discoveredAt: 1 },
    { jobId, attempts: 3 },
  );
  return { did, jobId, queue };
}

describe('stalled jobs', () => {
  it("a job that stalled past maxStalledCount is dead-lettered as exhausted, by BullMQ's stall counter", async () => {
    const [soul] = await seed(run.relay.store, [{ localId: 'stall', record: legacyRecord('stall') }]);
    const { did, jobId, queue } = await queueJob(soul!, run.relay.url);
    // A worker that takes the job and goes silent: no lock renewal, as if its process hung.
    let hang = () => {};
    const rogue = new Worker(SYNC_RECORDS_QUEUE, () => new Promise<void>((r) => (hang = r)), {
      connection: run.env.redis,
      prefix: run.env.prefix,
      lockDuration: 500,
      skipLockRenewal: true,
      skipStalledCheck: true,
    });
    rogue.on('error', () => {});
    closers.push(async () => {
      await rogue.close(true);
      hang();
    });
    await until(async () => (await queue.getJobState(jobId)) === 'active', {
      what: 'the rogue worker to hold the job',
      timeoutMs: 10_000,
      intervalMs: 25,
    });
    await rogue.close(true);

    const w = await run.start({ maxStalledCount: 0, stalledIntervalMs: 500, lockDurationMs: 2000 });
    const c = await until(() => w.counters(), {
      what: 'the stalled job to be dead-lettered',
      ok: (counters) => counters.dead === 1,
      timeoutMs: 10_000,
      intervalMs: 25,
    });
    expect(c).toMatchObject({ dead: 1, indexed: 0, inflight: 0, deadByCode: { [DeadLetterCodes.EXHAUSTED]: 1 } });
    expect(invariantHolds(c)).toBe(true);
    const entry = await w.deadLetters.show(did);
    expect(entry).toMatchObject({ code: DeadLetterCodes.EXHAUSTED, sourceRelay: run.relay.url });
    expect(entry?.message).toMatch(/^stalled 1 times \(limit 0\)/);
    // Failed by BullMQ, never run by our processor: the record was not fetched.
    expect(run.relay.countBySoul(soul!)).toBe(0);
    const job = await Job.fromId(queue, jobId);
    expect(job?.stalledCounter).toBe(1);
  }, 20_000);

  it('an error that only says "stalled" does not dead-letter a job that never stalled', async () => {
    const [soul] = await seed(run.relay.store, [{ localId: 'talk', record: legacyRecord('talk') }]);
    const { did, jobId, queue } = await queueJob(soul!, run.relay.url);
    const job = await Job.fromId(queue, jobId);
    expect(job).toBeDefined();
    expect(stalledPastLimit(job!, 0)).toBe(false);
    const deadLetters = new DeadLetterService({ connection: run.env.redis, prefix: run.env.prefix });
    closers.push(() => deadLetters.close());
    const state = new SyncState(run.env.redis, run.env.prefix);
    const unprocessed = createUnprocessedJobs({
      state,
      deadLetters,
      maxStalledCount: 0,
      logger: silent,
    });
    await unprocessed.onFailed(job!, new Error('job stalled more than allowable limit'));
    expect(await deadLetters.show(did)).toBeNull();
    expect(await state.get(did)).toMatchObject({ state: 'queued', version: VERSION });
    // The same check on a stall counter past the limit with BullMQ's deferred failure says yes.
    expect(stalledPastLimit({ stalledCounter: 1, deferredFailure: 'job stalled more than allowable limit' }, 0)).toBe(
      true,
    );
    expect(stalledPastLimit({ stalledCounter: 1, deferredFailure: 'job stalled more than allowable limit' }, 1)).toBe(
      false,
    );
  });
});

describe('a relay without a client', () => {
  let other: FakeRelay | undefined;
  afterEach(async () => {
    await other?.close();
    other = undefined;
  });

  it('is dead-lettered as SYNC_ERR_RELAY_NOT_CONFIGURED without reading any relay; configured and replayed, it indexes', async () => {
    other = await startFakeRelay();
    const [soul] = await seed(other.store, [{ localId: 'elsewhere', record: legacyRecord('elsewhere') }]);
    // The configured relay holds the same soul: the old fallback would have indexed it from here.
    await seed(run.relay.store, [{ localId: 'elsewhere', record: legacyRecord('elsewhere') }]);
    const { did } = await queueJob(soul!, other.url);

    const w = await run.start();
    const c = await w.waitIdle(10_000);
    expect(c).toMatchObject({ dead: 1, indexed: 0, deadByCode: { [DeadLetterCodes.RELAY_NOT_CONFIGURED]: 1 } });
    expect(run.relay.countBySoul(soul!)).toBe(0);
    expect(other.countBySoul(soul!)).toBe(0);
    expect(await w.store.count()).toBe(0);
    const entry = await w.deadLetters.show(did);
    expect(entry).toMatchObject({ code: DeadLetterCodes.RELAY_NOT_CONFIGURED, sourceRelay: other.url, attempts: 1 });
    expect(entry?.message).toContain(other.url);

    // The operator's fix: add the relay, replay by code.
    const fixed = await run.start({ relays: [run.relay.url, other.url] });
    expect(await fixed.deadLetters.replayMany({ code: DeadLetterCodes.RELAY_NOT_CONFIGURED })).toMatchObject([
      { did, replayed: true },
    ]);
    const after = await fixed.waitIdle(10_000);
    // Counters are cumulative: the replay is discovered again and indexed; the dead one stays counted.
    expect(after).toMatchObject({ discovered: 2, replayed: 1, indexed: 1, dead: 1, inflight: 0 });
    expect(invariantHolds(after)).toBe(true);
    expect(other.countBySoul(soul!)).toBe(1);
    expect(run.relay.countBySoul(soul!)).toBe(0);
  });
});
