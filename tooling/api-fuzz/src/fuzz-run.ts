// Runs a seeded fast-check stream of requests with a fixed number in flight and tallies what came
// back. fast-check generates the requests in order (the same seed, the same requests); the run does
// not stop at the first failure, so one pass shows every kind. Afterwards each distinct failure
// (route and status) is replayed on its own from its run index (fast-check's replay path) and
// shrunk to the smallest request that still fails the same way: the counterexample to report.
import fc from 'fast-check';
import { describeRequest, IDENTITIES, type FuzzRequest, type Identity } from './fuzz-request.js';
import type { FuzzOutcome } from './fuzz-sender.js';

export interface FuzzRunOptions {
  arbitrary: fc.Arbitrary<FuzzRequest>;
  send: (r: FuzzRequest) => Promise<FuzzOutcome>;
  seed: number;
  /** Requests to send. */
  requests: number;
  /** Requests in flight at once. @defaultValue 8 */
  concurrency?: number;
  /** Distinct failures replayed and shrunk. @defaultValue 5 */
  shrinkLimit?: number;
  /** Time bound of one shrink, ms. @defaultValue 60000 */
  shrinkTimeMs?: number;
  /** Failures kept with their request (the rest are only counted). @defaultValue 200 */
  keepFailures?: number;
  /** Called every `progressEvery` requests. */
  onProgress?: (sent: number) => void;
  /** @defaultValue 1000 */
  progressEvery?: number;
}

/** What one route got. */
export interface RouteTally {
  sent: number;
  valid: number;
  invalid: number;
  byIdentity: Record<Identity, number>;
  byStatus: Map<number, number>;
}

export interface FuzzFailure {
  /** The run index (fast-check's replay path). */
  index: number;
  request: FuzzRequest;
  outcome: FuzzOutcome;
}

export interface ShrunkFailure {
  original: FuzzFailure;
  /** The smallest request found that fails the same way (null: it did not fail again on its own). */
  shrunk: FuzzRequest | null;
  outcome: FuzzOutcome | null;
  shrinks: number;
}

export interface FuzzReport {
  seed: number;
  sent: number;
  durationMs: number;
  byStatus: Map<number, number>;
  byRoute: Map<string, RouteTally>;
  /** 4xx error codes and how often each came back. */
  codes: Map<string, number>;
  /** Requests answered 5xx, not answered, or not sent. */
  failureCount: number;
  failures: FuzzFailure[];
  shrunk: ShrunkFailure[];
  /** Slowest answers, ms. */
  latency: { p50: number; p99: number; max: number };
}

/** A 5xx, no answer at all, or a request the client could not send. */
export const isFailure = (o: FuzzOutcome): boolean => o.status >= 500 || o.status <= 0;

const failureKey = (r: FuzzRequest, o: FuzzOutcome): string => `${r.route} ${o.status}`;

