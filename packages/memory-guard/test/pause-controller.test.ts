import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryGuard, createPauseController, type MemoryGuard } from '../src/index.js';
import { makeSample } from './helpers.js';

const guards: MemoryGuard[] = [];
afterEach(() => {
  for (const g of guards.splice(0)) g.close();
});

function socketGuard(): MemoryGuard {
  const g = createMemoryGuard({ thresholds: { sockets: { warn: 10, critical: 50 } } });
  guards.push(g);
  return g;
}

/** A stand-in consumer that records what it was told, with an async pause like BullMQ's. */
function consumer() {
  const calls: string[] = [];
  let accepting = true;
  return {
    calls,
    get accepting() {
      return accepting;
    },
    pause: async () => {
      await new Promise((r) => setTimeout(r, 5));
      accepting = false;
      calls.push('pause');
    },
    resume: () => {
      accepting = true;
      calls.push('resume');
    },
  };
}

let ts = 1;
const at = (g: MemoryGuard, sockets: number) => g.record(makeSample({ timestamp: ts++, sockets }));

describe('createPauseController', () => {
  it('pauses on critical, stays paused through warn, resumes on ok', async () => {
    const g = socketGuard();
    const c = consumer();
    const changes: boolean[] = [];
    const pc = createPauseController({ guard: g, pause: c.pause, resume: c.resume, onChange: (p) => changes.push(p) });
    at(g, 20); // warn
    await pc.settled();
    expect(c.accepting).toBe(true);
    at(g, 80); // critical
    expect(pc.paused).toBe(true);
    await pc.settled();
    expect(c.accepting).toBe(false);
    at(g, 20); // back to warn: hysteresis keeps it paused
    await pc.settled();
    expect(c.accepting).toBe(false);
    at(g, 80);
    at(g, 1); // ok
    await pc.settled();
    expect(c.accepting).toBe(true);
    expect(c.calls).toEqual(['pause', 'resume']);
    expect(changes).toEqual([true, false]);
    pc.close();
  });

  it('a quick critical → ok runs pause then resume in order', async () => {
    const g = socketGuard();
    const c = consumer();
    const pc = createPauseController({ guard: g, pause: c.pause, resume: c.resume });
    at(g, 80);
    at(g, 1);
    await pc.settled();
    expect(c.calls).toEqual(['pause', 'resume']);
    expect(c.accepting).toBe(true);
    pc.close();
  });

  it('pauses at once if the guard is already critical, honours pauseAt warn, and stops after close', async () => {
    const g = socketGuard();
    at(g, 80);
    const c = consumer();
    const pc = createPauseController({ guard: g, pause: c.pause, resume: c.resume });
    await pc.settled();
    expect(c.calls).toEqual(['pause']);
    pc.close();
    at(g, 1);
    await pc.settled();
    expect(c.calls).toEqual(['pause']);

    const g2 = socketGuard();
    const c2 = consumer();
    const pc2 = createPauseController({ guard: g2, pause: c2.pause, resume: c2.resume, pauseAt: 'warn' });
    at(g2, 20);
    await pc2.settled();
    expect(c2.accepting).toBe(false);
    pc2.close();
  });

  it('reports a failing pause through onError and keeps working', async () => {
    const g = socketGuard();
    const errors: unknown[] = [];
    const resumed: number[] = [];
    const pc = createPauseController({
      guard: g,
      pause: () => Promise.reject(new Error('redis down')),
      resume: () => void resumed.push(1),
      onError: (e) => errors.push(e),
    });
    at(g, 80);
    at(g, 1);
    await pc.settled();
    expect(errors).toHaveLength(1);
    expect(resumed).toEqual([1]);
    pc.close();
  });
});
