// oip_sync_stage_seconds: where a record's time goes in one worker process, one observation per
// record and stage (the scaling benchmark sums it over the workers' /metrics).
import { describe, expect, it } from 'vitest';
import { useWorkerRun } from './helpers/worker-run.js';
import { legacyRecord } from '@oip/test-kit';
import { conflictingRecord, seed } from './helpers/records.js';

const run = useWorkerRun();

const countOf = (text: string, stage: string): number => {
  const m = new RegExp(`^oip_sync_stage_seconds_count\\{stage="${stage}"\\} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
};

describe('stage timings', () => {
  it('observes each stage once per record: fetch, checks, store write and finish; dead letters apart', async () => {
    await seed(run.relay.store, [
      ...Array.from({ length: 20 }, (_, i) => ({ localId: `ok${i}`, record: legacyRecord(`ok${i}`) })),
      ...Array.from({ length: 5 }, (_, i) => ({ localId: `bad${i}`, record: conflictingRecord(`bad${i}`) })),
    ]);
    const w = await run.start();
    await w.discoverNow();
    const c = await w.waitIdle(30_000);
    expect(c.indexed).toBe(20);
    expect(c.dead).toBe(5);
    const text = await w.metrics.registry.metrics();
    expect(countOf(text, 'queue_wait')).toBe(25);
    expect(countOf(text, 'relay_fetch')).toBe(25);
    expect(countOf(text, 'validate_convert')).toBe(25);
    // The conflicting records reach the store too: it is the store that refuses them.
    expect(countOf(text, 'store_write')).toBe(25);
    expect(countOf(text, 'state_finish')).toBe(25);
    expect(countOf(text, 'dead_letter')).toBe(5);
    // One per batch: at least one, at most one per record.
    expect(countOf(text, 'store_flush')).toBeGreaterThanOrEqual(1);
    expect(countOf(text, 'store_flush')).toBeLessThanOrEqual(25);
    const sum = /^oip_sync_stage_seconds_sum\{stage="relay_fetch"\} ([\d.e-]+)$/m.exec(text);
    expect(Number(sum?.[1])).toBeGreaterThan(0);
  });
});
