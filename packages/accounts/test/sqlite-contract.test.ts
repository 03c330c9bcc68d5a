import { join } from 'node:path';
import { createSqliteAccountStore } from '../src/index.js';
import { describeAccountStoreContract } from './helpers/account-store-contract.js';
import { makeTempDir } from './helpers/temp-dir.js';

describeAccountStoreContract('SQLite (temp file)', () => {
  const tmp = makeTempDir();
  const path = join(tmp.dir, 'data', 'accounts.sqlite');
  return Promise.resolve({
    open: () => Promise.resolve(createSqliteAccountStore({ path })),
    destroy: () => Promise.resolve(tmp.remove()),
  });
});
