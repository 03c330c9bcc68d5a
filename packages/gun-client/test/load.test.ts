import { describe, expect, it } from 'vitest';
import type { GunClient } from '../src/index.js';
import { sampleRecord, settledMemory, useFakeRelay } from './helpers.js';

const fx = useFakeRelay();
let client: GunClient;
/** One call of a mix: hits, misses (fresh and cached), puts and transient failures. */
async function mixed(c: GunClient, i: number): Promise<void> {
  switch (i % 5) {
    case 0:
      await c.getRecord(`abcdefabcdef:r${i % 200}`);
      break;
    case 1:
      await c.getRecord(`abcdefabcdef:missing-${i % 500}`);
      break;
    case 2:
      await c.putRecord(`abcdefabcdef:r${i % 200}`, sampleRecord);
      break;
    case 3:
      await c.getRegistryIndex('workout');
      break;
    default:
      await c.getSoul(`abcdefabcdef:r${i % 200}`).catch(() => null);
  }
}

const unexpected: unknown[] = [];

async function run(c: GunClient, calls: number, concurrency: number, onSample: () => void): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        const i = next++;
        // Injected 503s may outlast a call's attempts; anything else is a failure of the test.
        await mixed(c, i).catch((e: { code?: string }) => {
          if (e.code !== 'GUN_ERR_UPSTREAM') unexpected.push(e);
        });
        if (i % 250 === 0) onSample();
      }
    }),
  );
}

describe('10,000 mixed calls', () => {
  it('never hold more than pool-size sockets and do not grow heap or external memory', async () => {
    client = fx.client({ connections: 10 });
    fx.relay.addFault({ path: '/get', status: 503, times: 300 });
    let maxSockets = 0;
    let maxRelayConns = 0;
    const sample = () => {
      maxSockets = Math.max(maxSockets, client.stats().openSockets ?? 0);
      maxRelayConns = Math.max(maxRelayConns, fx.relay.openConnections());
    };
    await run(client, 2000, 40, sample); // warm-up: JIT, pool, caches at their working size
    const before = settledMemory();
    await run(client, 10_000, 40, sample);
    const grown = settledMemory() - before;

    expect(unexpected).toEqual([]);
    expect(maxSockets).toBeLessThanOrEqual(10);
    expect(maxRelayConns).toBeLessThanOrEqual(10);
    expect(client.stats().inFlight).toBe(0);
    expect(grown).toBeLessThan(6 * 1024 * 1024);
    const s = client.stats();
    expect(s.negativeCache?.size).toBeLessThanOrEqual(500);
    expect(s.retries).toBeGreaterThan(0);
  });
});
