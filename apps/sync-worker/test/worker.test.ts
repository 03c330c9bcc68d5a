// The worker in-process against the real Redis, a real SQLite file and the fake legacy relay
// (for request counts and scripted faults).
import { describe, expect, it } from 'vitest';
import { MemoryGuard } from '@oip/memory-guard';
import { DELETION_INDEX_SOUL, deletionSoul, didFromSoul } from '@oip/records';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { DeadLetterCodes, JobNames, SYNC_RECORDS_QUEUE, syncRecordJobId } from '@oip/queue-contracts';
import { SyncState } from '@oip/sync-state';
import { invariantHolds } from '@oip/sync-state';
import { legacyRecord } from '@oip/test-kit';
import { conflictingRecord, invalidRecord, seed, soulOf } from './helpers/records.js';
import { useWorkerRun } from './helpers/worker-run.js';

const run = useWorkerRun();
const start = (overrides: Record<string, unknown> = {}) => run.start(overrides);

describe('sync worker', () => {
  it('indexes valid records, dead-letters invalid and conflicting ones after one attempt, and a second pass queues nothing', async () => {
    const records = [
      ...Array.from({ length: 40 }, (_, i) => ({ localId: `ok-${i}`, record: legacyRecord(`ok-${i}`) })),
      ...Array.from({ length: 6 }, (_, i) => ({
        localId: `conflict-${i}`,
        record: conflictingRecord(`conflict-${i}`),
      })),
      ...Array.from({ length: 4 }, (_, i) => ({ localId: `bad-${i}`, record: invalidRecord(`bad-${i}`) })),
    ];
    await seed(run.relay.store, records);
    const w = await start();

    const first = await w.discoverNow();
    expect(first).toMatchObject({ entries: 50, queued: 50, deduplicated: 0 });
    const c = await w.waitIdle(20_000);
    expect(c).toMatchObject({ discovered: 50, indexed: 40, dead: 10, gone: 0, retries: 0, inflight: 0 });
    expect(c.deadByCode).toEqual({ [DeadLetterCodes.MAPPING_CONFLICT]: 6, [DeadLetterCodes.INVALID_RECORD]: 4 });
    expect(await w.store.count()).toBe(40);

    const dead = await w.deadLetters.list({ limit: 100 });
    expect(dead).toHaveLength(10);
    for (const d of dead) {
      expect(d.attempts).toBe(1);
      expect(run.relay.countBySoul(d.soul)).toBe(1); // fetched once: never retried
      expect(d.recordJson).toContain('"oip"');
    }
    const stored = await w.store.get(didFromSoul(soulOf('ok-3')));
    expect(stored?.oip).toMatchObject({
      did: didFromSoul(soulOf('ok-3')),
      didTx: didFromSoul(soulOf('ok-3')),
      storage: 'gun',
    });

    run.relay.resetCounts();
    const second = await w.discoverNow();
    expect(second).toMatchObject({ entries: 50, queued: 0, deduplicated: 50 });
    const c2 = await w.waitIdle(5000);
    expect(c2).toMatchObject({ discovered: 100, deduplicated: 50, indexed: 40, dead: 10 });
    // no record is fetched again: only the deletion index and the three registry indexes are read
    expect(run.relay.countByPath('/get')).toBe(4);
    expect(invariantHolds(c2)).toBe(true);
  });

  it('retries a relay 503 three times, then indexes the record', async () => {
    const [soul] = await seed(run.relay.store, [{ localId: 'flaky', record: legacyRecord('flaky') }]);
    run.relay.addFault({ path: '/get', soul: soul!, status: 503, times: 3 });
    const w = await start({ attempts: 5 });
    await w.discoverNow();
    const c = await w.waitIdle(20_000);
    expect(c).toMatchObject({ indexed: 1, dead: 0, retries: 3 });
    expect(run.relay.countBySoul(soul!)).toBe(4);
    expect(await w.store.get(didFromSoul(soul!))).not.toBeNull();
  });

  it('dead-letters a record as exhausted when its relay is down for every attempt', async () => {
    const [soul] = await seed(run.relay.store, [{ localId: 'down', record: legacyRecord('down') }]);
    run.relay.addFault({ path: '/get', soul: soul!, reset: true, times: Infinity });
    const w = await start({ attempts: 3 });
    await w.discoverNow();
    const c = await w.waitIdle(20_000);
    expect(c).toMatchObject({ indexed: 0, dead: 1, retries: 2 });
    expect(c.deadByCode).toEqual({ [DeadLetterCodes.EXHAUSTED]: 1 });
    expect(run.relay.countBySoul(soul!)).toBe(3);
    const dl = await w.deadLetters.show(didFromSoul(soul!));
    expect(dl).toMatchObject({ code: DeadLetterCodes.EXHAUSTED, attempts: 3, recordJson: null });
    expect(dl!.lastFailedAt).toBeGreaterThanOrEqual(dl!.firstFailedAt);
  });

  it('dead-letters a record as exhausted when its relay process is gone (connection refused)', async () => {
    const [soul] = await seed(run.relay.store, [{ localId: 'gone-relay', record: legacyRecord('gone-relay') }]);
    // Hold the first fetch long enough to take the relay away under it.
    run.relay.addFault({ path: '/get', soul: soul!, delayMs: 300 });
    const w = await start({ attempts: 3 });
    await w.discoverNow();
    await run.relay.close();
    const c = await w.waitIdle(20_000);
    expect(c).toMatchObject({ indexed: 0, dead: 1, retries: 2, inflight: 0 });
    const dl = await w.deadLetters.show(didFromSoul(soul!));
    expect(dl).toMatchObject({ code: DeadLetterCodes.EXHAUSTED, attempts: 3 });
    expect(await w.store.count()).toBe(0);
  });

  it('dead-letters a relay 4xx (other than 404/408/429) at once, and counts a 404 as gone without retry', async () => {
    const [rejected, missing] = await seed(run.relay.store, [
      { localId: 'rejected', record: legacyRecord('rejected') },
      { localId: 'missing', record: legacyRecord('missing') },
    ]);
    run.relay.addFault({ path: '/get', soul: rejected!, status: 403, times: Infinity });
    run.relay.store.delete(missing!);
    const w = await start();
    await w.discoverNow();
    const c = await w.waitIdle(20_000);
    expect(c).toMatchObject({ indexed: 0, dead: 1, gone: 1, retries: 0 });
    expect(c.deadByCode).toEqual({ [DeadLetterCodes.RELAY_REJECTED]: 1 });
    expect(c.goneByReason).toEqual({ not_found: 1 });
    expect(run.relay.countBySoul(rejected!)).toBe(1);
    expect(run.relay.countBySoul(missing!)).toBe(1);
  });

  it('does not re-queue a dead record until replayed; replay after the fix indexes it; a new version re-queues', async () => {
    const [soul] = await seed(run.relay.store, [{ localId: 'fixme', record: conflictingRecord('fixme') }]);
    const did = didFromSoul(soul!);
    const w = await start();
    await w.discoverNow();
    await w.waitIdle(10_000);
    expect((await w.deadLetters.show(did))?.code).toBe(DeadLetterCodes.MAPPING_CONFLICT);

    // The publisher fixes the record without a new registry timestamp: discovery leaves it dead.
    run.relay.store.put(soul!, legacyRecord('fixme'));
    expect((await w.discoverNow()).queued).toBe(0);
    expect(await w.store.get(did)).toBeNull();

    const r = await w.deadLetters.replay(did);
    expect(r).toMatchObject({ replayed: true, replay: 1 });
    const c = await w.waitIdle(10_000);
    expect(c).toMatchObject({ indexed: 1, dead: 1, replayed: 1, inflight: 0 });
    expect(invariantHolds(c)).toBe(true);
    expect(await w.store.get(did)).not.toBeNull();
    expect(await w.deadLetters.show(did)).toBeNull();
    expect((await w.deadLetters.replay(did)).replayed).toBe(false);

    // A new registry timestamp is a new version: queued again.
    await seed(run.relay.store, [{ localId: 'fixme', record: legacyRecord('fixme'), timestamp: 1730505700000 }]);
    expect((await w.discoverNow()).queued).toBe(1);
    expect((await w.waitIdle(10_000)).indexed).toBe(2);
  });

  it('applies the deletion registry: removes indexed records and never re-indexes them', async () => {
    const [keep, gone] = await seed(run.relay.store, [
      { localId: 'keep', record: legacyRecord('keep') },
      { localId: 'delete-me', record: legacyRecord('delete-me') },
    ]);
    const w = await start();
    await w.discoverNow();
    await w.waitIdle(10_000);
    expect(await w.store.count()).toBe(2);

    const did = didFromSoul(gone!);
    run.relay.store.put(deletionSoul(did), { did, deletedAt: Date.now(), deletedBy: 'pk' });
    run.relay.store.put(DELETION_INDEX_SOUL, { [did]: { did, deletedAt: Date.now(), deletedBy: 'pk' } });
    const report = await w.discoverNow();
    expect(report).toMatchObject({ deletionsApplied: 1, deletedSkipped: 1, queued: 0 });
    expect(await w.store.get(did)).toBeNull();
    expect(await w.store.get(didFromSoul(keep!))).not.toBeNull();
    const c = await w.counters();
    expect(c.deleted).toBe(1);
    expect(invariantHolds(c)).toBe(true);
  });

  it('serves counters and the invariant on /health and /metrics', async () => {
    await seed(run.relay.store, [
      { localId: 'm1', record: legacyRecord('m1') },
      { localId: 'm2', record: invalidRecord('m2') },
    ]);
    const w = await start({ healthPort: 0 });
    await w.discoverNow();
    await w.waitIdle(10_000);
    const health = (await (await fetch(`${w.healthUrl()}/health`)).json()) as {
      invariantOk: boolean;
      counters: { indexed: number };
    };
    expect(health).toMatchObject({ invariantOk: true, counters: { indexed: 1 } });
    const text = await (await fetch(`${w.healthUrl()}/metrics`)).text();
    expect(text).toMatch(/^oip_sync_indexed_total 1$/m);
    expect(text).toMatch(/^oip_sync_discovered_total 2$/m);
    expect(text).toMatch(/^oip_sync_dead_by_code_total\{code="SYNC_ERR_INVALID_RECORD"\} 1$/m);
    expect(text).toMatch(/^oip_sync_invariant_ok 1$/m);
    expect(text).toMatch(/^oip_sync_dead_letters 1$/m);
    const nf = await fetch(`${w.healthUrl()}/nope`);
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as { error: { code: string } }).error.code).toBe('SYNC_ERR_NOT_FOUND');
  });

  it('pauses record processing while memory is critical and resumes after', async () => {
    await seed(run.relay.store, [
      { localId: 'p1', record: legacyRecord('p1') },
      { localId: 'p2', record: legacyRecord('p2') },
    ]);
    const guard = new MemoryGuard({ thresholds: { heapUsedBytes: { critical: 1 } } });
    try {
      const w = await run.start({ healthPort: 0 }, { memoryGuard: guard });
      const critical = guard.sample(); // any heap is above 1 byte: critical
      await new Promise((r) => setTimeout(r, 50));
      await w.discoverNow();
      await new Promise((r) => setTimeout(r, 300));
      expect(await w.counters()).toMatchObject({ indexed: 0, inflight: 2 });
      const health = (await (await fetch(`${w.healthUrl()}/health`)).json()) as { status: string; memory: string };
      expect(health).toMatchObject({ status: 'paused', memory: 'critical' });
      expect(await (await fetch(`${w.healthUrl()}/metrics`)).text()).toMatch(/^oip_sync_memory_guard_status 2$/m);

      guard.record({ ...critical, heapUsed: 0 });
      expect((await w.waitIdle(10_000)).indexed).toBe(2);
    } finally {
      guard.close();
    }
  });

  it('revives a queued record whose job failed outside the processor, so in-flight drains', async () => {
    const [soul] = await seed(run.relay.store, [{ localId: 'orphan', record: legacyRecord('orphan') }]);
    const did = didFromSoul(soul!);
    const version = '1730505600000';
    // A job that died without reaching our processor's dead-letter path (e.g. Redis dropped mid-write).
    await new SyncState(run.env.redis, run.env.prefix).claim([{ did, version }]);
    const q = new Queue(SYNC_RECORDS_QUEUE, { connection: run.env.redis, prefix: run.env.prefix });
    const rogue = new Worker(
      SYNC_RECORDS_QUEUE,
      async () => {
        throw new UnrecoverableError('simulated crash');
      },
      { connection: run.env.redis, prefix: run.env.prefix },
    );
    try {
      const jobId = syncRecordJobId(did, version);
      await q.add(
        JobNames.SYNC_RECORD,
        { did, soul, recordType: 'workout', version, relay: run.relay.url, discoveredAt: 1 },
        { jobId, attempts: 3 },
      );
      for (let i = 0; i < 100 && (await q.getJobState(jobId)) !== 'failed'; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await q.getJobState(jobId)).toBe('failed');
    } finally {
      await rogue.close();
      await q.close();
    }
    const w = await start();
    expect(await w.discoverNow()).toMatchObject({ requeued: 1, queued: 0 });
    const c = await w.waitIdle(10_000);
    expect(c).toMatchObject({ indexed: 1, inflight: 0 });
    expect(invariantHolds(c)).toBe(true);
  });
});
