// Two whole OIP nodes (./node-harness.ts) on one link, peered both ways: started together,
// stopped in tiers (workers first, Redis last), their directory removed unless kept.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '@oip/test-kit';
import { createNodeLink, type NodeLink } from './node-link.js';
import { ENTRIES, OipNode, type HarnessOptions } from './node-harness.js';

export class TwoNodes {
  readonly link: NodeLink;
  readonly root: string;
  readonly a: OipNode;
  readonly b: OipNode;
  readonly #opts: HarnessOptions;

  private constructor(link: NodeLink, opts: HarnessOptions) {
    this.link = link;
    this.#opts = opts;
    this.root = mkdtempSync(join(tmpdir(), 'oip-e2e-two-nodes-'));
    this.a = new OipNode(link, 'a', this.root, 1, opts);
    this.b = new OipNode(link, 'b', this.root, 2, opts);
    this.a.peer = this.b;
    this.b.peer = this.a;
  }

  /** Creates the link (namespaces or loopback) and starts both nodes; on failure stops what started. */
  static async start(opts: HarnessOptions): Promise<TwoNodes> {
    for (const entry of Object.values(ENTRIES)) {
      if (!existsSync(join(opts.repoRoot, entry)))
        throw new Error(`${entry} is missing: build the apps first (pnpm exec turbo run build)`);
    }
    const link = await createNodeLink({
      forceLoopback: (opts.forceLoopback ?? false) || opts.store?.kind === 'elasticsearch',
    });
    const nodes = new TwoNodes(link, opts);
    try {
      await nodes.#startAll();
    } catch (err) {
      const tails = nodes.tails();
      await nodes.stop();
      throw new Error(`${(err as Error).message}\n${tails}`, { cause: err });
    }
    return nodes;
  }

  async #startAll(): Promise<void> {
    const { a, b } = this;
    await Promise.all([a.startRedis(), b.startRedis()]);
    await Promise.all([a.startGunProxy(), b.startGunProxy()]);
    // Each dials the other and accepts the other's dial.
    await until(async () => [await a.gunPeers(), await b.gunPeers()], {
      what: 'gun-proxies peered both ways',
      ok: (p) => p.every((x) => x.connected >= 2 && x.inbound >= 1),
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    await Promise.all([a.startMedia(), b.startMedia(), a.startApi(), b.startApi()]);
    await Promise.all([a.startWorker(0), b.startWorker(0), b.startWorker(1)]);
  }

  /** The last lines of every process's log, for a failure report. */
  tails(lines = 25): string {
    return [...this.a.all(), ...this.b.all()]
      .map((p) => `--- ${p.spec.name} (${p.running ? 'running' : 'stopped'}) ---\n${p.tail(lines)}`)
      .join('\n');
  }

  /** Stops every process (workers first, Redis last), removes the link and, unless kept, the directory. */
  async stop(): Promise<void> {
    const tiers = (n: OipNode) => [n.workers, [n.api, n.media], [n.gunProxy], [n.redis]];
    const [ta, tb] = [tiers(this.a), tiers(this.b)];
    for (let i = 0; i < ta.length; i++) {
      await Promise.all(
        [...ta[i]!, ...tb[i]!].map((p) => p.stop().catch(() => p.kill('SIGKILL').catch(() => undefined))),
      );
    }
    await this.link.close().catch(() => undefined);
    if (!this.#opts.keepDir) rmSync(this.root, { recursive: true, force: true });
  }
}
