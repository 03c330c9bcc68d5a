// One run of the two-node suite (e2e/two-nodes*.test.ts): builds the apps, starts both nodes on the
// given store, makes alice (publisher on A) and B's admin, and offers the checks every scenario
// ends with: B's sync counters balance exactly (discovered = indexed + gone + dead + degraded +
// deduplicated + inflight, inflight 0 at rest) and B's store, read through B's api, holds exactly
// the records A has published and not deleted. `useTwoNodes` registers the vitest hooks.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { SYNC_RECORDS_QUEUE } from '@oip/queue-contracts';
import { SyncState, type SyncCounters } from '@oip/sync-state';
import { buildPackages } from './build-packages.js';
import { e2eConfig } from './config.js';
import type { NodeStore, OipNode } from './node-harness.js';
import { TwoNodes } from './two-nodes.js';
import { pool, type Account } from './node-api.js';
import { until } from '@oip/test-kit';

const REPO = resolve(import.meta.dirname, '..', '..');
const BUILD_FILTERS = ['@oip/api...', '@oip/media...', '@oip/sync-worker...', '@oip/gun-proxy...'];

export interface SyncProgress {
  c: SyncCounters;
  /** Jobs active in B's record queue (held by one of B's worker processes). */
  active: number;
}

export const post = (tag: string, i: number) => ({
  basic: { name: `${tag} post ${i}`, tagItems: ['e2e', tag] },
  post: { articleText: `text of ${tag} ${i}` },
});

export class TwoNodeRun {
  nodes!: TwoNodes;
  redisB!: Redis;
  stateB!: SyncState;
  alice!: Account;
  adminB!: Account;
  /** What A has published and not deleted: what B's store must hold, no more, no less. */
  readonly published = new Set<string>();
  readonly #started = Date.now();
  readonly #label: string;

  constructor(label: string) {
    this.#label = label;
  }

  log = (line: string): void => {
    console.log(`[${this.#label} +${((Date.now() - this.#started) / 1000).toFixed(1)}s] ${line}`);
  };

  async publishPosts(tag: string, n: number): Promise<string[]> {
    const dids = await pool(
      Array.from({ length: n }, (_, i) => i),
      8,
      (i) => this.nodes.a.http.publish(this.alice.token, 'post', `${tag}-${i}`, post(tag, i)),
    );
    for (const d of dids) this.published.add(d);
    return dids;
  }

  countersB(): Promise<SyncCounters> {
    return this.stateB.counters();
  }

  /** Polls B (every 50 ms, bounded) until `ok` holds for its progress on what was just published. */
  async waitMidSync(what: string, ok: (p: SyncProgress) => boolean): Promise<SyncProgress> {
    return until(
      async () => ({
        c: await this.countersB(),
        active: await this.redisB.llen(`${this.nodes.b.prefix}:${SYNC_RECORDS_QUEUE}:active`),
      }),
      { what: `B at the mid-sync point of ${what}`, ok, timeoutMs: 60_000 },
    );
  }

  /** Waits until B's store holds exactly A's published set and nothing is in flight. */
  async waitConverged(what: string, timeoutMs = 90_000): Promise<void> {
    const expected = [...this.published].sort();
    await until(
      async () => {
        const [dids, c] = await Promise.all([this.nodes.b.http.allDids(), this.countersB()]);
        return {
          missing: expected.filter((d) => !dids.includes(d)).length,
          extra: dids.length - expected.length,
          inflight: c.inflight,
        };
      },
      {
        what: `B converged (${what})`,
        ok: (v) => v.missing === 0 && v.extra === 0 && v.inflight === 0,
        timeoutMs: timeoutMs,
        intervalMs: 250,
      },
    );
  }

  /** The checks after every scenario: exact counters on B, B's store = A's published set = A's store. */
  async assertAtRest(): Promise<SyncCounters> {
    const expected = [...this.published].sort();
    const [onA, onB, c] = await Promise.all([
      this.nodes.a.http.allDids(),
      this.nodes.b.http.allDids(),
      this.countersB(),
    ]);
    expect(onA).toEqual(expected);
    expect(onB).toEqual(expected);
    expect(c.inflight).toBe(0);
    expect(c.discovered).toBe(c.indexed + c.gone + c.dead + c.degraded + c.deduplicated + c.inflight);
    return c;
  }

  /**
   * The operator widens a field of `node`'s store: in place on SQLite; on Elasticsearch, which
   * cannot change long to double in place, the documented procedure: the node's sync-workers
   * stopped, the index copied (`--reindex`), the workers started again.
   */
  async widen(node: OipNode, path: string, type: string): Promise<void> {
    const onEs = node.recordsIndex !== null;
    const running = onEs ? node.workers.map((w, i) => (w.running ? i : -1)).filter((i) => i >= 0) : [];
    await Promise.all(running.map((i) => node.workers[i]!.stop()));
    const widened = await node.cli(['store', 'fields', 'widen', path, type, ...(onEs ? ['--reindex'] : [])]);
    expect(widened.code, widened.stderr).toBe(0);
    for (const i of running) await node.startWorker(i);
  }

  async timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      this.log(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
}

const buildApps = () => buildPackages(BUILD_FILTERS);

/**
 * Registers the suite's hooks: build, then both nodes on the store `store()` resolves to (called
 * once, after the build; `release` runs after both nodes stopped). Returns the run the scenarios use.
 */
export function useTwoNodes(
  label: string,
  store: (run: TwoNodeRun) => Promise<{ store: NodeStore; release(): Promise<void> }> = async () => ({
    store: { kind: 'sqlite' },
    release: async () => undefined,
  }),
): TwoNodeRun {
  const run = new TwoNodeRun(label);
  let release: (() => Promise<void>) | null = null;
  beforeAll(buildApps, 600_000);

  beforeAll(async () => {
    const chosen = await run.timed('store', () => store(run));
    release = chosen.release;
    run.nodes = await run.timed('start both nodes', () =>
      TwoNodes.start({
        repoRoot: REPO,
        baseEnv: e2eConfig.baseEnv,
        forceLoopback: e2eConfig.forceLoopback,
        keepDir: e2eConfig.keepDir,
        store: chosen.store,
      }),
    );
    const link = run.nodes.link;
    run.log(
      link.mode === 'netns'
        ? `mode netns: ${link.ns('a')} (${link.testHost('a')}), ${link.ns('b')} (${link.testHost('b')}), link ${link.fromPeer('a', 'gun')} <-> ${link.fromPeer('b', 'gun')}`
        : `mode loopback (${chosen.store.kind === 'elasticsearch' ? 'Elasticsearch on the loopback' : link.fallbackReason})`,
    );
    run.redisB = new Redis(run.nodes.b.redisUrl, { maxRetriesPerRequest: 5 });
    run.redisB.on('error', () => undefined);
    run.stateB = new SyncState(run.redisB, run.nodes.b.prefix);
    run.alice = await run.nodes.a.http.account(`alice-${randomBytes(3).toString('hex')}@a.example.org`);
    run.adminB = await run.nodes.b.http.account(run.nodes.b.adminEmail);
    // Admins are granted on the node by its operator (the stored flag decides, not the token's claim).
    await run.nodes.b.grantAdmin(run.nodes.b.adminEmail);
  }, 420_000);

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail' && run.nodes) console.log(run.nodes.tails());
  });

  afterAll(async () => {
    run.redisB?.disconnect();
    try {
      await run.nodes?.stop();
    } finally {
      await release?.();
    }
  }, 180_000);
  return run;
}
