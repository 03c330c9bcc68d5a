// Closed-loop HTTP load over one bounded undici Pool, with per-request latencies.
import { Pool } from 'undici';

export interface LoadResult {
  count: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<number, number>;
  /** Sorted latencies, ms. */
  latencies: Float64Array;
}

export interface LoadSpec {
  url: string;
  count: number;
  concurrency: number;
  /** Request i: path (+ JSON body for POST). */
  request(i: number): { path: string; body?: string };
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const pool = new Pool(spec.url, { connections: spec.concurrency, pipelining: 1 });
  const lat = new Float64Array(spec.count);
  const statuses: Record<number, number> = {};
  let next = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= spec.count) return;
      const r = spec.request(i);
      const s = performance.now();
      const res = await pool.request({
        path: r.path,
        method: r.body === undefined ? 'GET' : 'POST',
        headers: r.body === undefined ? undefined : { 'content-type': 'application/json' },
        body: r.body,
      });
      await res.body.dump();
      lat[i] = performance.now() - s;
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  const sorted = lat.sort();
  return {
    count: spec.count,
    seconds,
    rps: spec.count / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
    statuses,
    latencies: sorted,
  };
}

/** Combines chunked runs into one result (latency percentiles over all requests). */
export function combine(parts: LoadResult[]): LoadResult {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const seconds = parts.reduce((n, p) => n + p.seconds, 0);
  const all = new Float64Array(count);
  let o = 0;
  const statuses: Record<number, number> = {};
  for (const p of parts) {
    all.set(p.latencies, o);
    o += p.latencies.length;
    for (const [k, v] of Object.entries(p.statuses)) statuses[Number(k)] = (statuses[Number(k)] ?? 0) + v;
  }
  all.sort();
  return {
    count,
    seconds,
    rps: count / seconds,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    max: all[count - 1] ?? 0,
    statuses,
    latencies: all,
  };
}
