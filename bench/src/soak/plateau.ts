// The RSS verdict of the soak, judged where RSS has settled. RSS rises for minutes after start
// while bounded caches fill (SQLite page caches, allocator arenas) and then stays flat; a fit
// over a window that still holds the climb reads that as growth (a 25-minute run, flat at
// 125 MB from minute 5, fitted +0.54 MB/min from minute 2). A leak rises to the end instead.
import { slopeMBPerMin, type Point } from '@oip/memory-guard';

/** The shortest tail a plateau may be judged on. @defaultValue 5 minutes */
export const MIN_TAIL_MS = 5 * 60_000;
/** Candidate settle points are tried this far apart. @defaultValue 1 minute */
export const STEP_MS = 60_000;
/**
 * A tail from a later settle point must be flat, not just under the goal: its fit must stay under
 * this share of the goal. Trying several windows gives noise several chances; a leak at the goal
 * would otherwise pass on one lucky tail. @defaultValue 0.5
 */
export const PLATEAU_SHARE = 0.5;

/** Slopes are compared as printed (two decimals), so the verdict never disagrees with the figure. */
const printed = (v: number): number => Math.round(v * 100) / 100;

export interface SettledFit {
  /**
   * `whole`: the fit over every sample after warm-up is under the goal. `plateau`: it is not,
   * but the fit from a later settle point to the end is. `missed`: neither.
   */
  rule: 'whole' | 'plateau' | 'missed';
  /** The slope judged, MB/min: of the tail from `settledAt` (plateau), else of the whole window. */
  slope: number;
  /** The fit over every sample after warm-up, MB/min (the rule before issue 15). */
  wholeSlope: number;
  /** Start of the window judged (ms, the samples' clock). */
  settledAt: number;
  end: number;
  /** Latest settle point the rule would try: the tail must keep ≥ half the span and ≥ MIN_TAIL_MS. */
  lastCandidate: number | null;
}

/**
 * The rule: RSS passes when the least-squares fit over every sample after warm-up is below `goal`
 * (`whole`), or else when, from some later settle point s (tried every STEP_MS), the fit from s to
 * the end is below PLATEAU_SHARE × `goal` (`plateau`), where the tail [s, end] keeps at least
 * half of the span after warm-up and at least MIN_TAIL_MS. Every tail ends at the last sample:
 * growth in the second half of a run is never excused, only a climb that stopped. A run too short
 * for such a tail is judged by its whole fit alone.
 *
 * `points` are after warm-up, in time order; null when fewer than 3.
 */
export function settledFit(points: readonly Point[], goal: number): SettledFit | null {
  if (points.length < 3) return null;
  const start = points[0]!.t;
  const end = points.at(-1)!.t;
  const span = end - start;
  const wholeSlope = slopeMBPerMin(points);
  const minTail = Math.max(span / 2, MIN_TAIL_MS);
  const lastCandidate = span - minTail >= STEP_MS ? end - minTail : null;
  if (printed(wholeSlope) < goal)
    return { rule: 'whole', slope: wholeSlope, wholeSlope, settledAt: start, end, lastCandidate };
  if (lastCandidate !== null) {
    for (let s = start + STEP_MS; s <= lastCandidate; s += STEP_MS) {
      const tail = points.filter((p) => p.t >= s);
      if (tail.length < 3) break;
      const slope = slopeMBPerMin(tail);
      if (printed(slope) < goal * PLATEAU_SHARE)
        return { rule: 'plateau', slope, wholeSlope, settledAt: s, end, lastCandidate };
    }
  }
  return { rule: 'missed', slope: wholeSlope, wholeSlope, settledAt: start, end, lastCandidate };
}

/** One line for the report: which rule decided, over which minutes of the run. */
export function describeSettled(f: SettledFit, t0: number): string {
  const min = (t: number) => ((t - t0) / 60_000).toFixed(1);
  const sign = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
  if (f.rule === 'whole') {
    const short = f.lastCandidate === null ? ' (run too short for a plateau test)' : '';
    return `whole window after warm-up (min ${min(f.settledAt)}–${min(f.end)}): ${sign(f.slope)} MB/min${short}`;
  }
  if (f.rule === 'plateau') {
    return `settled from min ${min(f.settledAt)}: ${sign(f.slope)} MB/min over min ${min(f.settledAt)}–${min(f.end)} (whole window after warm-up ${sign(f.wholeSlope)})`;
  }
  const tried =
    f.lastCandidate === null ? 'run too short for a plateau test' : `no settle point up to min ${min(f.lastCandidate)}`;
  return `not settled: ${sign(f.wholeSlope)} MB/min after warm-up, ${tried}`;
}