function tally(byRoute: Map<string, RouteTally>, r: FuzzRequest, o: FuzzOutcome): void {
  let t = byRoute.get(r.route);
  if (!t) {
    t = {
      sent: 0,
      valid: 0,
      invalid: 0,
      byIdentity: Object.fromEntries(IDENTITIES.map((i) => [i, 0])) as Record<Identity, number>,
      byStatus: new Map(),
    };
    byRoute.set(r.route, t);
  }
  t.sent++;
  t[r.kind]++;
  t.byIdentity[r.identity]++;
  t.byStatus.set(o.status, (t.byStatus.get(o.status) ?? 0) + 1);
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

export async function runFuzz(opts: FuzzRunOptions): Promise<FuzzReport> {
  const concurrency = opts.concurrency ?? 8;
  const keep = opts.keepFailures ?? 200;
  const every = opts.progressEvery ?? 1000;
  const started = performance.now();
  const byStatus = new Map<number, number>();
  const byRoute = new Map<string, RouteTally>();
  const codes = new Map<string, number>();
  const failures: FuzzFailure[] = [];
  const firstOfKind = new Map<string, FuzzFailure>();
  // A bounded sample of latencies (every request up to 50,000, then every 10th).
  const latencies: number[] = [];
  let failureCount = 0;
  let sent = 0;
  let index = 0;
  const inflight = new Set<Promise<void>>();

  const record = (i: number, r: FuzzRequest, o: FuzzOutcome): void => {
    sent++;
    byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    if (o.code !== undefined && o.status < 500) codes.set(o.code, (codes.get(o.code) ?? 0) + 1);
    tally(byRoute, r, o);
    if (latencies.length < 50_000 || sent % 10 === 0) latencies.push(o.ms);
    if (isFailure(o)) {
      failureCount++;
      const f = { index: i, request: r, outcome: o };
      if (failures.length < keep) failures.push(f);
      if (!firstOfKind.has(failureKey(r, o))) firstOfKind.set(failureKey(r, o), f);
    }
    if (sent % every === 0) opts.onProgress?.(sent);
  };

  const details = await fc.check(
    fc.asyncProperty(opts.arbitrary, async (r) => {
      while (inflight.size >= concurrency) await Promise.race(inflight);
      const i = index++;
      const p: Promise<void> = opts
        .send(r)
        .then((o) => record(i, r, o))
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }),
    { seed: opts.seed, numRuns: opts.requests },
  );
  await Promise.all(inflight);
  if (details.failed)
    throw new Error(`the fuzz run itself failed: ${String(details.errorInstance)}`, { cause: details.errorInstance });

  const shrunk: ShrunkFailure[] = [];
  for (const f of [...firstOfKind.values()].slice(0, opts.shrinkLimit ?? 5)) shrunk.push(await shrink(opts, f));

  const sorted = latencies.sort((a, b) => a - b);
  return {
    seed: opts.seed,
    sent,
    durationMs: Math.round(performance.now() - started),
    byStatus,
    byRoute,
    codes,
    failureCount,
    failures,
    shrunk,
    latency: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0 },
  };
}

/** Replays run `f.index` alone and shrinks it while it keeps failing the same way (route and status). */
async function shrink(opts: FuzzRunOptions, f: FuzzFailure): Promise<ShrunkFailure> {
  const outcomes = new WeakMap<FuzzRequest, FuzzOutcome>();
  const sameFailure = (r: FuzzRequest, o: FuzzOutcome) =>
    isFailure(o) && failureKey(r, o) === failureKey(f.request, f.outcome);
  const details = await fc.check(
    fc.asyncProperty(opts.arbitrary, async (r) => {
      const o = await opts.send(r);
      outcomes.set(r, o);
      return !sameFailure(r, o);
    }),
    {
      seed: opts.seed,
      path: String(f.index),
      numRuns: 1,
      interruptAfterTimeLimit: opts.shrinkTimeMs ?? 60_000,
      markInterruptAsFailure: false,
    },
  );
  const shrunk = details.counterexample?.[0] ?? null;
  return { original: f, shrunk, outcome: shrunk ? (outcomes.get(shrunk) ?? null) : null, shrinks: details.numShrinks };
}

/** The report's failures as text: each shrunk counterexample, then the first failures as they came. */
export function describeFailures(
  report: FuzzReport,
  describe: (r: FuzzRequest) => string = (r) => describeRequest(r),
  max = 20,
): string {
  const lines: string[] = [];
  for (const s of report.shrunk) {
    lines.push(
      `${s.original.request.route} answered ${s.original.outcome.status} (run ${s.original.index}, seed ${report.seed}, replay path "${s.original.index}")`,
    );
    lines.push(
      `  first seen: ${describe(s.original.request)} -> ${s.original.outcome.status} ${s.original.outcome.detail ?? ''}`,
    );
    if (s.shrunk && s.outcome)
      lines.push(
        `  shrunk (${s.shrinks} steps): ${describe(s.shrunk)} -> ${s.outcome.status} ${s.outcome.detail ?? ''}`,
      );
    else lines.push('  did not fail again when replayed alone (depends on what ran beside it)');
  }
  lines.push(`${report.failureCount} failing requests in all; the first ${Math.min(max, report.failures.length)}:`);
  for (const f of report.failures.slice(0, max))
    lines.push(
      `  #${f.index} ${describe(f.request)} -> ${f.outcome.status} ${f.outcome.code ?? ''} ${f.outcome.detail ?? ''}`,
    );
  return lines.join('\n');
}
