// Picks a backend from config, as the api's store config names it. Accounts live beside the
// records: `<dataDir>/accounts.sqlite` for SQLite, their own index (default `accounts`, never
// the records index) for Elasticsearch.
import { join } from 'node:path';
import {
  type ElasticsearchAccountStoreOptions,
  createElasticsearchAccountStore,
} from './elasticsearch/elasticsearch-account-store.js';
import { createSqliteAccountStore } from './sqlite/sqlite-account-store.js';
import type { AccountStore } from './types.js';

/** The file name used under a data dir. */
export const ACCOUNTS_SQLITE_FILE = 'accounts.sqlite';

export type AccountStoreConfig =
  | { kind: 'sqlite'; path: string; busyTimeoutMs?: number }
  | { kind: 'sqlite'; dataDir: string; busyTimeoutMs?: number }
  | ({ kind: 'elasticsearch' } & ElasticsearchAccountStoreOptions);

export function createAccountStore(config: AccountStoreConfig): AccountStore {
  if (config.kind === 'elasticsearch') {
    const { kind: _kind, ...options } = config;
    return createElasticsearchAccountStore(options);
  }
  const path = 'path' in config ? config.path : join(config.dataDir, ACCOUNTS_SQLITE_FILE);
  return createSqliteAccountStore(
    config.busyTimeoutMs === undefined ? { path } : { path, busyTimeoutMs: config.busyTimeoutMs },
  );
}

/** The record store's config as the apps carry it (@oip/record-store StoreConfig). */
export type RecordStoreLocation =
  | { kind: 'sqlite'; dataDir: string }
  | {
      kind: 'elasticsearch';
      url: string;
      username?: string | undefined;
      password?: string | undefined;
      apiKey?: string | undefined;
    };

/**
 * The accounts store beside a record store: `<dataDir>/accounts.sqlite`, or the `accountsIndex`
 * of the same Elasticsearch. The api, its CLI and the sync-worker open the same one this way.
 */
export function accountStoreBeside(store: RecordStoreLocation, accountsIndex: string): AccountStore {
  if (store.kind === 'sqlite') return createAccountStore({ kind: 'sqlite', dataDir: store.dataDir });
  return createAccountStore({
    kind: 'elasticsearch',
    url: store.url,
    index: accountsIndex,
    // The record store's rule (@oip/record-store createRecordStore): the API key wins over basic auth.
    ...(store.apiKey !== undefined
      ? { apiKey: store.apiKey }
      : store.username
        ? { username: store.username, password: store.password ?? '' }
        : {}),
  });
}
