// Closed-loop GET load for a fixed time at a fixed concurrency over one bounded undici Pool:
// req/s and latency percentiles, status counts, and the first body (to compare the two sides).
import { Pool } from 'undici';
import { percentile } from '../relay/load.js';

export interface TimedLoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<number, number>;
  firstBody: string;
}

export interface TimedLoadSpec {
  url: string;
  seconds: number;
  concurrency: number;
  /** Path (with query) of request i. */
  path(i: number): string;
}

export async function runTimedLoad(spec: TimedLoadSpec): Promise<TimedLoadResult> {
  const pool = new Pool(spec.url, { connections: spec.concurrency, pipelining: 1 });
  // Latencies in growing chunks: no resize of one big array in the measured loop.
  const chunks: Float64Array[] = [];
  let current = new Float64Array(65_536);
  let used = 0;
  const record = (ms: number): void => {
    if (used === current.length) {
      chunks.push(current);
      current = new Float64Array(65_536);
      used = 0;
    }
    current[used++] = ms;
  };
  const statuses: Record<number, number> = {};
  let firstBody = '';
  let next = 0;
  const t0 = performance.now();
  const deadline = t0 + spec.seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const i = next++;
      const s = performance.now();
      const res = await pool.request({ method: 'GET', path: spec.path(i) });
      if (i === 0) firstBody = await res.body.text();
      else await res.body.dump();
      record(performance.now() - s);
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: spec.concurrency }, worker));
  } finally {
    await pool.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const all = new Float64Array(chunks.length * 65_536 + used);
  chunks.forEach((c, k) => all.set(c, k * 65_536));
  all.set(current.subarray(0, used), chunks.length * 65_536);
  all.sort();
  return {
    requests: all.length,
    seconds,
    rps: all.length / seconds,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    max: all[all.length - 1] ?? 0,
    statuses,
    firstBody,
  };
}
