// The soak's RSS rule on synthetic series: a climb that stops is caches filling (met), growth that
// goes on to the end is a leak (missed), whatever the warm-up.
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/soak/analysis.js';
import { describeSettled, settledFit } from '../../src/soak/plateau.js';
import type { ProcSample } from '../../src/soak/probe.js';

const MB = 1024 * 1024;
const T0 = 1_763_800_000_000;
const MIN = 60_000;

/** Deterministic noise in [-1, 1) (LCG), so a failure is reproducible. */
function noise(seed = 7): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

/** `minutes` of samples every 10 s (the default interval of a 25-minute run); rss from `rssMB(tMin)` ± `noiseMB`. */
function series(minutes: number, rssMB: (tMin: number) => number, noiseMB = 0.5): ProcSample[] {
  const n = noise();
  return Array.from({ length: (minutes * 60) / 10 + 1 }, (_, i) => {
    const tMin = (i * 10) / 60;
    return {
      t: T0 + i * 10_000,
      rss: (rssMB(tMin) + noiseMB * n()) * MB,
      heapUsed: 40 * MB,
      heapTotal: 60 * MB,
      external: 3 * MB,
      sockets: 10,
      fds: 30,
    };
  });
}

/** The 25-minute run of the docs: RSS climbing 60 → 125 MB to minute 5, then flat at 125 MB. */
const settling = (tMin: number) => (tMin < 5 ? 60 + (125 - 60) * (tMin / 5) : 125);
const leak = (tMin: number) => 100 + 0.5 * tMin;

describe('soak rss rule', () => {
  it('the 25-minute shape (rising to minute 5, flat at 125 MB) is met with the old 2-minute warm-up, settled from about minute 5', () => {
    const v = judge(series(25, settling), T0 + 2 * MIN, 20);
    // The fit over the whole window after warm-up is what used to miss.
    expect(v.slopes.rss.fit!).toBeGreaterThan(0.5);
    expect(v.rss).toMatchObject({ rule: 'plateau' });
    expect(v.rss!.slope).toBeLessThan(0.25);
    expect(v.rss!.settledAt).toBeGreaterThanOrEqual(T0 + 3 * MIN);
    expect(v.rss!.settledAt).toBeLessThanOrEqual(T0 + 6 * MIN);
    expect(v.met).toBe(true);
    expect(v.why).toEqual([]);
    expect(describeSettled(v.rss!, T0)).toMatch(
      /^settled from min \d\.0: [+-]0\.\d\d MB\/min over min \d\.0–25\.0 \(whole window after warm-up \+\d\.\d\d\)$/,
    );
  });

  it('the same shape with the default 10-minute warm-up is met by the whole-window fit', () => {
    const v = judge(series(25, settling), T0 + 10 * MIN, 20);
    expect(v.rss).toMatchObject({ rule: 'whole', settledAt: T0 + 10 * MIN });
    expect(v.met).toBe(true);
  });

  it('a steady +0.5 MB/min leak is missed, with either warm-up', () => {
    for (const warmup of [2, 10]) {
      const v = judge(series(25, leak, 0), T0 + warmup * MIN, 20);
      expect(v.rss).toMatchObject({ rule: 'missed' });
      expect(v.rss!.wholeSlope).toBeCloseTo(0.5, 6);
      expect(v.met).toBe(false);
      expect(v.why).toEqual(['rss fit +0.50 MB/min, not settled']);
    }
  });

  it('measurement noise gives a leak no plateau: no tail of a noisy +0.5 or +0.55 MB/min leak passes', () => {
    for (const [rate, warmup] of [
      [0.5, 2],
      [0.5, 10],
      [0.55, 2],
      [0.55, 10],
    ] as const) {
      const v = judge(
        series(25, (t) => 100 + rate * t),
        T0 + warmup * MIN,
        20,
      );
      expect(v.rss?.rule).not.toBe('plateau');
      expect(v.rss!.wholeSlope).toBeGreaterThan(rate - 0.02);
    }
    // A clear leak misses whatever the noise did.
    expect(
      judge(
        series(25, (t) => 100 + 0.55 * t),
        T0 + 10 * MIN,
        20,
      ).met,
    ).toBe(false);
  });

  it('growth that starts late is never excused: every tail judged ends at the last sample', () => {
    // Flat to minute 13, then +1 MB/min: a settle point would have to be after the growth began.
    const v = judge(
      series(25, (t) => (t < 13 ? 125 : 125 + (t - 13))),
      T0 + 2 * MIN,
      20,
    );
    expect(v.rss?.rule).toBe('missed');
    expect(v.met).toBe(false);
  });

  it('a short run is judged by its whole fit only (too short for a plateau test)', () => {
    const pts = series(2, settling)
      .filter((s) => s.t >= T0 + 48_000)
      .map((s) => ({ t: s.t, v: s.rss! }));
    const f = settledFit(pts, 0.5)!;
    expect(f).toMatchObject({ rule: 'missed', lastCandidate: null });
    expect(describeSettled(f, T0)).toMatch(/run too short for a plateau test/);
    expect(settledFit(pts.slice(0, 2), 0.5)).toBeNull();
  });
});
