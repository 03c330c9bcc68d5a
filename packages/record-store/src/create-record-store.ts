// One factory for apps: configuration picks the backend.
import {
  createElasticsearchRecordStore,
  type ElasticsearchRecordStoreOptions,
} from './elasticsearch/elasticsearch-record-store.js';
import { createSqliteRecordStore, type SqliteRecordStoreOptions } from './sqlite/sqlite-record-store.js';
import type { RecordStore } from './types.js';

export type RecordStoreConfig =
  ({ kind: 'sqlite' } & SqliteRecordStoreOptions) | ({ kind: 'elasticsearch' } & ElasticsearchRecordStoreOptions);

export function createRecordStore(config: RecordStoreConfig): RecordStore {
  switch (config.kind) {
    case 'sqlite': {
      const { kind: _kind, ...options } = config;
      return createSqliteRecordStore(options);
    }
    case 'elasticsearch': {
      const { kind: _kind, ...options } = config;
      return createElasticsearchRecordStore(options);
    }
  }
}
