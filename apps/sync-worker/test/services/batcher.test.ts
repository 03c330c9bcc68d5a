import { describe, expect, it } from 'vitest';
import { MicroBatcher } from '../../src/services/batcher.js';

describe('MicroBatcher', () => {
  it('flushes at maxItems without waiting for the timer', async () => {
    const sizes: number[] = [];
    const b = new MicroBatcher<number, number>({
      flush: async (xs) => (sizes.push(xs.length), xs.map((x) => x * 2)),
      maxItems: 3,
      maxWaitMs: 60_000,
    });
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((x) => b.add(x)));
    expect(results).toEqual([2, 4, 6, 8, 10, 12]);
    expect(sizes).toEqual([3, 3]);
    await b.close();
  });

  it('flushes a partial batch after maxWaitMs', async () => {
    const sizes: number[] = [];
    const b = new MicroBatcher<number, number>({
      flush: async (xs) => (sizes.push(xs.length), xs),
      maxItems: 100,
      maxWaitMs: 20,
    });
    const t0 = Date.now();
    expect(await Promise.all([b.add(1), b.add(2)])).toEqual([1, 2]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
    expect(sizes).toEqual([2]);
    await b.close();
  });

  it('rejects every item of a batch whose flush throws, and refuses items beyond its bound and after close', async () => {
    const b = new MicroBatcher<number, number>({
      flush: async () => {
        throw new Error('store down');
      },
      maxItems: 2,
      maxWaitMs: 1000,
      maxPending: 2,
    });
    const a = b.add(1);
    const c = b.add(2);
    await expect(a).rejects.toThrow('store down');
    await expect(c).rejects.toThrow('store down');
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slow = new MicroBatcher<number, number>({
      flush: async (xs) => (await gate, xs),
      maxItems: 5,
      maxWaitMs: 10_000,
      maxPending: 10,
    });
    const held = Array.from({ length: 10 }, (_, i) => slow.add(i)); // two batches stuck in a slow store
    expect(slow.pending).toBe(10);
    await expect(slow.add(99)).rejects.toMatchObject({
      code: 'SYNC_ERR_BATCHER_FULL',
      message: 'batcher holds its maximum of 10 items',
    });
    const closing = slow.close(); // waits for the writes in progress
    release();
    await closing;
    expect(await Promise.all(held)).toHaveLength(10);
    expect(slow.pending).toBe(0);
    await expect(slow.add(1)).rejects.toMatchObject({ code: 'SYNC_ERR_BATCHER_CLOSED', message: 'batcher is closed' });
    await b.close();
  });
});
