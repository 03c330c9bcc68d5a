// While Redis does not answer, the worker's start waits for it, and its health port is already
// open and says so (503, status 'starting', redis 'down'); once Redis answers the start completes
// and /health says 'running'. A stop while it waits (its signal aborted) closes what it opened at
// once: the health port, and the SQLite store without a -wal file left. Real Redis (a child of the
// test on its own port) and SQLite.
import { readdirSync } from 'node:fs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { freePort } from '@oip/fake-relay/process-group';
import { until } from '@oip/test-kit';
import { startSyncWorker, type SyncWorker } from '../src/worker.js';
import { createTestEnv, silent } from './helpers/env.js';
import { startOwnRedis } from './helpers/own-redis.js';

describe('sync worker health while Redis is down', () => {
  it('opens its health port before Redis answers, reports redis down, and starts once Redis is back', async () => {
    const env = await createTestEnv();
    const own = await startOwnRedis();
    await own.kill();
    const healthPort = await freePort();
    let worker: SyncWorker | undefined;
    try {
      const starting = startSyncWorker(env.config({ redisUrl: own.url, healthPort, healthHost: '127.0.0.1' }), {
        logger: silent,
        memoryGuard: false,
      }).then((w) => (worker = w));
      const health = async () => {
        const res = await fetch(`http://127.0.0.1:${healthPort}/health`, { signal: AbortSignal.timeout(2000) });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const down = await until(() => health().catch(() => null), { what: 'the health port open', timeoutMs: 10_000 });
      expect(down).toMatchObject({ status: 503, body: { status: 'starting', redis: 'down', waitingFor: 'redis' } });
      expect(worker).toBeUndefined();

      await own.launch();
      await starting;
      const up = await until(() => health().then((h) => (h.status === 200 ? h : null)), {
        what: 'health 200 once Redis answers',
        timeoutMs: 15_000,
      });
      expect(up.body).toMatchObject({ status: 'running', redis: 'up' });
    } finally {
      await worker?.close();
      await own.stop();
      await env.cleanup();
    }
  });

  it('gives up a start still waiting for Redis when its signal aborts, closing the health port and the store', async () => {
    const env = await createTestEnv();
    const own = await startOwnRedis();
    await own.kill();
    const healthPort = await freePort();
    const stop = new AbortController();
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino(
      { level: 'info' },
      { write: (l: string) => void lines.push(JSON.parse(l) as (typeof lines)[number]) },
    );
    try {
      const starting = startSyncWorker(env.config({ redisUrl: own.url, healthPort, healthHost: '127.0.0.1' }), {
        logger,
        memoryGuard: false,
        signal: stop.signal,
      });
      const outcome = starting.then(
        () => 'started',
        (err: Error) => err.name,
      );
      await until(
        () =>
          fetch(`http://127.0.0.1:${healthPort}/health`).then(
            () => true,
            () => false,
          ),
        {
          what: 'the health port open',
          timeoutMs: 10_000,
        },
      );
      // Every connection fails the same way: one error line says so for all of them (per window).
      await until(() => lines.some((l) => l.level >= 50), { what: 'an error line', timeoutMs: 5000 });
      // Each connection has failed by now (they all dial at once); none logs a line of its own.
      await new Promise((r) => setTimeout(r, 500));
      expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual(['Redis does not answer at REDIS_URL']);
      const t0 = Date.now();
      stop.abort();
      expect(await outcome).toBe('AbortError');
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(
        await fetch(`http://127.0.0.1:${healthPort}/health`).then(
          () => 'open',
          () => 'closed',
        ),
      ).toBe('closed');
      const files: string[] = readdirSync(env.dir, { recursive: true, encoding: 'utf8' });
      expect(files.filter((f) => f.endsWith('-wal'))).toEqual([]);
    } finally {
      await own.stop();
      await env.cleanup();
    }
  });
});
