// The stores AccountService tests run on: a temp SQLite file and the in-memory Elasticsearch fake.
import { join } from 'node:path';
import { type AccountStore, createElasticsearchAccountStore, createSqliteAccountStore } from '../../src/index.js';
import { EsAccountsFake } from './es-accounts-fake.js';
import { makeTempDir } from './temp-dir.js';

export interface ServiceBackend {
  name: string;
  open(): { store: AccountStore; cleanup(): Promise<void> };
}

export const serviceBackends: readonly ServiceBackend[] = [
  {
    name: 'SQLite temp file',
    open() {
      const tmp = makeTempDir();
      const store = createSqliteAccountStore({ path: join(tmp.dir, 'accounts.sqlite') });
      return { store, cleanup: async () => (await store.close(), tmp.remove()) };
    },
  },
  {
    name: 'Elasticsearch mock',
    open() {
      const store = createElasticsearchAccountStore({ client: new EsAccountsFake().client() });
      return { store, cleanup: () => store.close() };
    },
  },
];

/** Low argon2 and scrypt costs for speed; the defaults are exercised in their own tests. */
export const FAST = { passwordHash: { memoryCost: 1024, timeCost: 1 }, secretKdf: { N: 2 ** 10, r: 8, p: 1 } };
