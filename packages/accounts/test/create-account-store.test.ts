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
import { EsAccountsFake } from './helpers/es-accounts-fake.js';
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

  it("uses the accounts index of the given cluster for { kind: 'elasticsearch', client, index }", async () => {
    const fake = new EsAccountsFake();
    const store = track(createAccountStore({ kind: 'elasticsearch', client: fake.client(), index: 'node1-accounts' }));
    expect(store).toBeInstanceOf(ElasticsearchAccountStore);
    await store.create(makeAccount());
    expect(fake.indices.get('node1-accounts')?.docs.size).toBe(1);
  });
});
