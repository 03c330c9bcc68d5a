// The legacy Elasticsearch clients the worker reads migrated records from when their dead letters
// are replayed or a follow pass queued them: one per MIGRATE_ELASTICSEARCH_URL and
// MIGRATE_FOLLOW_ELASTICSEARCH_URL, with the MIGRATE_ELASTICSEARCH_* credentials,
// keyed by the URL as `oip migrate records` writes it into a dead letter's source.
import { createEsClient } from '@oip/record-store';
import type { Config } from '../config.js';
import type { LegacyClient } from '../processors/migrate-record.js';

/** The URL as the migration names it: no credentials, no trailing slash. */
export function legacyUrlKey(raw: string): string {
  const u = new URL(raw);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/$/, '');
}

export function openLegacySources(config: Config): Map<string, LegacyClient> {
  const auth =
    config.migrateSourceApiKey !== undefined
      ? { apiKey: config.migrateSourceApiKey }
      : config.migrateSourceUsername !== undefined
        ? { username: config.migrateSourceUsername, password: config.migrateSourcePassword ?? '' }
        : undefined;
  const out = new Map<string, LegacyClient>();
  // The followed URL too (MIGRATE_FOLLOW_ELASTICSEARCH_URL): its passes and jobs read through it.
  const urls =
    config.migrateFollowUrl === undefined ? config.migrateSources : [...config.migrateSources, config.migrateFollowUrl];
  for (const raw of urls) {
    const key = legacyUrlKey(raw);
    if (out.has(key)) continue;
    out.set(
      key,
      createEsClient({ node: key, ...(auth === undefined ? {} : { auth }), maxSockets: 4, plainJson: true }),
    );
  }
  return out;
}

/** Closes what openLegacySources opened. */
export async function closeLegacySources(sources: ReadonlyMap<string, LegacyClient>): Promise<void> {
  await Promise.all([...sources.values()].map((c) => c.close().catch(() => {})));
}
