// A worker restarted on an existing Redis prefix runs its first discovery at start, not one
// whole interval later (the scheduler already exists then, so upserting it alone waits).
import { describe, expect, it } from 'vitest';
import { legacyRecord } from '@oip/test-kit';
import { seed } from './helpers/records.js';
import type { SyncWorker } from '../src/worker.js';
import { useWorkerRun } from './helpers/worker-run.js';

const run = useWorkerRun({ config: { discoverOnStart: true, syncIntervalMs: 3_600_000, recordTypes: ['workout'] } });

async function waitIndexed(w: SyncWorker, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = await w.counters();
    if (c.indexed >= n && c.inflight === 0) return;
    if (Date.now() > deadline)
      throw new Error(`indexed ${c.indexed} of ${n} after ${timeoutMs} ms: ${JSON.stringify(c)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('first discovery at start', () => {
  it('runs at once on a fresh prefix and again at once after a restart on the same prefix', async () => {
    await seed(
      run.relay.store,
      [0, 1, 2].map((i) => ({ localId: `first-${i}`, record: legacyRecord(`first-${i}`) })),
    );
    await waitIndexed(await run.start(), 3, 10_000);
    await run.stop();

    await seed(
      run.relay.store,
      [0, 1, 2, 3, 4].map((i) => ({
        localId: i < 3 ? `first-${i}` : `later-${i}`,
        record: legacyRecord(i < 3 ? `first-${i}` : `later-${i}`),
      })),
    );
    const restartedAt = Date.now();
    const worker = await run.start();
    await waitIndexed(worker, 5, 10_000);
    expect(Date.now() - restartedAt).toBeLessThan(10_000);
    expect(await worker.store.count()).toBe(5);
  }, 30_000);
});
