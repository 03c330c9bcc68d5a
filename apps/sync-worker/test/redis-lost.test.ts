// Redis restarted empty mid-run, and Redis down, against the worker's own redis-server child
// (test/helpers/own-redis.ts), a real fake relay, a real SQLite store and a real health port.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { didFromSoul } from '@oip/records';
import { pino } from 'pino';
import { startSyncWorker, type SyncWorker } from '../src/worker.js';
import { createTestEnv, type TestEnv } from './helpers/env.js';
import { startOwnRedis, type OwnRedis } from './helpers/own-redis.js';
import { legacyRecord, until } from '@oip/test-kit';
import { seed } from './helpers/records.js';
import { Redis } from 'ioredis';
import { SYNC_DISCOVERY_QUEUE } from '@oip/queue-contracts';

// Long enough that no scheduled pass is in flight when Redis is killed: a pass caught mid-way
// replays its queued commands into the empty Redis on reconnect, before the state watch notices
// the loss, and its records are then fetched from the relay instead of repaired from the store
// (correct, only not the repair this test measures). The passes this test needs are the one at
// start and the one the watch makes due at once after the loss.
const INTERVAL_MS = 30_000;
const N = 20;

let relay: FakeRelay;
let env: TestEnv;
let redis: OwnRedis;
let worker: SyncWorker | null = null;
let logLines: Array<{ level: number; msg: string; suppressed?: number }> = [];

beforeEach(async () => {
  relay = await startFakeRelay();
  env = await createTestEnv([relay.url]);
  redis = await startOwnRedis();
  logLines = [];
});
afterEach(async () => {
  await worker?.close();
  worker = null;
  await redis.stop();
  await relay.close();
  await env.cleanup();
});

async function start(): Promise<SyncWorker> {
  const logger = pino(
    { level: 'warn' },
    { write: (line: string) => void logLines.push(JSON.parse(line) as (typeof logLines)[number]) },
  );
  const config = env.config({
    redisUrl: redis.url,
    discoverOnStart: true,
    syncIntervalMs: INTERVAL_MS,
    recordTypes: ['workout'],
    healthPort: 0,
    stateCheckMs: 100,
    healthReadTimeoutMs: 300,
    errorLogWindowMs: 5000,
    shutdownTimeoutMs: 2000,
  });
  return (worker = await startSyncWorker(config, { logger, memoryGuard: false }));
}

async function timed(url: string): Promise<{ status: number; body: string; ms: number }> {
  const t = Date.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.text(), ms: Date.now() - t };
}

/**
 * Waits until no discovery pass runs or waits (the pass at start and the job scheduler's first one
 * can overlap): a pass caught by the kill would replay its queued commands into the empty Redis.
 */
async function discoveryIdle(): Promise<void> {
  const r = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    const base = `${env.prefix}:${SYNC_DISCOVERY_QUEUE}`;
    await until(
      async () => {
        const [active, waiting, prioritized] = await Promise.all([
          r.llen(`${base}:active`),
          r.llen(`${base}:wait`),
          r.zcard(`${base}:prioritized`),
        ]);
        return active + waiting + prioritized === 0;
      },
      { what: 'no discovery pass running or waiting', timeoutMs: 10_000, intervalMs: 50 },
    );
  } finally {
    r.disconnect();
  }
}

const records = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ localId: `${prefix}-${i}`, record: legacyRecord(`${prefix}-${i}`) }));

// Noticing the loss (one state check) plus indexing the repaired records; generous because the
// whole suite runs two workspaces at once on two cores, and a loaded machine missed 8 s.
const RESUME_SLACK_MS = 15_000;

