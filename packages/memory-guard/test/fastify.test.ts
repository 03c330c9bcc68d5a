import { createHook } from 'node:async_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryGuardPlugin, type MemoryGuardPluginOptions } from '../src/fastify.js';
import { createMemoryGuard, type MemoryGuard } from '../src/index.js';
import { makeSample } from './helpers.js';

const apps: FastifyInstance[] = [];
const guards: MemoryGuard[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const g of guards.splice(0)) g.close();
});

async function build(opts: MemoryGuardPluginOptions = {}): Promise<FastifyInstance> {
  const app = Fastify();
  apps.push(app);
  await app.register(memoryGuardPlugin, { metrics: { defaultMetrics: false }, ...opts });
  app.get('/work', async () => ({ done: true }));
  await app.ready();
  return app;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('memoryGuardPlugin routes', () => {
  it('serves the guard snapshot at /health/memory', async () => {
    const app = await build({ guardOptions: { intervalMs: 20 } });
    await sleep(70);
    const res = await app.inject('/health/memory');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.running).toBe(true);
    expect(body.latest.heapUsed).toBeGreaterThan(0);
    expect(body.latest.heapSpaces.old_space.used).toBeGreaterThan(0);
    expect(typeof body.slopes.heapUsedMBPerMin).toBe('number');
    expect(app.memoryGuard.samples().length).toBeGreaterThan(2);
  });

  it('serves /metrics as Prometheus text that a parser accepts, on a real socket', async () => {
    const registry = new Registry();
    const app = await build({ registry, metrics: {} });
    expect(app.metricsRegistry).toBe(registry);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const families = parsePrometheusTextFormat(await res.text());
    const names = families.map((f) => f.name);
    expect(names).toContain('oip_memory_bytes');
    expect(names).toContain('oip_memory_guard_status');
    expect(names).toContain('process_resident_memory_bytes');
    const rss = families.find((f) => f.name === 'oip_memory_bytes')!.metrics.find((m) => m.labels?.type === 'rss');
    expect(Number(rss?.value)).toBeGreaterThan(1024 * 1024);
  });

  it('keeps the legacy /api/health/memory and /tracker shapes', async () => {
    const guard = createMemoryGuard();
    guards.push(guard);
    const t0 = Date.now() - 60 * 60_000;
    // 40 readings a minute apart, external growing 2 MB/min: the tracker keeps the last 30.
    for (let i = 0; i < 40; i++) {
      guard.record(
        makeSample({
          timestamp: t0 + i * 60_000,
          external: (10 + 2 * i) * 1024 * 1024,
          activeResources: { TCPSocketWrap: 3, FSReqCallback: 1 },
        }),
      );
    }
    const app = await build({ guard, underPressure: false });
    // The plugin starts the guard, which adds one live sample after the synthetic ones.
    const mem = (await app.inject('/api/health/memory')).json();
    expect(mem.memory.rss).toBeGreaterThan(1);
    expect(mem.memory.heapUsed).toBe(Math.round(mem.memory.heapUsed * 10) / 10);
    expect(mem.heapStats.heapSizeLimit).toBeGreaterThan(100);
    expect(typeof mem.uptime).toBe('number');

    const tracker = (await app.inject('/api/health/memory/tracker')).json().tracker;
    expect(tracker.samples).toBe(30);
    expect(tracker.growthRate.externalMBPerMin).toMatch(/^-?\d+\.\d$/);
    expect(tracker.growthRate.heapMBPerMin).toMatch(/^-?\d+\.\d$/);
    expect(tracker.growthRate.rssMBPerMin).toMatch(/^-?\d+\.\d$/);
    expect(tracker.current.handles).toBeGreaterThanOrEqual(0);
    expect(tracker.current.external).toMatch(/^\d+MB$/);
  });

  it('legacy tracker growthRate is the fit over the kept samples', async () => {
    const guard = createMemoryGuard();
    guards.push(guard);
    const t0 = 1_763_800_000_000;
    for (let i = 0; i < 30; i++)
      guard.record(makeSample({ timestamp: t0 + i * 60_000, external: (10 + 2 * i) * 1024 * 1024 }));
    const { legacyTrackerReport } = await import('../src/index.js');
    const t = legacyTrackerReport(guard).tracker;
    expect(t.growthRate.externalMBPerMin).toBe('2.0');
    expect(t.timeSpan).toBe('29.0');
    expect(t.growth.external).toBe('58MB');
  });

  it('can leave routes out', async () => {
    const app = await build({ routes: { legacy: false, metrics: false, health: '/internal/mem' } });
    expect((await app.inject('/api/health/memory')).statusCode).toBe(404);
    expect((await app.inject('/metrics')).statusCode).toBe(404);
    expect((await app.inject('/internal/mem')).statusCode).toBe(200);
  });
});

