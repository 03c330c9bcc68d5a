// The Elasticsearch a benchmark runs on: the node ELASTICSEARCH_URL names (left running; the bench
// reads it here, the only file that does), else a single node scripts/elasticsearch.mjs starts on
// loopback with a bounded heap (Maven Central's distribution, a JDK >= 21, a non-root user),
// which stop() ends and removes with its data.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { startElasticsearch } from '../../../scripts/elasticsearch.mjs';

export interface BenchElasticsearch {
  url: string;
  /** Started by this benchmark (else the one ELASTICSEARCH_URL names). */
  own: boolean;
  /** The node's JVM heap (-Xms/-Xmx), when started here. */
  heap: string | null;
  stop(): Promise<void>;
}

type EsScript = { startElasticsearch: typeof startElasticsearch };

// dist/elasticsearch/es-node.js -> the repository root's scripts/.
const SCRIPT = resolve(import.meta.dirname, '..', '..', '..', 'scripts', 'elasticsearch.mjs');

/** ELASTICSEARCH_URL when set (blank counts as unset). */
export function givenElasticsearchUrl(): string | undefined {
  const v = process.env['ELASTICSEARCH_URL']?.trim();
  return v ? v : undefined;
}

export async function benchElasticsearch(heap: string): Promise<BenchElasticsearch> {
  const given = givenElasticsearchUrl();
  if (given !== undefined) return { url: given, own: false, heap: null, stop: async () => undefined };
  console.log(`starting a single Elasticsearch node on loopback (heap ${heap}) …`);
  const es = (await import(pathToFileURL(SCRIPT).href)) as EsScript;
  const started = performance.now();
  const cluster = await es.startElasticsearch({ nodes: 1, heap, timeoutMs: 300_000 });
  console.log(`Elasticsearch up at ${cluster.url} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await cluster.stop();
  };
  // A benchmark that throws or is interrupted must not leave the JVM behind.
  const onSignal = () => void stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    url: cluster.url,
    own: true,
    heap,
    async stop() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await stop();
    },
  };
}
