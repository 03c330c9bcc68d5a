// Two whole OIP nodes as OS processes (src/node-harness.ts), each in its own network namespace
// (or, where namespaces are not permitted, on loopback behind a forwarder the test can cut), with
// faults injected. Node A publishes through its api; node B discovers through its own gun-proxy,
// peered with A's over websocket. After every scenario: B's sync counters balance exactly
// (discovered = indexed + gone + dead + degraded + deduplicated + inflight, inflight 0 at rest)
// and B's store, read through B's api, holds exactly the records A has published and not deleted.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GunClient } from '@oip/gun-client';
import { DELETION_INDEX_SOUL, deletionSoul } from '@oip/records';
import { DeadLetterCodes, SYNC_RECORDS_QUEUE } from '@oip/queue-contracts';
import { SyncState, type SyncCounters } from '@oip/sync-state';
import { TwoNodes, WORKER_CONCURRENCY } from '../src/node-harness.js';
import { redisPing } from '../src/probes.js';
import { pool, sha256, type Account } from '../src/node-api.js';
import { runToEnd } from '../src/processes.js';
import { until } from '../src/until.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const BASE_ENV = {
  PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
  HOME: process.env['HOME'] ?? '/root',
  LANG: 'C.UTF-8',
};
const BUILD_FILTERS = ['@oip/api...', '@oip/media...', '@oip/sync-worker...', '@oip/gun-proxy...'];
const WIDEN_PATH = 'data.shoppingList.item_amounts';

