// The two-node scenarios about sync itself (what B's store ends up holding), run on SQLite by
// e2e/two-nodes.test.ts and on Elasticsearch by e2e/two-nodes-elasticsearch.test.ts.
import { DeadLetterCodes, SYNC_RECORDS_QUEUE } from '@oip/queue-contracts';
import { expect } from 'vitest';
import { WORKER_CONCURRENCY } from './node-harness.js';
import { pool } from './node-api.js';
import { redisPing } from './probes.js';
import type { TwoNodeRun } from './two-node-run.js';
import { until } from '@oip/test-kit';

export interface Scenario {
  /** Its number in the suite (the test title starts with it). */
  id: number;
  title: string;
  timeoutMs: number;
  run(r: TwoNodeRun): Promise<void>;
}

const WIDEN_PATH = 'data.shoppingList.item_prices';

export const syncScenarios: Scenario[] = [
  {
    id: 1,
    title: "records published on A appear in B's /api/records",
    timeoutMs: 180_000,
    async run(r) {
      await r.publishPosts('first', 20);
      await r.waitConverged('20 posts');
      const c = await r.assertAtRest();
      expect([c.indexed, c.dead, c.gone]).toEqual([20, 0, 0]);
    },
  },
  {
    id: 3,
    title: 'a deletion on A propagates to B',
    timeoutMs: 180_000,
    async run(r) {
      const gone = [...r.published].slice(0, 5);
      for (const did of gone) {
        await r.nodes.a.http.deleteRecord(r.alice.token, did);
        r.published.delete(did);
      }
      await r.waitConverged('5 deletions');
      await r.assertAtRest();
      for (const did of gone)
        expect((await r.nodes.b.http.call(`/api/records/${encodeURIComponent(did)}`)).status).toBe(404);
    },
  },
  {
    id: 4,
    title: '50 poisoned records are dead-lettered on B after one attempt each; widen + replay indexes them',
    timeoutMs: 300_000,
    async run(r) {
      const shopping = (i: number, prices: number[]) => ({
        basic: { name: `list ${i}` },
        shoppingList: { item: prices.map((_, j) => `item ${j}`), item_prices: prices },
      });
      // The first list fixes item_prices (a field outside the per-type table) as a whole number in both stores.
      r.published.add(await r.nodes.a.http.publish(r.alice.token, 'shoppingList', 'list-long', shopping(0, [1, 2])));
      await r.waitConverged('the first shopping list');
      // A's operator widens A's store; B's is still long, so A's fractional prices conflict there.
      await r.widen(r.nodes.a, WIDEN_PATH, 'double');
      const before = await r.countersB();
      const poisoned = await pool(
        Array.from({ length: 50 }, (_, i) => i),
        8,
        (i) =>
          r.nodes.a.http.publish(r.alice.token, 'shoppingList', `list-frac-${i}`, shopping(i + 1, [1.5, i + 0.25])),
      );
      for (const d of poisoned) r.published.add(d);
      const dlq = await until(
        async () => ({
          list: await r.nodes.b.http.deadLetters(r.adminB.token, {
            code: DeadLetterCodes.MAPPING_CONFLICT,
            limit: 100,
          }),
          c: await r.countersB(),
        }),
        {
          what: '50 dead letters on B',
          ok: (v) => v.list.total === 50 && v.c.inflight === 0,
          timeoutMs: 90_000,
          intervalMs: 250,
        },
      );
      expect(dlq.list.entries.map((e) => e.did).sort()).toEqual([...poisoned].sort());
      // One attempt each: a mapping conflict is permanent, never retried.
      expect(dlq.list.entries.map((e) => e.attempts)).toEqual(Array(50).fill(1));
      expect(
        dlq.list.entries.every((e) =>
          (e.reasons ?? []).some(
            (r) =>
              r.kind === 'mapping_conflict' &&
              r.path === WIDEN_PATH &&
              r.fixedType === 'long' &&
              r.incomingType === 'float',
          ),
        ),
      ).toBe(true);
      expect(dlq.c.dead - before.dead).toBe(50);
      expect(dlq.c.retries).toBe(before.retries);
      // B holds everything but the 50 until its operator widens and replays.
      expect(await r.nodes.b.http.allDids()).toEqual([...r.published].filter((d) => !poisoned.includes(d)).sort());
      expect(dlq.c.discovered).toBe(
        dlq.c.indexed + dlq.c.gone + dlq.c.dead + dlq.c.degraded + dlq.c.deduplicated + dlq.c.inflight,
      );

      await r.widen(r.nodes.b, WIDEN_PATH, 'double');
      const replay = await r.nodes.b.http.replayDeadLetters(r.adminB.token, { path: WIDEN_PATH, limit: 100 });
      expect([replay.replayed, replay.stale]).toEqual([50, 0]);
      await r.waitConverged('the 50 replayed');
      const c = await r.assertAtRest();
      expect(c.replayed - before.replayed).toBe(50);
      expect(c.indexed - before.indexed).toBe(50);
      expect((await r.nodes.b.http.deadLetters(r.adminB.token)).total).toBe(0);
    },
  },
  {
    id: 7,
    title: "B's Redis SIGKILLed mid-sync and restarted on its appendonly dir: nothing lost or duplicated",
    timeoutMs: 300_000,
    async run(r) {
      const base = await r.countersB();
      // Watched while A still publishes: A's writes wait for its index's refresh, so B can keep up
      // with them and be idle again by the time the last one is published.
      const publishing = r.publishPosts('redis-kill', 150);
      publishing.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
      const at = await r.waitMidSync('the 150', (p) => p.c.indexed > base.indexed && p.c.inflight >= 3 && p.active > 0);
      await r.nodes.b.redis.kill('SIGKILL');
      r.log(
        `B's Redis SIGKILLed with B at indexed +${at.c.indexed - base.indexed}, inflight ${at.c.inflight}, ${at.active} jobs active`,
      );
      await publishing;
      await new Promise((r) => setTimeout(r, 2000));
      await r.nodes.b.startRedis();
      expect(await redisPing(r.nodes.link.testHost('b'), r.nodes.link.ports('b').redis)).toBe('+PONG');
      await r.waitConverged('150 posts around a Redis restart', 120_000);
      const c = await r.assertAtRest();
      // The state survived (no loss detected, so counters continue from before the kill).
      expect(c.indexed - base.indexed).toBe(150);
    },
  },
  {
    id: 8,
    title: "one of B's two sync-workers SIGKILLed mid-sync: the other finishes its jobs",
    timeoutMs: 300_000,
    async run(r) {
      const base = await r.countersB();
      await r.publishPosts('worker-kill', 200);
      // More jobs active than sync-worker-1 takes at once: sync-worker-2 holds some.
      const at = await r.waitMidSync('the 200', (p) => p.c.indexed > base.indexed && p.active > WORKER_CONCURRENCY);
      await r.nodes.b.workers[1]!.kill('SIGKILL');
      r.log(
        `B's sync-worker-2 SIGKILLed with B at indexed +${at.c.indexed - base.indexed}, inflight ${at.c.inflight}, ${at.active} jobs active`,
      );
      await r.waitConverged('200 posts around a worker kill', 120_000);
      const c = await r.assertAtRest();
      expect(c.indexed - base.indexed).toBe(200);
      expect(c.dead).toBe(base.dead);
      // BullMQ's stalled-job check moved the killed worker's jobs back (each job hash counts it in `stc`).
      const jobKeys: string[] = [];
      let cursor = '0';
      for (let i = 0; i < 1000; i++) {
        const [next, keys] = await r.redisB.scan(
          cursor,
          'MATCH',
          `${r.nodes.b.prefix}:${SYNC_RECORDS_QUEUE}:rec_*`,
          'COUNT',
          1000,
        );
        jobKeys.push(
          ...keys.filter((k) => !k.slice(`${r.nodes.b.prefix}:${SYNC_RECORDS_QUEUE}:`.length).includes(':')),
        );
        cursor = next;
        if (cursor === '0') break;
      }
      const stalled = (await Promise.all(jobKeys.map((k) => r.redisB.hget(k, 'stc')))).filter(
        (v) => Number(v ?? 0) >= 1,
      ).length;
      r.log(`${stalled} job(s) recovered from the killed worker by the stalled check`);
      expect(stalled).toBeGreaterThan(0);
      expect(r.nodes.b.workers[0]!.running).toBe(true);
    },
  },
];
