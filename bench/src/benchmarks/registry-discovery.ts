// Issue 10 "Registry indexes over 2,000 entries": the worker's memory while it discovers a
// 50,000-entry registry index (paged, links followed, claimed and queued page by page), beside
// the 328 MB the issue reports for the unpaged discovery before the fix. Relays run as separate
// processes: the fake legacy relay (every entry a link) and, with --relay gun-proxy, our gun-proxy.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { registryIndexSoul } from '@oip/records';
import { purgePrefix } from '@oip/queue-contracts';
import { parseConfig, startSyncWorker } from '@oip/sync-worker';
import { type Benchmark, printResult, printTable } from '../benchmark.js';
import { startProxyProcess } from '../relay/proxy-process.js';

const MB = 1024 * 1024;
const ISSUE_RSS_MB = 328; // issue 10: worker RSS discovering a 50,000-entry index before the fix
const OWN = 'bbbbbbbbbbbbbbbb';
const REDIS_URL = 'redis://127.0.0.1:6379';

interface Peak {
  rssMB: number;
  heapMB: number;
  startRssMB: number;
  startHeapMB: number;
}

/** Samples this process's memory every 5 ms while `fn` runs (after a GC, so runs compare). */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; peak: Peak; seconds: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const m0 = process.memoryUsage();
  const peak: Peak = {
    rssMB: m0.rss / MB,
    heapMB: m0.heapUsed / MB,
    startRssMB: m0.rss / MB,
    startHeapMB: m0.heapUsed / MB,
  };
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peak.rssMB = Math.max(peak.rssMB, m.rss / MB);
    peak.heapMB = Math.max(peak.heapMB, m.heapUsed / MB);
  }, 5);
  const t0 = performance.now();
  try {
    return { value: await fn(), peak, seconds: (performance.now() - t0) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

interface Outcome {
  queued: number;
  versionZero: number;
  ownQueued: number;
}

/** Today's discovery in a real worker (record processing at concurrency 1, so discovery dominates). */
async function discoveryRun(relayUrl: string, isOwn: (did: string) => boolean) {
  const prefix = `bench-regdisc-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'oip-bench-regdisc-'));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const config = parseConfig({
    // Legacy-style unsigned fixture records.
    unsignedRecords: 'accept',
    redisUrl: REDIS_URL,
    queuePrefix: prefix,
    relays: [relayUrl],
    recordTypes: ['image'],
    nodeId: OWN,
    store: { kind: 'sqlite', dataDir: join(dir, 'records') },
    syncIntervalMs: 3_600_000,
    discoverOnStart: false,
    healthPort: -1,
    logLevel: 'silent',
    concurrency: 1,
    registryLinkConcurrency: 16,
  });
  const worker = await startSyncWorker(config, { redis, memoryGuard: false });
  try {
    const run = await measured(() => worker.discoverNow());
    const all = await redis.hgetall(worker.state.keys.state);
    const dids = Object.keys(all);
    const outcome: Outcome = {
      queued: dids.length,
      versionZero: dids.filter((d) => all[d]!.split('|')[1] === '0').length,
      ownQueued: dids.filter(isOwn).length,
    };
    return { ...run, outcome };
  } finally {
    await worker.close();
    await purgePrefix(redis, prefix);
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startLegacyRelay(entries: number): Promise<{ url: string; close(): Promise<void> }> {
  const child = fork(
    fileURLToPath(new URL('../sync/linked-index-relay-child.js', import.meta.url)),
    [String(entries), 'image'],
    { stdio: 'inherit' },
  );
  const exited = once(child, 'exit');
  const [ready] = (await once(child, 'message')) as [{ url: string }];
  return {
    url: ready.url,
    async close() {
      child.send('close');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** gun-proxy in its own process, the index written through /put in batches (GUN lays entries out as linked child nodes). */
async function startSeededProxy(entries: number) {
  const proxy = await startProxyProcess({ GUNPROXY_GET_MISS_WAIT_MS: '0' });
  const index = registryIndexSoul('image');
  for (let from = 0; from < entries; from += 500) {
    const data: Record<string, unknown> = {};
    for (let i = from; i < Math.min(entries, from + 500); i++) {
      const soul = `e1e1e1e1e1e1:image-${i}`;
      data[soul] = { soul, nodeId: i % 10 === 0 ? OWN : 'aaaaaaaaaaaaaaaa', timestamp: 1_700_000_000_000 + i };
    }
    const res = await fetch(`${proxy.url}/put`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ soul: index, data }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`gun-proxy /put answered ${res.status}`);
  }
  return { url: proxy.url, close: async () => void (await proxy.stop()) };
}

export const benchmark: Benchmark = {
  name: 'registry-discovery',
  description:
    'worker RSS/heap peak discovering a 50k-entry registry index (paged, links followed) vs 328 MB in issue 10',
  async run(flags) {
    const entries = Math.max(10, Number.parseInt(flags.entries ?? '50000', 10) || 50_000);
    const relays = (flags.relay ?? 'legacy,gun-proxy').split(',');
    const own = entries / 10;
    const rows: Array<Array<string | number>> = [];
    let goal = true;
    const result: Record<string, string | number> = { entries };
    for (const kind of relays) {
      const relay = kind === 'gun-proxy' ? await startSeededProxy(entries) : await startLegacyRelay(entries);
      try {
        const ownOf = (did: string) => Number(/image-(\d+)$/.exec(did)?.[1] ?? 1) % 10 === 0;
        const r = await discoveryRun(relay.url, ownOf);
        rows.push([
          kind,
          r.seconds.toFixed(1),
          r.value.entries,
          r.value.linksFollowed,
          r.value.linkReadsFailed,
          r.outcome.queued,
          r.outcome.versionZero,
          r.outcome.ownQueued,
          r.peak.rssMB.toFixed(0),
          (r.peak.rssMB - r.peak.startRssMB).toFixed(0),
          (r.peak.heapMB - r.peak.startHeapMB).toFixed(0),
          ISSUE_RSS_MB,
        ]);
        const complete = r.outcome.queued === entries - own && r.outcome.versionZero === 0 && r.outcome.ownQueued === 0;
        goal &&= complete && r.peak.rssMB < ISSUE_RSS_MB;
        result[`${kind}_rss_peak_mb`] = r.peak.rssMB.toFixed(0);
        result[`${kind}_heap_growth_mb`] = (r.peak.heapMB - r.peak.startHeapMB).toFixed(0);
        result[`${kind}_complete`] = String(complete);
      } finally {
        await relay.close();
      }
    }
    console.log(
      `\nregistry-discovery: ${entries} entries in oip:registry:index:image (every 10th our own node's), worker in this process\n`,
    );
    printTable(
      [
        'relay',
        'seconds',
        'entries',
        'links followed',
        'link reads failed',
        'queued',
        'at version 0',
        'own queued',
        'RSS peak MB',
        'RSS growth MB',
        'heap growth MB',
        'issue 10 RSS MB (before)',
      ],
      rows,
    );
    console.log(
      `\nbaseline: issue 10, measured before the fix (unpaged read, 48,000 entries at version 0): worker RSS ${ISSUE_RSS_MB} MB.`,
    );
    console.log(`goal: every entry queued at its own timestamp, none of ours, RSS peak under ${ISSUE_RSS_MB} MB.`);
    printResult('registry-discovery', { ...result, issue_rss_mb: ISSUE_RSS_MB }, goal);
  },
};
