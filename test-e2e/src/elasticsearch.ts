// A real Elasticsearch for the e2e suites: the node or cluster scripts/elasticsearch.mjs starts on
// loopback (Maven Central's distribution, a JDK >= 21, a non-root user), or the one ELASTICSEARCH_URL
// names. Where none can be had, the suites say why and skip, except in CI, where that fails.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { onExit } from './cleanup.js';
import { e2eConfig } from './config.js';
import type { ElasticsearchCluster, ElasticsearchNode, startElasticsearch } from '../../scripts/elasticsearch.mjs';

const REPO = resolve(import.meta.dirname, '..', '..');

export type EsNode = ElasticsearchNode;
export type EsCluster = ElasticsearchCluster;
type EsModule = { startElasticsearch: typeof startElasticsearch };

const load = (): Promise<EsModule> =>
  import(pathToFileURL(resolve(REPO, 'scripts/elasticsearch.mjs')).href) as Promise<EsModule>;

/**
 * Why no local Elasticsearch can start here (one line), or undefined when one can. Checked before
 * vitest registers a suite, so `describe.skipIf` can use it; in CI a missing one throws instead.
 */
export function elasticsearchSkipReason(needOwnCluster = false): string | undefined {
  if (!needOwnCluster && e2eConfig.elasticsearchUrl) return undefined;
  // The module is ESM and async to import; ask it in a child so the answer is synchronous.
  const missing = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { elasticsearchMissing } from ${JSON.stringify(pathToFileURL(resolve(REPO, 'scripts/elasticsearch.mjs')).href)};` +
        'process.stdout.write(elasticsearchMissing() ?? "")',
    ],
    { encoding: 'utf8', timeout: 30_000 },
  ).trim();
  if (missing === '') return undefined;
  if (e2eConfig.ci) throw new Error(`${missing} (CI runs the Elasticsearch e2e suites)`);
  return missing;
}

/**
 * Starts `nodes` Elasticsearch nodes (bounded heaps) on loopback; stop() ends them and removes
 * their data. Nodes left running when the test process exits are SIGKILLed.
 */
export async function startCluster(o: {
  nodes: number;
  heap?: string;
  settings?: Record<string, unknown>;
  log?: (line: string) => void;
}): Promise<EsCluster> {
  const es = await load();
  const cluster = await es.startElasticsearch({ heap: '384m', timeoutMs: 240_000, ...o });
  const removeHook = onExit(() => {
    for (const n of cluster.nodes) {
      try {
        if (n.pid !== null) process.kill(-n.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
  return {
    ...cluster,
    async stop() {
      try {
        await cluster.stop();
      } finally {
        removeHook();
      }
    },
  };
}

/** The Elasticsearch a suite runs on: ELASTICSEARCH_URL when given (left running), else a node of its own. */
export async function suiteElasticsearch(log: (line: string) => void): Promise<{ url: string; stop(): Promise<void> }> {
  const given = e2eConfig.elasticsearchUrl;
  if (given !== undefined) return { url: given, stop: async () => undefined };
  const cluster = await startCluster({ nodes: 1, log });
  return { url: cluster.url, stop: () => cluster.stop() };
}
