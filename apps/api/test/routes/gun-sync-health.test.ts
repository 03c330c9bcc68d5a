// /api/health/gun-sync against the real Redis: state written through @oip/sync-state (the
// worker's own Lua transitions), a dead letter, a discovery pass run by a real BullMQ worker,
// and a records-queue worker connected; then the same route with Redis unreachable.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { DeadLetterCodes, JobNames, SYNC_DISCOVERY_QUEUE, SYNC_RECORDS_QUEUE } from '@oip/queue-contracts';
import { DeadLetterFixture } from '@oip/sync-state/testing';
import { useApi } from '../helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const start = useApi();
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('GET /api/health/gun-sync', () => {
  it('reports running workers, counters, dead letters and the last discovery pass in the legacy fields', async () => {
    const fx = DeadLetterFixture.open(REDIS_URL, { tag: 'g' });
    cleanup.push(() => fx.close());
    const prefix = fx.prefix;
    // Three records discovered: two indexed, one dead-lettered (the fixture claims and finishes it).
    await fx.state.claim([
      { did: 'did:gun:aaaaaaaaaaaa:ok1', version: '1' },
      { did: 'did:gun:aaaaaaaaaaaa:ok2', version: '1' },
    ]);
    await fx.state.finish('did:gun:aaaaaaaaaaaa:ok1', '1', 0, 'indexed');
    await fx.state.finish('did:gun:aaaaaaaaaaaa:ok2', '1', 0, 'indexed');
    await fx.add(1, DeadLetterCodes.INVALID_RECORD);

    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    cleanup.push(() => connection.quit());
    const report = { entries: 3, queued: 3, requeued: 0 };
    const discovery = new Worker(SYNC_DISCOVERY_QUEUE, async () => report, { connection, prefix });
    const records = new Worker(SYNC_RECORDS_QUEUE, async () => undefined, { connection, prefix });
    cleanup.push(
      () => discovery.close(),
      () => records.close(),
    );
    const q = new Queue(SYNC_DISCOVERY_QUEUE, { connection, prefix });
    cleanup.push(() => q.close());
    await q.add(JobNames.DISCOVER, {});
    await until(() => q.getCompletedCount(), {
      what: 'the discover job completed',
      ok: (n) => n === 1,
      timeoutMs: 10_000,
    });

    const { app } = await start([], { redisUrl: REDIS_URL, queuePrefix: prefix });
    const body = await until(async () => (await app.inject('/api/health/gun-sync')).json(), {
      what: 'the api to see the worker running',
      ok: (b) => b.running === true,
      timeoutMs: 10_000,
    });
    expect(body).toMatchObject({
      service: 'gun-sync',
      status: 'healthy',
      running: true,
      metrics: { totalDiscovered: 3, totalSynced: 2, totalErrors: 1, successRate: '66.7%', syncCycles: 1 },
      deadLetters: 1,
      invariantOk: true,
      lastDiscovery: { report },
    });
    expect(Date.parse(body.metrics.lastSyncTime)).toBeGreaterThan(Date.now() - 60_000);
    expect(body.metrics.lastSyncAgo).toMatch(/^\d+s ago$/);
  }, 30_000);

  it('answers 503 with a stable code, quickly, when Redis does not answer; other routes still work', async () => {
    const { app } = await start([], {
      redisUrl: 'redis://127.0.0.1:1',
      queuePrefix: `t-none-${randomUUID().slice(0, 6)}`,
      syncStatusTimeoutMs: 300,
    });
    const t0 = Date.now();
    const res = await app.inject('/api/health/gun-sync');
    expect([res.statusCode, res.json().error.code]).toEqual([503, 'API_ERR_SYNC_STATUS_UNAVAILABLE']);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect((await app.inject('/api/records')).statusCode).toBe(200);
  });
});

describe('GET /docs', () => {
  it('serves the OpenAPI document with the legacy parameters described, and its UI', async () => {
    const { app } = await start();
    const doc = (await app.inject('/docs/json')).json();
    const params = doc.paths['/api/records'].get.parameters as Array<{
      name: string;
      in: string;
      description?: string;
    }>;
    const byName = new Map(params.map((p) => [p.name, p]));
    for (const name of [
      'recordType',
      'resolveDepth',
      'exactMatch',
      'scheduledOn',
      'summarizeTags',
      'equipmentMatchMode',
    ]) {
      expect(byName.get(name)?.in, name).toBe('query');
      expect(byName.get(name)?.description?.length ?? 0, name).toBeGreaterThan(10);
    }
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/records/creator/{didAddress}', '/api/health/gun-sync']),
    );
    const ui = await app.inject('/docs');
    const html = ui.statusCode === 302 ? await app.inject(String(ui.headers.location)) : ui;
    expect(html.headers['content-type']).toContain('text/html');
  });
});
