// POST /api/health/gun-sync/force over the api's real HTTP port, the real Redis and real BullMQ
// workers on the discovery queue standing in for sync-workers (they run `discover` jobs as the
// sync-worker's discovery scheduler does). Legacy: routes/health.js:80-110 (anyone may ask; 400
// "GUN Sync Service is not running"; 200 {message: 'Sync cycle triggered successfully', timestamp}).
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { DISCOVER_JOB_OPTIONS, JobNames, SYNC_DISCOVERY_QUEUE } from '@oip/queue-contracts';
import { listen, call } from '../account-http.js';
import { useApi, usePurgedPrefixes } from '../helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const start = useApi();
const prefixes = usePurgedPrefixes(REDIS_URL);
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

function newPrefix(): string {
  const p = `t-force-${randomUUID().slice(0, 8)}`;
  prefixes.push(p);
  return p;
}

/** A stand-in sync-worker: runs discover jobs, each held until `release()`; counts passes and the most running at once. */
function discoveryWorker(prefix: string, hold = false, stats = { passes: 0, running: 0, maxRunning: 0 }) {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const open: Array<() => void> = [];
  const worker = new Worker(
    SYNC_DISCOVERY_QUEUE,
    async (_job: Job) => {
      stats.running++;
      stats.maxRunning = Math.max(stats.maxRunning, stats.running);
      if (hold) await new Promise<void>((r) => open.push(r));
      stats.running--;
      stats.passes++;
      return { entries: 0 };
    },
    { connection, prefix, concurrency: 1 },
  );
  const release = () => {
    for (const r of open.splice(0)) r();
  };
  cleanup.push(async () => {
    release();
    hold = false;
    await worker.close();
    await connection.quit();
  });
  return { worker, stats, release, stopHolding: () => ((hold = false), release()) };
}

function queueOf(prefix: string) {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const q = new Queue(SYNC_DISCOVERY_QUEUE, { connection, prefix });
  cleanup.push(async () => {
    await q.close();
    await connection.quit();
  });
  return q;
}

async function api(prefix: string, intervalMs: number) {
  const { app } = await start([], { redisUrl: REDIS_URL, queuePrefix: prefix, forceSyncIntervalMs: intervalMs });
  return listen(app);
}

const force = (base: string) => call(base, '/api/health/gun-sync/force', { method: 'POST' });

