// The real Elasticsearch the ES suites run on: ELASTICSEARCH_URL, which the test command
// (`node scripts/oip.mjs test`) sets to a node it starts, or `node scripts/oip.mjs elasticsearch up`
// prints. Without it the suites are skipped, except in CI, where a missing Elasticsearch fails.
import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';

const given = process.env['ELASTICSEARCH_URL'];

if ((given === undefined || given === '') && process.env['CI']) {
  throw new Error('ELASTICSEARCH_URL is not set: CI runs the Elasticsearch suites (node scripts/oip.mjs test sets it)');
}

/** The node's URL, or undefined when this run has no Elasticsearch. */
export const elasticsearchUrl: string | undefined = given === '' ? undefined : given;

/** True when this run has no Elasticsearch (for describe.skipIf). */
export const noElasticsearch = elasticsearchUrl === undefined;

/** An index name of its own for one test (runs and tests never share an index). */
export function uniqueIndex(label = 'accounts'): string {
  return `oip-test-${label}-${randomUUID()}`;
}

const givenLegacy = process.env['LEGACY_ELASTICSEARCH_URL'];

/**
 * The legacy node's own Elasticsearch (7.17.8, as its docker-compose.yml runs it), for the suites
 * that read a legacy `users` index: LEGACY_ELASTICSEARCH_URL, which the test command sets to a node
 * it starts beside ours, or undefined (those suites then skip, and fail in CI).
 */
export const legacyElasticsearchUrl: string | undefined = givenLegacy === '' ? undefined : givenLegacy;

/** True when this run has no legacy node's Elasticsearch (for describe.skipIf). */
export const noLegacyElasticsearch = legacyElasticsearchUrl === undefined;

/** A client of the test's own, for setting up and looking at indices. */
export function adminClient(): Client {
  return new Client({ node: elasticsearchUrl! });
}

/** Deletes `index` (absent is fine) through a client of its own, on `url` (ours by default). */
export async function dropIndex(index: string, url = elasticsearchUrl!): Promise<void> {
  const admin = new Client({ node: url });
  try {
    await admin.indices.delete({ index }, { ignore: [404] });
  } finally {
    await admin.close();
  }
}