let nodes: TwoNodes;
let redisB: Redis;
let stateB: SyncState;
let alice: Account;
let adminB: Account;
/** What A has published and not deleted: what B's store must hold, no more, no less. */
const published = new Set<string>();
const started = Date.now();
const log = (line: string) => console.log(`[two-nodes +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);

const post = (tag: string, i: number) => ({
  basic: { name: `${tag} post ${i}`, tagItems: ['e2e', tag] },
  post: { articleText: `text of ${tag} ${i}` },
});

async function publishPosts(tag: string, n: number): Promise<string[]> {
  const dids = await pool(
    Array.from({ length: n }, (_, i) => i),
    8,
    (i) => nodes.a.http.publish(alice.token, 'post', `${tag}-${i}`, post(tag, i)),
  );
  for (const d of dids) published.add(d);
  return dids;
}

const countersB = (): Promise<SyncCounters> => stateB.counters();

interface SyncProgress {
  c: SyncCounters;
  /** Jobs active in B's record queue (held by one of B's worker processes). */
  active: number;
}

/** Polls B (every 50 ms, bounded) until `ok` holds for its progress on what was just published. */
async function waitMidSync(what: string, ok: (p: SyncProgress) => boolean): Promise<SyncProgress> {
  const end = Date.now() + 60_000;
  for (;;) {
    const p = { c: await countersB(), active: await redisB.llen(`${nodes.b.prefix}:${SYNC_RECORDS_QUEUE}:active`) };
    if (ok(p)) return p;
    if (Date.now() > end) throw new Error(`B never reached the mid-sync point of ${what} (last: ${JSON.stringify(p)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until B's store holds exactly A's published set and nothing is in flight. */
async function waitConverged(what: string, timeoutMs = 90_000): Promise<void> {
  const expected = [...published].sort();
  await until(
    `B converged (${what})`,
    async () => {
      const [dids, c] = await Promise.all([nodes.b.http.allDids(), countersB()]);
      return {
        missing: expected.filter((d) => !dids.includes(d)).length,
        extra: dids.length - expected.length,
        inflight: c.inflight,
      };
    },
    (v) => v.missing === 0 && v.extra === 0 && v.inflight === 0,
    timeoutMs,
  );
}

/** The checks after every scenario: exact counters on B, B's store = A's published set = A's store. */
async function assertAtRest(): Promise<SyncCounters> {
  const expected = [...published].sort();
  const [onA, onB, c] = await Promise.all([nodes.a.http.allDids(), nodes.b.http.allDids(), countersB()]);
  expect(onA).toEqual(expected);
  expect(onB).toEqual(expected);
  expect(c.inflight).toBe(0);
  expect(c.discovered).toBe(c.indexed + c.gone + c.dead + c.degraded + c.deduplicated + c.inflight);
  return c;
}

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    log(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

beforeAll(async () => {
  if (process.env['OIP_E2E_SKIP_BUILD'] !== '1') {
    // Cached by turbo when nothing changed (a second or two).
    const build = await runToEnd(
      resolve(REPO, 'node_modules/.bin/turbo'),
      ['run', 'build', ...BUILD_FILTERS.map((f) => `--filter=${f}`), '--output-logs=errors-only'],
      {
        cwd: REPO,
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
        timeoutMs: 540_000,
      },
    );
    if (build.code !== 0)
      throw new Error(`build failed (exit ${build.code}):\n${build.stdout.slice(-4000)}\n${build.stderr.slice(-4000)}`);
  }
}, 600_000);

beforeAll(async () => {
  nodes = await timed('start both nodes', () =>
    TwoNodes.start({
      repoRoot: REPO,
      baseEnv: BASE_ENV,
      forceLoopback: process.env['OIP_E2E_NETNS'] === '0',
      keepDir: process.env['OIP_E2E_KEEP'] === '1',
    }),
  );
  log(
    nodes.link.mode === 'netns'
      ? `mode netns: ${nodes.link.ns('a')} (${nodes.link.testHost('a')}), ${nodes.link.ns('b')} (${nodes.link.testHost('b')}), link ${nodes.link.fromPeer('a', 'gun')} <-> ${nodes.link.fromPeer('b', 'gun')}`
      : `mode loopback (${nodes.link.fallbackReason})`,
  );
  redisB = new Redis(nodes.b.redisUrl, { maxRetriesPerRequest: 5 });
  redisB.on('error', () => undefined);
  stateB = new SyncState(redisB, nodes.b.prefix);
  alice = await nodes.a.http.account(`alice-${randomBytes(3).toString('hex')}@a.example.org`);
  adminB = await nodes.b.http.account(nodes.b.adminEmail);
  // Admins are granted on the node by its operator (the stored flag decides, not the token's claim).
  await nodes.b.grantAdmin(nodes.b.adminEmail);
}, 240_000);

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.log(nodes.tails());
});

afterAll(async () => {
  redisB?.disconnect();
  await nodes?.stop();
}, 120_000);

describe('two whole nodes, faults injected', () => {
  it("1. records published on A appear in B's /api/records", async () => {
    await timed('scenario 1', async () => {
      await publishPosts('first', 20);
      await waitConverged('20 posts');
      const c = await assertAtRest();
      expect([c.indexed, c.dead, c.gone]).toEqual([20, 0, 0]);
    });
  }, 180_000);

  it("2. public media uploaded on A is fetched through B's api, hash-verified", async () => {
    await timed('scenario 2', async () => {
      const bytes = randomBytes(256 * 1024);
      const mediaId = await nodes.a.http.uploadPublic(alice.token, bytes, 'clip.bin', 'application/octet-stream');
      expect(mediaId).toBe(sha256(bytes));
      // B answers 404 until A's manifest and presence reached B's relay (B's relay misses are remembered 10 s).
      const got = await until(
        'media served by B',
        () => nodes.b.http.media(mediaId),
        (r) => r.status === 200,
        90_000,
      );
      expect(sha256(got.bytes)).toBe(mediaId);
      expect(got.bytes.equals(bytes)).toBe(true);
      await assertAtRest();
    });
  }, 180_000);

  it('3. a deletion on A propagates to B', async () => {
    await timed('scenario 3', async () => {
      const gone = [...published].slice(0, 5);
      for (const did of gone) {
        await nodes.a.http.deleteRecord(alice.token, did);
        published.delete(did);
      }
      await waitConverged('5 deletions');
      await assertAtRest();
      for (const did of gone)
        expect((await nodes.b.http.call(`/api/records/${encodeURIComponent(did)}`)).status).toBe(404);
    });
  }, 180_000);

  it('4. 50 poisoned records are dead-lettered on B after one attempt each; widen + replay indexes them', async () => {
    await timed('scenario 4', async () => {
      const shopping = (i: number, amounts: number[]) => ({
        basic: { name: `list ${i}` },
        shoppingList: { item: amounts.map((_, j) => `item ${j}`), item_amounts: amounts },
      });
      // The first list fixes item_amounts as a whole number in both stores.
      published.add(await nodes.a.http.publish(alice.token, 'shoppingList', 'list-long', shopping(0, [1, 2])));
      await waitConverged('the first shopping list');
      // A's operator widens A's store; B's is still long, so A's fractional amounts conflict there.
      const widenA = await nodes.a.cli(['store', 'fields', 'widen', WIDEN_PATH, 'double']);
      expect(widenA.code, widenA.stderr).toBe(0);
      const before = await countersB();
      const poisoned = await pool(
        Array.from({ length: 50 }, (_, i) => i),
        8,
        (i) => nodes.a.http.publish(alice.token, 'shoppingList', `list-frac-${i}`, shopping(i + 1, [1.5, i + 0.25])),
      );
      for (const d of poisoned) published.add(d);
      const admin = { token: adminB.token };
      type DlqList = {
        total: number;
        entries: Array<{
          did: string;
          code: string;
          attempts: number;
          reasons: Array<{ kind: string; path: string; fixedType: string; incomingType: string }>;
        }>;
      };
      const dlq = await until(
        '50 dead letters on B',
        async () => ({
          list: await nodes.b.http.expect<DlqList>(
            200,
            `/api/admin/dlq?code=${DeadLetterCodes.MAPPING_CONFLICT}&limit=100`,
            admin,
          ),
          c: await countersB(),
        }),
        (v) => v.list.total === 50 && v.c.inflight === 0,
        90_000,
      );
      expect(dlq.list.entries.map((e) => e.did).sort()).toEqual([...poisoned].sort());
      // One attempt each: a mapping conflict is permanent, never retried.
      expect(dlq.list.entries.map((e) => e.attempts)).toEqual(Array(50).fill(1));
      expect(
        dlq.list.entries.every((e) =>
          e.reasons.some(
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
      expect(await nodes.b.http.allDids()).toEqual([...published].filter((d) => !poisoned.includes(d)).sort());
      expect(dlq.c.discovered).toBe(
        dlq.c.indexed + dlq.c.gone + dlq.c.dead + dlq.c.degraded + dlq.c.deduplicated + dlq.c.inflight,
      );

      const widenB = await nodes.b.cli(['store', 'fields', 'widen', WIDEN_PATH, 'double']);
      expect(widenB.code, widenB.stderr).toBe(0);
      const replay = await nodes.b.http.expect<{ replayed: number; stale: number }>(200, '/api/admin/dlq/replay', {
        method: 'POST',
        token: adminB.token,
        body: { path: WIDEN_PATH, limit: 100 },
      });
      expect([replay.replayed, replay.stale]).toEqual([50, 0]);
      await waitConverged('the 50 replayed');
      const c = await assertAtRest();
      expect(c.replayed - before.replayed).toBe(50);
      expect(c.indexed - before.indexed).toBe(50);
      expect((await nodes.b.http.expect<DlqList>(200, '/api/admin/dlq', admin)).total).toBe(0);
    });
  }, 300_000);

  it("5. A's gun-proxy SIGKILLed mid-sync and restarted: B catches up", async () => {
    await timed('scenario 5', async () => {
      const base = await countersB();
      await publishPosts('relay-kill', 200);
      // B is indexing the batch, with more of it still in flight.
      const at = await waitMidSync('the 200', (p) => p.c.indexed > base.indexed && p.c.inflight >= 10);
      await nodes.a.gunProxy.kill('SIGKILL');
      log(`A's gun-proxy SIGKILLed with B at indexed +${at.c.indexed - base.indexed}, inflight ${at.c.inflight}`);
      await new Promise((r) => setTimeout(r, 3000));
      await nodes.a.startGunProxy();
      await until(
        'peering back after the restart',
        async () => [await nodes.a.gunPeers(), await nodes.b.gunPeers()],
        (p) => p.every((x) => x.connected >= 2 && x.inbound >= 1),
        60_000,
      );
      // Published after the restart: reaches B only through the re-established peering.
      await publishPosts('after-relay-restart', 10);
      await waitConverged('210 posts around a relay kill', 120_000);
      await assertAtRest();
      expect(nodes.a.gunProxy.starts).toBe(2);
    });
  }, 300_000);

  it('6. a partition between A and B for ~60 s while A publishes, then healed: B converges', async () => {
    await timed('scenario 6', async () => {
      const base = await countersB();
      await nodes.link.partition();
      const t0 = Date.now();
      const during: string[] = [];
      for (let round = 0; round < 12 && Date.now() - t0 < 55_000; round++) {
        during.push(...(await publishPosts(`partition-${round}`, 3)));
        await new Promise((r) => setTimeout(r, 4_500));
      }
      while (Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 250));
      // Nothing crossed while the link was down.
      const mid = await countersB();
      const onB = await nodes.b.http.allDids();
      expect(during.filter((d) => onB.includes(d))).toEqual([]);
      expect(mid.indexed).toBe(base.indexed);
      await nodes.link.heal();
      log(
        `partition healed after ${((Date.now() - t0) / 1000).toFixed(1)} s, ${during.length} posts published during it`,
      );
      await publishPosts('after-heal', 5);
      await waitConverged(`${during.length + 5} posts around a partition`, 180_000);
      await assertAtRest();
    });
  }, 330_000);

  it("7. B's Redis SIGKILLed mid-sync and restarted on its appendonly dir: nothing lost or duplicated", async () => {
    await timed('scenario 7', async () => {
      const base = await countersB();
      await publishPosts('redis-kill', 150);
      const at = await waitMidSync('the 150', (p) => p.c.indexed > base.indexed && p.c.inflight >= 10 && p.active > 0);
      await nodes.b.redis.kill('SIGKILL');
      log(
        `B's Redis SIGKILLed with B at indexed +${at.c.indexed - base.indexed}, inflight ${at.c.inflight}, ${at.active} jobs active`,
      );
      await new Promise((r) => setTimeout(r, 2000));
      await nodes.b.startRedis();
      expect(await redisPing(nodes.link.testHost('b'), nodes.link.ports('b').redis)).toBe('+PONG');
      await waitConverged('150 posts around a Redis restart', 120_000);
      const c = await assertAtRest();
      // The state survived (no loss detected, so counters continue from before the kill).
      expect(c.indexed - base.indexed).toBe(150);
    });
  }, 300_000);

  it("8. one of B's two sync-workers SIGKILLed mid-sync: the other finishes its jobs", async () => {
    await timed('scenario 8', async () => {
      const base = await countersB();
      await publishPosts('worker-kill', 200);
      // More jobs active than sync-worker-1 takes at once: sync-worker-2 holds some.
      const at = await waitMidSync('the 200', (p) => p.c.indexed > base.indexed && p.active > WORKER_CONCURRENCY);
      await nodes.b.workers[1]!.kill('SIGKILL');
      log(
        `B's sync-worker-2 SIGKILLed with B at indexed +${at.c.indexed - base.indexed}, inflight ${at.c.inflight}, ${at.active} jobs active`,
      );
      await waitConverged('200 posts around a worker kill', 120_000);
      const c = await assertAtRest();
      expect(c.indexed - base.indexed).toBe(200);
      expect(c.dead).toBe(base.dead);
      // BullMQ's stalled-job check moved the killed worker's jobs back (each job hash counts it in `stc`).
      const jobKeys: string[] = [];
      let cursor = '0';
      for (let i = 0; i < 1000; i++) {
        const [next, keys] = await redisB.scan(
          cursor,
          'MATCH',
          `${nodes.b.prefix}:${SYNC_RECORDS_QUEUE}:rec_*`,
          'COUNT',
          1000,
        );
        jobKeys.push(...keys.filter((k) => !k.slice(`${nodes.b.prefix}:${SYNC_RECORDS_QUEUE}:`.length).includes(':')));
        cursor = next;
        if (cursor === '0') break;
      }
      const stalled = (await Promise.all(jobKeys.map((k) => redisB.hget(k, 'stc')))).filter(
        (v) => Number(v ?? 0) >= 1,
      ).length;
      log(`${stalled} job(s) recovered from the killed worker by the stalled check`);
      expect(stalled).toBeGreaterThan(0);
      expect(nodes.b.workers[0]!.running).toBe(true);
    });
  }, 300_000);

  it("9. B's gun-proxy stopped while A publishes 10 records, then restarted: B catches up on connect", async () => {
    await timed('scenario 9', async () => {
      // B holds its own copy of the post index first (run alone, this scenario would otherwise have B
      // ask A for the whole index, which any /get of a soul B lacks does, catch-up or not).
      await publishPosts('before-relay-stop', 1);
      await waitConverged("1 post before B's gun-proxy stops");
      const base = await countersB();
      await nodes.b.gunProxy.stop();
      // A no longer reaches B: its outbound socket and B's inbound one are gone.
      await until(
        "A's peering with B down",
        () => nodes.a.gunPeers(),
        (p) => p.connected === 0 && p.inbound === 0,
        30_000,
      );
      const during = await publishPosts('relay-down', 10);
      // Nothing can cross: B's relay is down, so B's store is unchanged.
      expect((await nodes.b.http.allDids()).filter((d) => during.includes(d))).toEqual([]);
      await nodes.b.startGunProxy();
      await until(
        "peering back after B's restart",
        async () => [await nodes.a.gunPeers(), await nodes.b.gunPeers()],
        (p) => p.every((x) => x.connected >= 2 && x.inbound >= 1),
        60_000,
      );
      // Only the catch-up of B's gun-proxy with A brings the 10 (no push reached B while it was down).
      await waitConverged("10 posts published while B's gun-proxy was down", 120_000);
      const c = await assertAtRest();
      expect(c.indexed - base.indexed).toBe(10);
      const metrics = await fetch(`${nodes.b.gunUrl}/metrics`, { signal: AbortSignal.timeout(5000) }).then((r) =>
        r.text(),
      );
      const runs = metrics.split('\n').filter((l) => l.startsWith('gunproxy_catchup_'));
      log(`B's gun-proxy catch-up: ${runs.join('; ')}`);
      expect(runs.some((l) => /^gunproxy_catchup_runs_total\{outcome="complete"\} [1-9]/.test(l))).toBe(true);
      expect(nodes.b.gunProxy.starts).toBe(2);
    });
  }, 300_000);

  it("10. forged deletions, a forged record and an overwritten soul, through A's public port and straight into the mesh: alice's records stay intact on B", async () => {
    await timed('scenario 10', async () => {
      const mallory = await nodes.a.http.account(`mallory-${randomBytes(3).toString('hex')}@a.example.org`);
      const victim = (await publishPosts('victim', 2))[0]!;
      const shared = await nodes.a.http.publish(alice.token, 'post', 'victim-shared', {
        ...post('victim-shared', 0),
        accessControl: { access_level: 'shared', owner_public_key: alice.publicKey, shared_with: [mallory.publicKey] },
      });
      await waitConverged('the victim posts');
      const soulOf = (did: string) => did.slice('did:gun:'.length);
      const before = await countersB();

      // 1. Through A's public port, anonymous and signed in: every raw write is refused.
      const forgedRecord = {
        data: post('forged', 0),
        oip: { ver: '0.8.0', recordType: 'post', creator: { publicKey: alice.publicKey, didAddress: 'did:gun:x' } },
      };
      const writes = [
        { soul: DELETION_INDEX_SOUL, data: { [victim]: true } },
        { soul: deletionSoul(victim), data: { did: victim, deletedAt: Date.now(), deletedBy: alice.publicKey } },
        { soul: `${soulOf(victim).split(':')[0]}:forged`, data: forgedRecord },
        {
          soul: soulOf(shared),
          data: {
            ...forgedRecord,
            data: { ...post('shared made public', 0), accessControl: { access_level: 'public' } },
          },
        },
      ];
      for (const token of [undefined, mallory.token]) {
        for (const body of writes) {
          const res = await nodes.a.http.call<{ error: { code: string } }>('/gun-relay/put', {
            method: 'POST',
            ...(token ? { token } : {}),
            body,
          });
          expect([body.soul, res.status, res.body.error.code]).toEqual([body.soul, 405, 'API_ERR_RELAY_READ_ONLY']);
        }
      }

      // 2. Straight into A's relay with its write token (a hostile peer or a leaked token): the same
      // forgeries land in GUN and reach B; B's sync-worker must refuse every one.
      const relay = new GunClient({ baseUrl: nodes.a.gunUrl, authToken: nodes.a.writeToken, retry: { attempts: 1 } });
      try {
        const hostileNode = 'cccccccccccccccc';
        await relay.markDeleted(victim, alice.publicKey); // unsigned
        const forgedSoul = `${soulOf(victim).split(':')[0]}:forged`;
        await relay.putRecord(forgedSoul, forgedRecord);
        await relay.registerRecord({
          soul: forgedSoul,
          recordType: 'post',
          creatorPubKey: alice.publicKey,
          nodeId: hostileNode,
          timestamp: Date.now(),
        });
        // The shared record overwritten with a public copy under its old signature, registered anew.
        const original = await relay.getRecord(soulOf(shared));
        // It went to GUN encrypted: none of its text is on the relay.
        expect(original).not.toBeNull();
        expect(JSON.stringify(original)).not.toContain('victim-shared post');
        const publicCopy = { ...post('shared made public', 0), accessControl: { access_level: 'public' } };
        await relay.putRecord(soulOf(shared), {
          data: publicCopy,
          oip: original!.oip,
          meta: { created: Date.now(), localId: 'victim-shared', encrypted: false },
        });
        await relay.registerRecord({
          soul: soulOf(shared),
          recordType: 'post',
          creatorPubKey: alice.publicKey,
          nodeId: hostileNode,
          timestamp: Date.now(),
        });
      } finally {
        await relay.close();
      }

      const after = await until(
        'B refused the forgeries',
        () => countersB(),
        (c) =>
          c.deletionsRefused > before.deletionsRefused &&
          (c.deadByCode[DeadLetterCodes.UNSIGNED] ?? 0) > (before.deadByCode[DeadLetterCodes.UNSIGNED] ?? 0) &&
          (c.deadByCode[DeadLetterCodes.BAD_SIGNATURE] ?? 0) >
            (before.deadByCode[DeadLetterCodes.BAD_SIGNATURE] ?? 0) &&
          c.inflight === 0,
        90_000,
      );
      expect(after.deletionsRefusedBy['unsigned-over-signed']).toBeGreaterThanOrEqual(1);
      // B (and A) hold exactly what alice published: the victim post is there, nothing forged is.
      await assertAtRest();
      const onB = await nodes.b.http.expect<{ records: Array<{ data: { basic: { name: string } } }> }>(
        200,
        `/api/records?did=${encodeURIComponent(victim)}`,
      );
      expect(onB.records.map((r) => r.data.basic.name)).toEqual(['victim post 0']);
      // Nobody reads the shared record anonymously, on either node.
      for (const n of [nodes.a, nodes.b]) {
        const anon = await n.http.expect<{ records: unknown[] }>(200, `/api/records?did=${encodeURIComponent(shared)}`);
        expect(anon.records).toEqual([]);
      }
    });
  }, 300_000);
});
