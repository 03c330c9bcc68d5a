// The two-node suite's sync scenarios (src/two-node-scenarios.ts: publish -> sync -> query, a
// deletion, the poisoned records / widen / replay, B's Redis and one of B's sync-workers SIGKILLed
// mid-sync) with both nodes on a real Elasticsearch, each on indices of its own (records and
// accounts). The node is the one ELASTICSEARCH_URL names, else one the suite starts and stops.
import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { elasticsearchSkipReason, suiteElasticsearch } from '../src/elasticsearch.js';
import { useTwoNodes } from '../src/two-node-run.js';
import { syncScenarios } from '../src/two-node-scenarios.js';

const skip = elasticsearchSkipReason();
if (skip !== undefined) console.log(`[two-nodes-es] skipped: ${skip}`);

describe.skipIf(skip !== undefined)('two whole nodes on Elasticsearch, faults injected', () => {
  const run = useTwoNodes('two-nodes-es', async (r) => {
    const es = await suiteElasticsearch(r.log);
    const indexPrefix = `oip-e2e-${randomBytes(4).toString('hex')}`;
    return {
      store: { kind: 'elasticsearch', url: es.url, indexPrefix },
      async release() {
        try {
          await dropIndices(es.url, indexPrefix);
        } finally {
          await es.stop();
        }
      },
    };
  });

  for (const s of syncScenarios) {
    it(`${s.id}. ${s.title}`, () => run.timed(`scenario ${s.id}`, () => s.run(run)), s.timeoutMs);
  }
});

/** Deletes the suite's indices (by name: the node refuses wildcard deletes). */
async function dropIndices(url: string, prefix: string): Promise<void> {
  const res = await fetch(`${url}/_cat/indices/${prefix}*?format=json&expand_wildcards=all`, {
    signal: AbortSignal.timeout(10_000),
  });
  const names = ((await res.json()) as Array<{ index: string }>).map((i) => i.index);
  if (names.length > 0)
    await fetch(`${url}/${names.join(',')}`, { method: 'DELETE', signal: AbortSignal.timeout(30_000) });
}
