import { slopeMBPerMin, type Point } from '@oip/memory-guard';
import { settledFit, type SettledFit } from './plateau.js';
import type { ProcSample } from './probe.js';

/** The goal of the issue: under 0.5 MB/min after warm-up. */
export const GOAL_MB_PER_MIN = 0.5;
/** Legacy figures from the seeds, shown beside ours. */
export const LEGACY = {
  externalMBPerMin: '50–150 (seeds 001, 003)',
  sockets: '5 → 150+ in 30 min (seed 003)',
};

const FLOOR_BUCKETS = 8;

type Metric = 'heapUsed' | 'external' | 'rss';

export interface MetricSlope {
  /** Least squares over every sample after warm-up. */
  fit: number | null;
  /**
   * Least squares over the minimum of each of 8 time slices after warm-up: the post-GC floor.
   * A GC sawtooth biases `fit` in a short window; the floor is what a leak raises.
   */
  floor: number | null;
}

export interface ProcessVerdict {
  samples: number;
  first: ProcSample | undefined;
  last: ProcSample | undefined;
  slopes: Record<Metric, MetricSlope>;
  maxSocketsAfterWarmup: number | null;
  socketBound: number | null;
  /** The RSS judgement: where RSS settled after warm-up and its slope from there (plateau.ts). */
  rss: SettledFit | null;
  /** null when there is nothing to judge (no samples after warm-up). */
  met: boolean | null;
  why: string[];
}

function points(samples: ProcSample[], metric: Metric): Point[] {
  const out: Point[] = [];
  for (const s of samples) {
    const v = s[metric];
    if (v !== null) out.push({ t: s.t, v });
  }
  return out;
}

function floorPoints(pts: Point[]): Point[] {
  if (pts.length < FLOOR_BUCKETS * 2) return pts;
  const t0 = pts[0]!.t;
  const span = pts.at(-1)!.t - t0 || 1;
  const mins: Array<Point | undefined> = new Array(FLOOR_BUCKETS);
  for (const p of pts) {
    const b = Math.min(FLOOR_BUCKETS - 1, Math.floor(((p.t - t0) / span) * FLOOR_BUCKETS));
    if (!mins[b] || p.v < mins[b]!.v) mins[b] = p;
  }
  return mins.filter((p): p is Point => p !== undefined);
}

function slope(samples: ProcSample[], metric: Metric): MetricSlope {
  const pts = points(samples, metric);
  if (pts.length < 3) return { fit: null, floor: null };
  return { fit: slopeMBPerMin(pts), floor: slopeMBPerMin(floorPoints(pts)) };
}

/** Judges one process: heap/external floor slopes, the rss fit, and sockets against the bound. */
export function judge(samples: ProcSample[], warmupEnd: number, socketBound: number | null): ProcessVerdict {
  const after = samples.filter((s) => s.t >= warmupEnd);
  const slopes = { heapUsed: slope(after, 'heapUsed'), external: slope(after, 'external'), rss: slope(after, 'rss') };
  const socketValues = after.map((s) => s.sockets).filter((v): v is number => v !== null);
  const maxSockets = socketValues.length ? Math.max(...socketValues) : null;
  const why: string[] = [];
  let judged = false;
  // heap and external saw-tooth with GC, so their post-GC floor is judged; rss has no such cycle
  // (a one-off drop when V8 shrinks the heap would tilt a floor fit), so its plain fit is judged,
  // from where it settled (plateau.ts: caches filling early in a run are not a leak).
  for (const m of ['heapUsed', 'external'] as const) {
    const f = slopes[m].floor;
    if (f === null) continue;
    judged = true;
    if (f >= GOAL_MB_PER_MIN) why.push(`${m} floor +${f.toFixed(2)} MB/min`);
  }
  const rss = settledFit(points(after, 'rss'), GOAL_MB_PER_MIN);
  if (rss) {
    judged = true;
    if (rss.rule === 'missed') why.push(`rss fit +${rss.wholeSlope.toFixed(2)} MB/min, not settled`);
  }
  if (maxSockets !== null && socketBound !== null) {
    judged = true;
    if (maxSockets > socketBound) why.push(`sockets ${maxSockets} > ${socketBound}`);
  }
  return {
    samples: samples.length,
    first: samples[0],
    last: samples.at(-1),
    slopes,
    maxSocketsAfterWarmup: maxSockets,
    socketBound,
    rss,
    met: judged ? why.length === 0 : null,
    why,
  };
}

export const mb = (v: number | null | undefined): string =>
  v === null || v === undefined ? 'n/a' : (v / 1024 / 1024).toFixed(1);
export const rate = (v: number | null): string => (v === null ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(2)}`);
