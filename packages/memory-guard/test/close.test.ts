import { createHook } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { createMemoryGuard } from '../src/index.js';

describe('close()', () => {
  it("leaves no timers or handles behind (unref'd ones included)", async () => {
    // Timers are checked through async_hooks below; the runner's own timers come and go.
    const handles = () =>
      process
        .getActiveResourcesInfo()
        .filter((t) => t !== 'Timeout')
        .sort();
    const baseline = handles();
    // Track every async resource created while the guard runs: getActiveResourcesInfo does
    // not list unref'd timers, async_hooks does.
    // Only what start() creates is tracked, not the test's own timers.
    const live = new Map<number, string>();
    let capturing = false;
    const hook = createHook({
      init: (id, type) => {
        if (capturing) live.set(id, type);
      },
      destroy: (id) => void live.delete(id),
    }).enable();
    let ticks = 0;
    const guard = createMemoryGuard({ intervalMs: 10, onStatusChange: () => {} });
    capturing = true;
    guard.start();
    capturing = false;
    expect([...live.values()]).toContain('Timeout');
    guard.on('status', () => ticks++);
    await new Promise((r) => setTimeout(r, 60));
    const samplesBeforeClose = guard.samples().length;
    guard.close();
    await new Promise((r) => setTimeout(r, 60));
    // destroy hooks are emitted from the next turn of the loop.
    await new Promise((r) => setImmediate(r));
    hook.disable();
    expect(samplesBeforeClose).toBeGreaterThan(2);
    // No sample after close: the interval is really gone.
    expect(guard.samples().length).toBe(samplesBeforeClose);
    expect(guard.running).toBe(false);
    expect(guard.listenerCount('status')).toBe(0);
    expect([...live.values()].filter((t) => t === 'Timeout')).toEqual([]);
    expect(handles()).toEqual(baseline);
    expect(ticks).toBe(0);
  });
});
