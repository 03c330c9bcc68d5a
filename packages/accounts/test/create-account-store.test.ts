import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACCOUNTS_SQLITE_FILE,
  ElasticsearchAccountStore,
  SqliteAccountStore,
  createAccountStore,
  type AccountStore,
} from '../src/index.js';
import { makeAccount } from './helpers/accounts.js';
import { adminClient, dropIndex, noElasticsearch, uniqueIndex } from './helpers/real-elasticsearch.js';
import { makeTempDir } from './helpers/temp-dir.js';

describe('createAccountStore', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const track = (store: AccountStore): AccountStore => {
    cleanups.push(() => store.close());
    return store;
  };

  it(`opens <dataDir>/${ACCOUNTS_SQLITE_FILE} for { kind: 'sqlite', dataDir }`, async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const store = track(createAccountStore({ kind: 'sqlite', dataDir: join(tmp.dir, 'data') }));
    expect(store).toBeInstanceOf(SqliteAccountStore);
    await store.create(makeAccount());
    expect(existsSync(join(tmp.dir, 'data', 'accounts.sqlite'))).toBe(true);
  });

  it("opens the given file for { kind: 'sqlite', path }", async () => {
    const tmp = makeTempDir();
    cleanups.push(tmp.remove);
    const path = join(tmp.dir, 'elsewhere.db');
    const store = track(createAccountStore({ kind: 'sqlite', path }));
    await store.create(makeAccount());
    expect(existsSync(path)).toBe(true);
  });

  it.skipIf(noElasticsearch)(
    "uses the accounts index of the given cluster for { kind: 'elasticsearch', client, index }",
    async () => {
      const index = uniqueIndex();
      const client = adminClient();
      cleanups.push(() => client.close());
      cleanups.push(() => dropIndex(index));
      const store = track(createAccountStore({ kind: 'elasticsearch', client, index }));
      expect(store).toBeInstanceOf(ElasticsearchAccountStore);
      await store.create(makeAccount());
      expect((await client.count({ index })).count).toBe(1);
    },
  );
});
