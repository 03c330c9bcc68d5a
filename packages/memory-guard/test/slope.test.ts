import { describe, expect, it } from 'vitest';
import { leastSquaresSlope, slopeMBPerMin, type Point } from '../src/index.js';
import { MB, noise } from './helpers.js';

// Ten minutes at one sample every 5 s, starting at a realistic epoch time.
const T0 = 1_763_800_000_000;
const STEP = 5_000;
const N = 120;
const MIN = 60_000;

function series(f: (tMin: number) => number, jitterMB = 0): Point[] {
  const rnd = noise(7);
  return Array.from({ length: N }, (_, i) => {
    const t = T0 + i * STEP;
    return { t, v: f((i * STEP) / MIN) + rnd() * jitterMB * MB };
  });
}

/** Heap that climbs `A` MB per period `P` min and drops back after GC, on a floor growing `g` MB/min. */
function sawtooth(A: number, P: number, g: number) {
  return (tMin: number) => (200 + g * tMin + A * ((tMin % P) / P)) * MB;
}

describe('least-squares slope', () => {
  it('is 0 for fewer than two points or no time spread', () => {
    expect(leastSquaresSlope([])).toBe(0);
    expect(leastSquaresSlope([{ t: 1, v: 5 }])).toBe(0);
    expect(
      leastSquaresSlope([
        { t: 1, v: 5 },
        { t: 1, v: 9 },
      ]),
    ).toBe(0);
  });

  // Tolerance: ±0.1 MB/min for ±2 MB uniform noise over 120 samples (3σ of the estimator ≈ 0.11).
  it('flat series with ±2 MB noise → |slope| < 0.1 MB/min', () => {
    const s = slopeMBPerMin(series(() => 150 * MB, 2));
    expect(Math.abs(s)).toBeLessThan(0.1);
  });

  it('linear growth of 3 MB/min with ±2 MB noise → 3 ± 0.1 MB/min', () => {
    const s = slopeMBPerMin(series((m) => (150 + 3 * m) * MB, 2));
    expect(s).toBeGreaterThan(2.9);
    expect(s).toBeLessThan(3.1);
  });

  it('0.4 MB/min (just under the 0.5 goal) is told apart from 0.6 MB/min', () => {
    expect(slopeMBPerMin(series((m) => (150 + 0.4 * m) * MB, 1))).toBeLessThan(0.5);
    expect(slopeMBPerMin(series((m) => (150 + 0.6 * m) * MB, 1))).toBeGreaterThan(0.5);
  });

  // A whole-period sawtooth biases least squares by A / (k² · P): 20 MB, 1 min, k = 10 → 0.2 MB/min.
  it('sawtooth after GC with a flat floor → |slope| ≤ 0.25 MB/min (bias bound 0.2)', () => {
    const s = slopeMBPerMin(series(sawtooth(20, 1, 0)));
    expect(Math.abs(s)).toBeLessThanOrEqual(0.25);
  });

  it('sawtooth after GC on a floor growing 2 MB/min → 2 ± 0.25 MB/min', () => {
    const s = slopeMBPerMin(series(sawtooth(20, 1, 2)));
    expect(s).toBeGreaterThan(1.75);
    expect(s).toBeLessThan(2.25);
  });

  it('keeps precision with epoch-millisecond timestamps', () => {
    const pts = [0, 1, 2, 3].map((i) => ({ t: T0 + i * MIN, v: i * MB }));
    expect(slopeMBPerMin(pts)).toBeCloseTo(1, 9);
  });
});
