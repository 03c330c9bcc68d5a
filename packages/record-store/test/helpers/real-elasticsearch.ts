// The real Elasticsearch the ES suites run on: ELASTICSEARCH_URL, which the test command
// (`node scripts/oip.mjs test`) sets to a node it starts, or `node scripts/oip.mjs elasticsearch up`
// prints. Without it the suites are skipped, except in CI, where a missing Elasticsearch fails.
import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { createElasticsearchRecordStore, type ElasticsearchRecordStoreOptions } from '../../src/index.js';
import type { ElasticsearchRecordStore } from '../../src/index.js';

const given = process.env['ELASTICSEARCH_URL'];

if ((given === undefined || given === '') && process.env['CI']) {
  throw new Error('ELASTICSEARCH_URL is not set: CI runs the Elasticsearch suites (node scripts/oip.mjs test sets it)');
}

/** The node's URL, or undefined when this run has no Elasticsearch. */
export const elasticsearchUrl: string | undefined = given === '' ? undefined : given;

/** For a suite's skip option: why it cannot run here, or undefined when it can. */
export const skipWithoutElasticsearch: string | undefined =
  elasticsearchUrl === undefined
    ? 'ELASTICSEARCH_URL not set (node scripts/oip.mjs elasticsearch up prints one)'
    : undefined;

/** An index name of its own for one test (runs and tests never share an index). */
export function uniqueIndex(label = 'records'): string {
  return `oip-test-${label}-${randomUUID()}`;
}

/** A client of the test's own, for looking at what the store did. */
export function adminClient(): Client {
  return new Client({ node: elasticsearchUrl! });
}

/**
 * Deletes `index` and every index whose name starts with it (the copies a widening made) and
 * the aliases on them. Names are listed first: the node refuses wildcard deletes.
 */
export async function dropIndices(client: Client, index: string): Promise<void> {
  const found = (await client.indices.get(
    { index: `${index}*`, expand_wildcards: 'all' },
    { ignore: [404] },
  )) as Record<string, unknown>;
  const names = Object.keys(found).filter((name) => name.startsWith(index));
  if (names.length > 0) await client.indices.delete({ index: names.join(',') }, { ignore: [404] });
}

/** A store on a fresh index of its own; refresh on, so a search sees the write before it at once. */
export function realStore(options: Partial<ElasticsearchRecordStoreOptions> = {}): {
  store: ElasticsearchRecordStore;
  index: string;
  cleanup(): Promise<void>;
} {
  const index = options.index ?? uniqueIndex();
  const store = createElasticsearchRecordStore({
    node: elasticsearchUrl!,
    refresh: true,
    maxSockets: 4,
    ...options,
    index,
  });
  return {
    store,
    index,
    async cleanup() {
      await store.close();
      const admin = adminClient();
      try {
        await dropIndices(admin, index);
      } finally {
        await admin.close();
      }
    },
  };
}