describe('Redis state lost', () => {
  it('notices an empty Redis, recreates the scheduler, reports the loss, and repairs from the store without relay GETs', async () => {
    const souls = await seed(relay.store, records('r', N));
    const w = await start();
    await until(async () => (await w.counters()).indexed === N, { what: 'first pass indexed', timeoutMs: 10_000 });
    expect(w.stateLost()).toBeNull();
    await discoveryIdle();

    await redis.kill(); // SIGKILL: everything in Redis is gone
    // One new record and one new version of a known one arrive while Redis is down (so no pass
    // can see them before the loss): those two are fetched, the other 19 repaired from the store.
    await seed(relay.store, [
      ...records('r', N).map((r, i) => (i === 0 ? { ...r, timestamp: 1730505600001 } : r)),
      { localId: 'new-1', record: legacyRecord('new-1') },
    ]);
    relay.resetCounts();
    await redis.launch(); // back, empty, on the same port
    const lostAt = Date.now();
    await until(async () => w.stateLost(), { what: 'state loss noticed', timeoutMs: 5000 });
    const c = await until(
      async () => {
        const c = await w.counters();
        return c.indexed === N + 1 && c.inflight === 0 && c;
      },
      { what: 'discovery resumed and repaired', timeoutMs: RESUME_SLACK_MS },
    );
    expect(Date.now() - lostAt).toBeLessThan(RESUME_SLACK_MS);
    expect(c).toMatchObject({ discovered: N + 1, queued: N + 1, indexed: N + 1, dead: 0, gone: 0 });
    for (const soul of souls.slice(1)) expect(relay.countBySoul(soul)).toBe(0);
    expect(relay.countBySoul(souls[0]!)).toBe(1);
    expect(await w.store.count()).toBe(N + 1);
    expect((await w.store.get(didFromSoul(souls[0]!)))?.oip.syncVersion).toBe('1730505600001');

    const health = await timed(`${w.healthUrl()}/health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({
      redis: 'up',
      stateLost: { count: 1, reason: 'check' },
      counters: { indexed: N + 1 },
    });
    const metrics = await timed(`${w.healthUrl()}/metrics`);
    expect(metrics.body).toMatch(/^oip_sync_state_lost_total 1$/m);
    expect(metrics.body).toMatch(new RegExp(`^oip_sync_repaired_total ${N - 1}$`, 'm'));
    await until(async () => !w.repairing(), { what: 'repair mode off', timeoutMs: 5000 });
  }, 60_000);

  it('while Redis is down, /health (503) and /metrics answer within 1 s from last-known values, and the error log is rate-limited', async () => {
    await seed(relay.store, records('d', 5));
    const w = await start();
    await until(async () => (await w.counters()).indexed === 5, { what: 'indexed', timeoutMs: 10_000 });
    await until(
      async () => {
        const h = JSON.parse((await timed(`${w.healthUrl()}/health`)).body) as { counters?: { indexed?: number } };
        return h.counters?.indexed === 5;
      },
      { what: 'counters cached', timeoutMs: 2000 },
    );

    await redis.kill();
    const downAt = Date.now();
    await until(async () => !w.redisUp(), { what: 'redis marked down', timeoutMs: 2000 });
    for (let i = 0; i < 3; i++) {
      const h = await timed(`${w.healthUrl()}/health`);
      expect(h.ms).toBeLessThan(1000);
      expect(h.status).toBe(503);
      expect(JSON.parse(h.body)).toMatchObject({ redis: 'down', counters: { indexed: 5 } });
      const m = await timed(`${w.healthUrl()}/metrics`);
      expect(m.ms).toBeLessThan(1000);
      expect(m.status).toBe(200);
      expect(m.body).toMatch(/^oip_sync_redis_up 0$/m);
      expect(m.body).toMatch(/^oip_sync_indexed_total 5$/m);
    }
    await new Promise((r) => setTimeout(r, 3000 - (Date.now() - downAt)));
    // Six sources (redis, state redis, two queues, two workers, DLQ ones stay silent) at one line
    // each per 5 s window; unlimited this was ~16 lines a second.
    const errors = logLines.filter((l) => l.level >= 50);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThanOrEqual(8);

    await redis.restart();
    await until(async () => w.redisUp(), { what: 'redis back up', timeoutMs: 5000 });
    expect((await timed(`${w.healthUrl()}/health`)).status).toBe(200);
  }, 40_000);
});
