// The worker pauses through memory-guard's pause controller: paused at critical, still paused
// when memory falls back to warn, resumed only at ok (hysteresis), on the real Redis and SQLite.
import { describe, expect, it } from 'vitest';
import { MemoryGuard } from '@oip/memory-guard';
import { legacyRecord } from '@oip/test-kit';
import { seed } from './helpers/records.js';
import { useWorkerRun } from './helpers/worker-run.js';

const run = useWorkerRun();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sync worker memory pause', () => {
  it('pauses at critical, stays paused at warn, resumes at ok', async () => {
    await seed(
      run.relay.store,
      Array.from({ length: 5 }, (_, i) => ({ localId: `m${i}`, record: legacyRecord(`m${i}`) })),
    );
    const guard = new MemoryGuard({ thresholds: { sockets: { warn: 10, critical: 50 } } });
    try {
      const base = guard.sample();
      let t = base.timestamp;
      const at = (sockets: number) => guard.record({ ...base, timestamp: ++t, sockets });
      const w = await run.start({ healthPort: 0 }, { memoryGuard: guard });
      const health = async () =>
        (await (await fetch(`${w.healthUrl()}/health`)).json()) as { status: string; memory: string };

      at(80);
      expect(guard.status()).toBe('critical');
      await sleep(50);
      await w.discoverNow();
      await sleep(300);
      expect(await w.counters()).toMatchObject({ indexed: 0, inflight: 5 });
      expect(await health()).toMatchObject({ status: 'paused', memory: 'critical' });

      at(20);
      expect(guard.status()).toBe('warn');
      await sleep(400);
      // The worker's own copy resumed here; the controller keeps it paused until ok.
      expect(await w.counters()).toMatchObject({ indexed: 0, inflight: 5 });
      expect(await health()).toMatchObject({ status: 'paused', memory: 'warn' });

      at(1);
      expect(guard.status()).toBe('ok');
      expect((await w.waitIdle(10_000)).indexed).toBe(5);
      expect(await health()).toMatchObject({ status: 'running', memory: 'ok' });
    } finally {
      guard.close();
    }
  });

  it('starts paused when memory is already critical, and runs once ok', async () => {
    await seed(run.relay.store, [{ localId: 's1', record: legacyRecord('s1') }]);
    const guard = new MemoryGuard({ thresholds: { sockets: { warn: 10, critical: 50 } } });
    try {
      const base = guard.sample();
      guard.record({ ...base, timestamp: base.timestamp + 1, sockets: 80 });
      const w = await run.start({}, { memoryGuard: guard });
      await w.discoverNow();
      await sleep(300);
      expect(await w.counters()).toMatchObject({ indexed: 0, inflight: 1 });
      guard.record({ ...base, timestamp: base.timestamp + 2, sockets: 0 });
      expect((await w.waitIdle(10_000)).indexed).toBe(1);
    } finally {
      guard.close();
    }
  });
});
