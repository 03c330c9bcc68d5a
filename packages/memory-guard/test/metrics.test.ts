import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryGuard, registerMemoryMetrics, type MemoryGuard } from '../src/index.js';
import { MB, makeSample } from './helpers.js';

const guards: MemoryGuard[] = [];
afterEach(() => {
  for (const g of guards.splice(0)) g.close();
});

function family(families: ParsedFamily[], name: string): ParsedFamily {
  const f = families.find((x) => x.name === name);
  if (!f) throw new Error(`metric ${name} missing; have ${families.map((x) => x.name).join(', ')}`);
  return f;
}

function value(f: ParsedFamily, labels: Record<string, string> = {}): number {
  const m = f.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  if (!m?.value) throw new Error(`no ${f.name} ${JSON.stringify(labels)}`);
  return Number(m.value);
}

describe('registerMemoryMetrics', () => {
  it('exposes samples, slopes and status as Prometheus text on the registry passed in', async () => {
    const guard = createMemoryGuard({
      windowMs: 60_000,
      minSlopeSpanMs: 10_000,
      thresholds: { heapUsedMBPerMin: { warn: 1, critical: 5 } },
    });
    guards.push(guard);
    const registry = new Registry();
    const handle = registerMemoryMetrics(guard, registry);
    const t0 = 1_763_800_000_000;
    for (let i = 0; i <= 12; i++) {
      guard.record(
        makeSample({
          timestamp: t0 + i * 5_000,
          heapUsed: (20 + i * 0.25) * MB,
          sockets: 7,
          fds: 31,
          activeResources: { TCPSocketWrap: 7 },
        }),
      );
    }
    const text = await registry.metrics();
    const families = parsePrometheusTextFormat(text);

    expect(value(family(families, 'oip_memory_bytes'), { type: 'heap_used' })).toBe(23 * MB);
    expect(value(family(families, 'oip_memory_growth_mb_per_minute'), { type: 'heap_used' })).toBeCloseTo(3, 6);
    expect(value(family(families, 'oip_memory_guard_status'))).toBe(1);
    expect(value(family(families, 'oip_open_sockets'))).toBe(7);
    expect(value(family(families, 'oip_open_fds'))).toBe(31);
    expect(value(family(families, 'oip_active_resources'), { type: 'TCPSocketWrap' })).toBe(7);
    expect(family(families, 'oip_memory_bytes').type).toBe('GAUGE');
    // prom-client's defaults land on the same registry under their standard names (no prefix).
    expect(families.some((f) => f.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(families.some((f) => f.name === 'nodejs_heap_space_size_total_bytes')).toBe(true);
    expect(families.some((f) => f.name.startsWith('oip_process_') || f.name.startsWith('oip_nodejs_'))).toBe(false);

    handle.unregister();
    expect(registry.getSingleMetric('oip_memory_bytes')).toBeUndefined();
  });

  it('drops label series that disappeared (resource types come and go)', async () => {
    const guard = createMemoryGuard();
    guards.push(guard);
    const registry = new Registry();
    registerMemoryMetrics(guard, registry, { defaultMetrics: false, prefix: 'x_' });
    guard.record(makeSample({ timestamp: 1, activeResources: { TCPSocketWrap: 3, FSReqCallback: 1 } }));
    await registry.metrics();
    guard.record(makeSample({ timestamp: 2, activeResources: { TCPSocketWrap: 1 } }));
    const f = family(parsePrometheusTextFormat(await registry.metrics()), 'x_active_resources');
    expect(f.metrics.map((m) => m.labels?.type)).toEqual(['TCPSocketWrap']);
  });

  it('uses no global state: two guards on two registries do not collide; twice on one registry fails with a code', async () => {
    const a = createMemoryGuard();
    const b = createMemoryGuard();
    guards.push(a, b);
    const ra = new Registry();
    const rb = new Registry();
    registerMemoryMetrics(a, ra, { defaultMetrics: false });
    registerMemoryMetrics(b, rb, { defaultMetrics: false });
    a.record(makeSample({ timestamp: 1, sockets: 1 }));
    b.record(makeSample({ timestamp: 1, sockets: 2 }));
    expect(value(family(parsePrometheusTextFormat(await ra.metrics()), 'oip_open_sockets'))).toBe(1);
    expect(value(family(parsePrometheusTextFormat(await rb.metrics()), 'oip_open_sockets'))).toBe(2);
    expect(() => registerMemoryMetrics(a, ra, { defaultMetrics: false })).toThrow(
      expect.objectContaining({ code: 'MEMGUARD_METRICS_REGISTERED' }),
    );
  });
});
