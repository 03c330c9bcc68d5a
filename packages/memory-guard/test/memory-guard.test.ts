import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryGuard, type MemoryGuard, type StatusChange } from '../src/index.js';
import { MB, makeSample } from './helpers.js';

const T0 = 1_763_800_000_000;
const guards: MemoryGuard[] = [];
function guard(...args: Parameters<typeof createMemoryGuard>): MemoryGuard {
  const g = createMemoryGuard(...args);
  guards.push(g);
  return g;
}
afterEach(() => {
  for (const g of guards.splice(0)) g.close();
});

describe('MemoryGuard analysis (record)', () => {
  it('stays ok on a flat series and judges slopes only after the minimum span', () => {
    const g = guard({ windowMs: 60_000, minSlopeSpanMs: 30_000 });
    for (let i = 0; i <= 12; i++) g.record(makeSample({ timestamp: T0 + i * 5_000 }));
    expect(g.status()).toBe('ok');
    expect(g.report().slopesJudged).toBe(true);
    expect(g.slopes().heapUsedMBPerMin).toBeCloseTo(0, 9);
  });

  it('turns warn then critical as heap growth accelerates, emitting each change once', () => {
    const changes: StatusChange[] = [];
    const g = guard({
      windowMs: 60_000,
      minSlopeSpanMs: 20_000,
      thresholds: { heapUsedMBPerMin: { warn: 2, critical: 10 } },
      onStatusChange: (c) => changes.push(c),
    });
    let heap = 20 * MB;
    for (let i = 0; i < 60; i++) {
      // 3 MB/min for the first 30 samples (warn), then 30 MB/min (critical).
      heap += (i < 30 ? 3 : 30) * MB * (5 / 60);
      g.record(makeSample({ timestamp: T0 + i * 5_000, heapUsed: heap }));
      if (i === 3) expect(g.report().slopesJudged).toBe(false);
      if (i === 29) expect(g.status()).toBe('warn');
    }
    expect(g.status()).toBe('critical');
    expect(changes.map((c) => `${c.previous}->${c.status}`)).toEqual(['ok->warn', 'warn->critical']);
    expect(changes[1]!.reasons).toContainEqual(
      expect.objectContaining({ metric: 'heapUsedMBPerMin', level: 'critical' }),
    );
  });

  it('does not call start-up growth a leak before minSlopeSpanMs', () => {
    const g = guard({ windowMs: 600_000, thresholds: { heapUsedMBPerMin: { warn: 1, critical: 5 } } });
    for (let i = 0; i < 24; i++) g.record(makeSample({ timestamp: T0 + i * 5_000, heapUsed: (20 + i * 10) * MB }));
    // 120 MB/min, but two minutes is less than half the 10-minute window.
    expect(g.slopes().heapUsedMBPerMin).toBeGreaterThan(100);
    expect(g.status()).toBe('ok');
  });

  it('applies absolute thresholds (sockets, rss, event-loop delay) and returns to ok', () => {
    const g = guard({ thresholds: { sockets: { warn: 10, critical: 50 }, rssBytes: { critical: 500 * MB } } });
    g.record(makeSample({ timestamp: T0, sockets: 20 }));
    expect(g.status()).toBe('warn');
    g.record(makeSample({ timestamp: T0 + 1, sockets: 5, rss: 600 * MB }));
    expect(g.report().reasons).toEqual([
      { metric: 'rssBytes', level: 'critical', value: 600 * MB, threshold: 500 * MB },
    ]);
    g.record(makeSample({ timestamp: T0 + 2, eventLoopDelay: { meanMs: 1500, p99Ms: 2000, maxMs: 2000 } }));
    expect(g.report().reasons[0]).toMatchObject({ metric: 'eventLoopDelayMs', level: 'critical' });
    g.record(makeSample({ timestamp: T0 + 3 }));
    expect(g.status()).toBe('ok');
  });

  it('bounds the history at capacity and fits slopes over the requested window only', () => {
    const g = guard({ capacity: 50 });
    for (let i = 0; i < 200; i++) {
      // Flat for 180 samples, then +1 MB per 5 s sample (12 MB/min) at the end.
      const heap = (20 + Math.max(0, i - 180)) * MB;
      g.record(makeSample({ timestamp: T0 + i * 5_000, heapUsed: heap }));
    }
    expect(g.samples()).toHaveLength(50);
    expect(g.samples()[0]!.timestamp).toBe(T0 + 150 * 5_000);
    expect(g.slopes(60_000).heapUsedMBPerMin).toBeCloseTo(12, 6);
    expect(g.slopes(60_000).samples).toBe(13);
  });

  it('rejects bad options with MEMGUARD_INVALID_OPTIONS', () => {
    expect(() => createMemoryGuard({ intervalMs: 0 })).toThrow(
      expect.objectContaining({ code: 'MEMGUARD_INVALID_OPTIONS' }),
    );
    expect(() => createMemoryGuard({ capacity: 1 })).toThrow(
      expect.objectContaining({ code: 'MEMGUARD_INVALID_OPTIONS' }),
    );
    expect(() => createMemoryGuard({ thresholds: { fds: { warn: 10, critical: 5 } } })).toThrow(
      expect.objectContaining({ code: 'MEMGUARD_INVALID_OPTIONS' }),
    );
  });

  it('a throwing status listener does not break recording', () => {
    const g = guard({ thresholds: { sockets: { warn: 1 } } });
    g.on('status', () => {
      throw new Error('listener bug');
    });
    expect(() => g.record(makeSample({ timestamp: T0, sockets: 5 }))).not.toThrow();
    expect(g.status()).toBe('warn');
  });
});

