// One factory for apps: the store section of their config (StoreConfig) picks the backend. The
// api, the sync-worker and its CLI open their store through here, so they agree on every field,
// Elasticsearch credentials included. Tests that need an injected ES client or other adapter
// options call createSqliteRecordStore / createElasticsearchRecordStore directly.
import { createElasticsearchRecordStore } from './elasticsearch/elasticsearch-record-store.js';
import type { EsClientOptions } from './elasticsearch/es-client.js';
import { createSqliteRecordStore } from './sqlite/sqlite-record-store.js';
import type { MigrationLogger } from './sqlite/migration-progress.js';
import type { StoreConfig } from './store-config.js';
import type { RecordStore } from './types.js';

type ElasticsearchStoreConfig = Extract<StoreConfig, { kind: 'elasticsearch' }>;

/**
 * The ES client's auth for a store config: the API key when set, else basic auth when a username
 * is (an unset password is sent empty), else none.
 */
function elasticsearchAuth(config: ElasticsearchStoreConfig): EsClientOptions['auth'] {
  if (config.apiKey !== undefined) return { apiKey: config.apiKey };
  if (config.username) return { username: config.username, password: config.password ?? '' };
  return undefined;
}

export interface RecordStoreOptions {
  /**
   * Each write returns once searches see it (Elasticsearch `refresh=wait_for`, as the legacy node
   * wrote its records), so a user's next list holds what they just published or deleted. SQLite
   * always does. Off for bulk writers (the sync-worker), whose writes become visible within the
   * index's refresh interval. @defaultValue false
   */
  visibleOnReturn?: boolean;
  /** Where a SQLite schema upgrade logs its progress at info (the app's logger). @defaultValue none */
  logger?: MigrationLogger;
}

export function createRecordStore(config: StoreConfig, opts: RecordStoreOptions = {}): RecordStore {
  if (config.kind === 'sqlite')
    return createSqliteRecordStore({ dataDir: config.dataDir, ...(opts.logger ? { logger: opts.logger } : {}) });
  const auth = elasticsearchAuth(config);
  return createElasticsearchRecordStore({
    node: config.url,
    index: config.index,
    ...(opts.visibleOnReturn === true ? { refresh: 'wait_for' as const } : {}),
    ...(auth === undefined ? {} : { auth }),
    ...(config.legacyReadOnly === true ? { legacyIndex: true } : {}),
  });
}
