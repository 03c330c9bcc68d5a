// The real Elasticsearch the ES tests run on: ELASTICSEARCH_URL, which the test command
// (`node scripts/oip.mjs test`) sets to a node it starts, or `node scripts/oip.mjs elasticsearch up`
// prints. Without it those tests are skipped, except in CI, where a missing Elasticsearch fails.
import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import {
  createElasticsearchRecordStore,
  type ElasticsearchRecordStoreOptions,
  type RecordStore,
} from '@oip/record-store';

const given = process.env['ELASTICSEARCH_URL'];

if ((given === undefined || given === '') && process.env['CI']) {
  throw new Error('ELASTICSEARCH_URL is not set: CI runs the Elasticsearch tests (node scripts/oip.mjs test sets it)');
}

/** The node's URL, or undefined when this run has no Elasticsearch. */
export const elasticsearchUrl: string | undefined = given === '' ? undefined : given;

/** True when this run has no Elasticsearch (for describe.skipIf / it.skipIf). */
export const noElasticsearch = elasticsearchUrl === undefined;

const givenLegacy = process.env['LEGACY_ELASTICSEARCH_URL'];
if ((givenLegacy === undefined || givenLegacy === '') && process.env['CI']) {
  throw new Error("LEGACY_ELASTICSEARCH_URL is not set: CI runs the migration tests on the legacy node's 7.17.8");
}

/** The legacy node's own Elasticsearch (7.17.8, which the test command starts beside ours), or undefined. */
export const legacyElasticsearchUrl: string | undefined = givenLegacy === '' ? undefined : givenLegacy;

/** True when this run lacks the legacy node's Elasticsearch or ours (the migration tests need both). */
export const noLegacyElasticsearch = legacyElasticsearchUrl === undefined || noElasticsearch;

/** An index name of its own for one test (runs and tests never share an index). */
export function uniqueIndex(label = 'records'): string {
  return `oip-test-sync-${label}-${randomUUID()}`;
}

/** A store on `index` of the real node; refresh on, so a search sees the write before it at once. */
export function realStore(index: string, options: Partial<ElasticsearchRecordStoreOptions> = {}): RecordStore {
  return createElasticsearchRecordStore({ node: elasticsearchUrl!, refresh: true, maxSockets: 4, ...options, index });
}

/** A client of the test's own, for looking at what the store did. */
export function adminClient(): Client {
  return new Client({ node: elasticsearchUrl! });
}

/**
 * Deletes `index` and every index whose name starts with it (the copies a widening made) with
 * the aliases on them. Names are listed first: the node refuses wildcard deletes.
 */
export async function dropIndices(index: string): Promise<void> {
  const admin = adminClient();
  try {
    const found = (await admin.indices.get(
      { index: `${index}*`, expand_wildcards: 'all' },
      { ignore: [404] },
    )) as Record<string, unknown>;
    const names = Object.keys(found).filter((name) => name.startsWith(index));
    if (names.length > 0) await admin.indices.delete({ index: names.join(',') }, { ignore: [404] });
  } finally {
    await admin.close();
  }
}
