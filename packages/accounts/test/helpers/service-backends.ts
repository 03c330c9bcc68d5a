// The stores AccountService tests run on: a temp SQLite file and the real Elasticsearch node
// (an index of its own per test; left out when the run has no Elasticsearch).
import { join } from 'node:path';
import { type AccountStore, createElasticsearchAccountStore, createSqliteAccountStore } from '../../src/index.js';
import { dropIndex, elasticsearchUrl, noElasticsearch, uniqueIndex } from './real-elasticsearch.js';
import { makeTempDir } from './temp-dir.js';

export interface ServiceBackend {
  name: string;
  open(): { store: AccountStore; cleanup(): Promise<void> };
}

const backends: ServiceBackend[] = [
  {
    name: 'SQLite temp file',
    open() {
      const tmp = makeTempDir();
      const store = createSqliteAccountStore({ path: join(tmp.dir, 'accounts.sqlite') });
      return { store, cleanup: async () => (await store.close(), tmp.remove()) };
    },
  },
  {
    name: 'Elasticsearch (real node)',
    open() {
      const index = uniqueIndex();
      const store = createElasticsearchAccountStore({ url: elasticsearchUrl!, index });
      return { store, cleanup: async () => (await store.close(), await dropIndex(index)) };
    },
  },
];

export const serviceBackends: readonly ServiceBackend[] = noElasticsearch
  ? backends.filter((b) => !b.name.startsWith('Elasticsearch'))
  : backends;

/** Low argon2 and scrypt costs for speed; the defaults are exercised in their own tests. */
export const FAST = { passwordHash: { memoryCost: 1024, timeCost: 1 }, secretKdf: { N: 2 ** 10, r: 8, p: 1 } };
