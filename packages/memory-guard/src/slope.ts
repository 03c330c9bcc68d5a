/** One observation for slope fitting: time in ms, value in any unit. */
export interface Point {
  t: number;
  v: number;
}

/**
 * Ordinary least-squares slope of v over t, in value units per millisecond.
 * Returns 0 for fewer than two points or a zero time spread (nothing to fit).
 *
 * Least squares rather than last-minus-first (the legacy tracker) so that one GC drop at
 * either end of the window does not swing the rate: over k whole GC periods of amplitude A
 * and period P the bias of a pure sawtooth is A / (k² · P).
 */
export function leastSquaresSlope(points: readonly Point[]): number {
  const n = points.length;
  if (n < 2) return 0;
  // Centre on the first point so epoch-sized timestamps do not lose precision when squared.
  const t0 = points[0]!.t;
  let sumT = 0;
  let sumV = 0;
  for (const p of points) {
    sumT += p.t - t0;
    sumV += p.v;
  }
  const meanT = sumT / n;
  const meanV = sumV / n;
  let cov = 0;
  let varT = 0;
  for (const p of points) {
    const dt = p.t - t0 - meanT;
    cov += dt * (p.v - meanV);
    varT += dt * dt;
  }
  return varT === 0 ? 0 : cov / varT;
}

const MB = 1024 * 1024;
const MINUTE_MS = 60_000;

/** Least-squares slope of a byte series, in MB per minute. */
export function slopeMBPerMin(points: readonly Point[]): number {
  return (leastSquaresSlope(points) * MINUTE_MS) / MB;
}

/** Least-squares slope of a count series (sockets, fds), in units per minute. */
export function slopePerMin(points: readonly Point[]): number {
  return leastSquaresSlope(points) * MINUTE_MS;
}