describe('memoryGuardPlugin load shedding (under-pressure)', () => {
  it('answers 503 with Retry-After under an injected heap threshold, but keeps health routes up', async () => {
    const app = await build({
      underPressure: { maxHeapUsedBytes: 1, maxEventLoopDelay: 0, sampleInterval: 20, retryAfter: 7 },
    });
    await sleep(80);
    const res = await app.inject('/work');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.json()).toMatchObject({
      error: { code: 'MEMGUARD_UNDER_PRESSURE', message: expect.stringContaining('heapUsedBytes') },
      requestId: expect.any(String),
    });
    expect((await app.inject('/health/memory')).statusCode).toBe(200);
    expect((await app.inject('/metrics')).statusCode).toBe(200);
  });

  // Event-loop delay is off here: a 20 ms interval on a busy test box can read as a stall.
  it('answers 200 below the threshold (control)', async () => {
    const app = await build({
      underPressure: { maxHeapUsedBytes: 64 * 1024 ** 3, maxEventLoopDelay: 0, sampleInterval: 20 },
    });
    await sleep(80);
    const res = await app.inject('/work');
    expect(res.body).toBe('{"done":true}');
  });

  it('sheds while the guard is critical when shedOnCritical, and recovers', async () => {
    const guard = createMemoryGuard({ intervalMs: 60_000, thresholds: { sockets: { critical: 100 } } });
    guards.push(guard);
    const app = await build({
      guard,
      underPressure: { shedOnCritical: true, maxEventLoopDelay: 0, sampleInterval: 20 },
    });
    expect((await app.inject('/work')).statusCode).toBe(200);
    guard.record(makeSample({ timestamp: Date.now(), sockets: 500 }));
    await sleep(80);
    expect((await app.inject('/work')).statusCode).toBe(503);
    guard.record(makeSample({ timestamp: Date.now(), sockets: 5 }));
    await sleep(80);
    const res = await app.inject('/work');
    expect(res.body).toBe('{"done":true}');
  });
});

describe('memoryGuardPlugin close', () => {
  it('closes the guard it created and leaves no timers; a guard passed in stays open', async () => {
    const live = new Map<number, string>();
    let capturing = true;
    const hook = createHook({
      init: (id, type) => {
        if (capturing) live.set(id, type);
      },
      destroy: (id) => void live.delete(id),
    }).enable();
    const app = Fastify();
    await app.register(memoryGuardPlugin, {
      guardOptions: { intervalMs: 10 },
      metrics: { defaultMetrics: false },
      underPressure: { shedOnCritical: true, sampleInterval: 10 },
    });
    await app.ready();
    capturing = false;
    const guard = app.memoryGuard;
    await sleep(40);
    await app.close();
    await sleep(30);
    await new Promise((r) => setImmediate(r));
    hook.disable();
    expect(guard.closed).toBe(true);
    expect([...live.values()].filter((t) => t === 'Timeout')).toEqual([]);

    const own = createMemoryGuard();
    guards.push(own);
    const app2 = Fastify();
    await app2.register(memoryGuardPlugin, { guard: own, metrics: { defaultMetrics: false } });
    await app2.ready();
    await app2.close();
    expect(own.closed).toBe(false);
  });
});
