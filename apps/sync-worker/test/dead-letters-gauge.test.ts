// oip_sync_dead_letters reads the dead-letter queue's size at scrape time without ever waiting on a
// Redis that is down or slow: fresh while up, the last value read otherwise.
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createSyncMetrics, lastKnownCount } from '../src/health/metrics.js';

const noCounters = { counters: async () => null };

describe('lastKnownCount', () => {
  it('reads while up, keeps the last value while down or slow, and never waits past its bound', async () => {
    let up = true;
    let next: () => Promise<number> = async () => 3;
    let reads = 0;
    const count = lastKnownCount(
      () => {
        reads++;
        return next();
      },
      () => up,
      50,
    );
    expect(await count()).toBe(3);
    up = false;
    next = async () => 9;
    expect(await count()).toBe(3);
    expect(reads).toBe(1);
    up = true;
    next = () => new Promise<number>(() => {}); // Redis not answering
    const t0 = performance.now();
    expect(await count()).toBe(3);
    expect(performance.now() - t0).toBeLessThan(1000);
    next = async () => {
      throw new Error('connection reset');
    };
    expect(await count()).toBe(3);
    next = async () => 4;
    expect(await count()).toBe(4);
  });

  it('is null before any read (the gauge keeps its value: 0 at first); then the gauge shows the count', async () => {
    let up = false;
    const registry = new Registry();
    createSyncMetrics(noCounters, registry, {
      deadLetters: lastKnownCount(
        async () => 7,
        () => up,
        50,
      ),
    });
    expect(await registry.metrics()).toMatch(/^oip_sync_dead_letters 0$/m);
    up = true;
    expect(await registry.metrics()).toMatch(/^oip_sync_dead_letters 7$/m);
    up = false;
    expect(await registry.metrics()).toMatch(/^oip_sync_dead_letters 7$/m);
  });
});