describe('MemoryGuard sampler (this process)', () => {
  it('samples memory, heap spaces, resources and fds', () => {
    const g = guard();
    const s = g.sample();
    expect(s.rss).toBeGreaterThan(s.heapUsed);
    expect(s.heapTotal).toBeGreaterThanOrEqual(s.heapUsed);
    expect(Object.keys(s.heapSpaces)).toContain('old_space');
    expect(s.heapSizeLimit).toBeGreaterThan(100 * MB);
    if (process.platform === 'linux') expect(s.fds).toBeGreaterThan(2);
  });

  it('counts a real open socket pair and sees it go away', async () => {
    const net = await import('node:net');
    const g = guard();
    const before = g.sample().sockets;
    const server = net.createServer((sock) => sock.on('error', () => {}));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const client = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', r));
    await new Promise((r) => setTimeout(r, 20));
    const during = g.sample().sockets;
    client.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    await new Promise((r) => setTimeout(r, 20));
    const after = g.sample().sockets;
    // server listen socket + client + accepted connection
    expect(during - before).toBeGreaterThanOrEqual(3);
    expect(after).toBe(before);
  });

  it('reports real retained allocation in this process as growing and not ok', async () => {
    const g = guard({
      intervalMs: 40,
      windowMs: 2_000,
      minSlopeSpanMs: 600,
      thresholds: { externalMBPerMin: { warn: 60, critical: 600 } },
    }).start();
    const retained: Buffer[] = [];
    const end = Date.now() + 1_500;
    while (Date.now() < end) {
      retained.push(Buffer.alloc(256 * 1024, 1)); // ~6 MB/s retained → ~375 MB/min
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(g.samples().length).toBeGreaterThan(10);
    expect(g.slopes().externalMBPerMin).toBeGreaterThan(60);
    expect(g.status()).not.toBe('ok');
    expect(retained.length).toBeGreaterThan(0);
  });

  it('refuses to sample or start after close (MEMGUARD_CLOSED)', () => {
    const g = guard();
    g.close();
    g.close();
    expect(() => g.sample()).toThrow(expect.objectContaining({ code: 'MEMGUARD_CLOSED' }));
    expect(() => g.start()).toThrow(expect.objectContaining({ code: 'MEMGUARD_CLOSED' }));
  });
});
