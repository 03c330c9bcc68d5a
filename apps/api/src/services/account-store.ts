// The accounts store the api's config names: `<dataDir>/accounts.sqlite` beside the SQLite records,
// or its own Elasticsearch index (API_ACCOUNTS_INDEX). The server and the operator's CLI open the
// same one this way.
import { createAccountStore, type AccountStore } from '@oip/accounts';
import type { Config } from '../config.js';

export function accountStoreOf(config: Pick<Config, 'store' | 'accountsIndex'>): AccountStore {
  const s = config.store;
  return s.kind === 'sqlite'
    ? createAccountStore({ kind: 'sqlite', dataDir: s.dataDir })
    : createAccountStore({ kind: 'elasticsearch', url: s.url, index: config.accountsIndex, ...(s.username ? { username: s.username, password: s.password ?? '' } : {}) });
}
