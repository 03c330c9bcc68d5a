import { describe, expect, it } from 'vitest';
import { judge } from '../../src/soak/analysis.js';
import { parseDuration, parseFlags } from '../../src/soak/flags.js';
import type { ProcSample } from '../../src/soak/probe.js';
import { renderSvg } from '../../src/soak/chart.js';

const MB = 1024 * 1024;
const T0 = 1_763_800_000_000;

/** 10 min at 5 s: heap saw-tooths 30 MB every 40 s on a floor growing `g` MB/min. */
function series(g: number, sockets = 10): ProcSample[] {
  return Array.from({ length: 120 }, (_, i) => {
    const tMin = (i * 5) / 60;
    const heap = (50 + g * tMin + 30 * ((i % 8) / 8)) * MB;
    return {
      t: T0 + i * 5_000,
      rss: (150 + g * tMin) * MB,
      heapUsed: heap,
      heapTotal: heap * 1.5,
      external: 3 * MB,
      sockets,
      fds: 30,
    };
  });
}

describe('soak verdict', () => {
  it('a GC sawtooth on a flat floor meets the 0.5 MB/min goal', () => {
    const v = judge(series(0), T0 + 120_000, 20);
    expect(Math.abs(v.slopes.heapUsed.floor!)).toBeLessThan(0.5);
    expect(v.met).toBe(true);
  });

  it('a floor rising 1 MB/min under the same sawtooth misses it, naming the metric', () => {
    const v = judge(series(1), T0 + 120_000, 20);
    expect(v.slopes.heapUsed.floor!).toBeGreaterThan(0.8);
    expect(v.slopes.heapUsed.floor!).toBeLessThan(1.2);
    expect(v.met).toBe(false);
    expect(v.why.join()).toMatch(/heapUsed floor/);
    expect(v.why.join()).toMatch(/rss fit \+1\.\d\d MB\/min, not settled/);
  });

  it('sockets above the configured bound miss the goal; unknown metrics are not judged', () => {
    expect(judge(series(0, 40), T0, 20).why).toEqual(['sockets 40 > 20']);
    const procOnly = series(0).map((s) => ({ ...s, heapUsed: null, heapTotal: null, external: null }));
    const v = judge(procOnly, T0, null);
    expect(v.slopes.heapUsed.fit).toBeNull();
    expect(v.met).toBe(true);
    expect(judge([], T0, 10).met).toBeNull();
  });
});

describe('soak flags and chart', () => {
  it('parses durations and bounds them to 24 h', () => {
    expect(parseDuration('60s', 'd')).toBe(60_000);
    expect(parseDuration('10m', 'd')).toBe(600_000);
    expect(parseDuration('24h', 'd')).toBe(86_400_000);
    expect(parseDuration('90', 'd')).toBe(90_000);
    expect(() => parseFlags({ duration: '25h' })).toThrow(/24h/);
    expect(() => parseFlags({ scenario: 'nope' })).toThrow(/scenario/);
    // The defaults are the run docs/benchmarks.md stands by: 25 minutes, 10 of warm-up.
    const f = parseFlags({});
    expect(f.durationMs).toBe(25 * 60_000);
    expect(f.warmupMs).toBe(10 * 60_000);
    expect(f.scenario).toBe('mixed');
    expect(f.intervalMs).toBe(10_000);
    expect(parseFlags({ duration: '10m' }).warmupMs).toBe(4 * 60_000);
    expect(parseFlags({ duration: '2m' }).warmupMs).toBe(48_000);
    expect(() => parseFlags({ duration: '2m', warmup: '2m' })).toThrow(/warmup/);
  });

  it('renders one polyline per process and panel', () => {
    const svg = renderSvg(
      [
        { name: 'a', samples: series(0) },
        { name: 'b', samples: series(1) },
      ],
      T0,
      T0 + 600_000,
      T0 + 120_000,
      't',
    );
    expect(svg.match(/<polyline/g)).toHaveLength(8);
    expect(svg.startsWith('<svg')).toBe(true);
  });
});
