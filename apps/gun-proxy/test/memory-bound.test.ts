import { describe, expect, it } from 'vitest';
import { sampleRecord, useProxies } from './helpers.js';

const start = useProxies();
const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

describe('memory stays bounded however many records pass through', () => {
  it("keeps GUN's graph empty between turns, no chains, and the index LRU at its cap", async () => {
    const p = await start({ indexLruSize: 100 });
    const put = async (i: number): Promise<void> => {
      const soul = `${(i % 50).toString(16).padStart(12, 'a')}:m${i}`;
      const res = await p.app.inject({
        method: 'POST',
        url: '/put',
        payload: { soul, data: sampleRecord(soul, i % 2 ? 'post' : 'image') },
      });
      expect(res.statusCode).toBe(200);
    };
    const run = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i += 16)
        await Promise.all(Array.from({ length: Math.min(16, to - i) }, (_, k) => put(i + k)));
    };
    await run(0, 1000);
    const heap1 = heapAfterGc();
    await run(1000, 3000);
    const heap2 = heapAfterGc();

    const peer = p.app.gunPeer;
    expect(peer.graphSize()).toBe(0);
    expect(peer.chainCount()).toBe(0);
    expect(peer.storage.pendingWrites).toBe(0);
    expect(p.app.relay.index.cachedEntries).toBeLessThanOrEqual(100);
    // Everything is on disk, not in memory: 3,000 records are all listable.
    let total = 0;
    for (let i = 0; i < 50; i++)
      total += (await p.app.relay.list(i.toString(16).padStart(12, 'a'), undefined, 500, 0)).length;
    expect(total).toBe(3000);
    // The legacy relay held ~160 KB per record; GUN's 9 s message-id dedup is the only thing
    // that grows with recent traffic here, and it expires.
    if (gc) expect((heap2 - heap1) / 2000).toBeLessThan(4096);
  }, 60_000);
});