describe('POST /api/health/gun-sync/force', () => {
  it('400 with legacy text when no sync-worker listens (health.js:88-92), anonymous callers allowed', async () => {
    const base = await api(newPrefix(), 60_000);
    const res = await force(base);
    expect([res.status, res.body['error']]).toEqual([
      400,
      { code: 'API_ERR_SYNC_NOT_RUNNING', message: 'GUN Sync Service is not running' },
    ]);
  });

  it('starts a pass now, answers legacy message and timestamp (health.js:97-100); inside the interval 200 with when the next pass runs, no new pass', async () => {
    const prefix = newPrefix();
    const w = discoveryWorker(prefix);
    await w.worker.waitUntilReady();
    const base = await api(prefix, 1500);
    const t0 = Date.now();
    const first = await force(base);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ message: 'Sync cycle triggered successfully', triggered: true });
    expect(Math.abs(Date.parse(String(first.body['timestamp'])) - t0)).toBeLessThan(5000);
    await until(async () => w.stats.passes, { what: 'the first pass', ok: (n) => n === 1, timeoutMs: 10_000 });

    const second = await force(base);
    expect(second.status).toBe(200);
    expect(second.body['triggered']).toBe(false);
    const next = Date.parse(String(second.body['nextPassAt']));
    expect(next).toBeGreaterThan(Date.now());
    expect(next).toBeLessThanOrEqual(t0 + 1500 + 1000);
    expect(second.body['retryAfterSeconds']).toBeGreaterThanOrEqual(1);
    expect(second.body['message']).toContain(String(second.body['nextPassAt']));
    await new Promise((r) => setTimeout(r, 200));
    expect(w.stats.passes).toBe(1);
    expect(await queueOf(prefix).getJobCounts('waiting', 'active', 'completed')).toMatchObject({ completed: 1 });

    // Once the interval is over, the next request starts a pass again.
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now()) + 50));
    expect((await force(base)).body['triggered']).toBe(true);
    await until(async () => w.stats.passes, { what: 'the second pass', ok: (n) => n === 2, timeoutMs: 10_000 });
  }, 30_000);

  it('coalesces concurrent requests to two api processes on one prefix into one pass', async () => {
    const prefix = newPrefix();
    const w = discoveryWorker(prefix, true);
    await w.worker.waitUntilReady();
    const [a, b] = await Promise.all([api(prefix, 60_000), api(prefix, 60_000)]);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => force(i % 2 === 0 ? a! : b!)));
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(answers.filter((r) => r.body['triggered'] === true)).toHaveLength(1);
    await until(async () => w.stats.running, { what: 'the one pass to run', ok: (n) => n === 1, timeoutMs: 10_000 });
    const q = queueOf(prefix);
    expect(await q.getJobCounts('waiting', 'active', 'delayed')).toEqual({ waiting: 0, active: 1, delayed: 0 });
    w.stopHolding();
    await until(async () => w.stats.passes, { what: 'the one pass to finish', ok: (n) => n === 1, timeoutMs: 10_000 });
  }, 30_000);

  it('adds no pass while one is running (the running pass serves the request)', async () => {
    const prefix = newPrefix();
    const w = discoveryWorker(prefix, true);
    await w.worker.waitUntilReady();
    const q = queueOf(prefix);
    await q.add(JobNames.DISCOVER, {}, { ...DISCOVER_JOB_OPTIONS, jobId: 'scheduled-1' });
    await until(async () => w.stats.running, { what: 'the pass to run', ok: (n) => n === 1, timeoutMs: 10_000 });
    const base = await api(prefix, 60_000);
    const res = await force(base);
    expect([res.status, res.body['triggered']]).toEqual([200, false]);
    expect(res.body['message']).toContain('already running');
    expect(await q.getJobCounts('waiting', 'active', 'delayed')).toEqual({ waiting: 0, active: 1, delayed: 0 });
    w.stopHolding();
  }, 30_000);

  it('a forced pass never runs beside another pass, even on two sync-workers (global concurrency 1)', async () => {
    const prefix = newPrefix();
    // Both workers count into one tally: maxRunning is the most passes running at once on the prefix.
    const stats = { passes: 0, running: 0, maxRunning: 0 };
    const one = discoveryWorker(prefix, true, stats);
    const two = discoveryWorker(prefix, true, stats);
    await Promise.all([one.worker.waitUntilReady(), two.worker.waitUntilReady()]);
    const base = await api(prefix, 60_000);
    // A scheduled pass comes due right after the force request's check.
    const q = queueOf(prefix);
    await q.add(JobNames.DISCOVER, {}, { ...DISCOVER_JOB_OPTIONS, jobId: 'scheduled-2', delay: 300 });
    expect((await force(base)).body['triggered']).toBe(true);
    await until(async () => stats.running, { what: 'the first pass to run', ok: (n) => n === 1, timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 800));
    expect(stats.running).toBe(1);
    // Both passes run, one after the other.
    const releaser = setInterval(() => (one.release(), two.release()), 50);
    cleanup.push(async () => clearInterval(releaser));
    await until(async () => stats.passes, { what: 'both passes', ok: (n) => n === 2, timeoutMs: 10_000 });
    expect(stats.maxRunning).toBe(1);
  }, 30_000);

  it('503 API_ERR_QUEUE_UNAVAILABLE, quickly, when Redis does not answer', async () => {
    const { app } = await start([], {
      redisUrl: 'redis://127.0.0.1:1',
      queuePrefix: newPrefix(),
      syncStatusTimeoutMs: 300,
    });
    const base = await listen(app);
    const t0 = Date.now();
    const res = await force(base);
    expect([res.status, (res.body['error'] as { code: string }).code]).toEqual([503, 'API_ERR_QUEUE_UNAVAILABLE']);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
