// The accounts store the api's config names: `<dataDir>/accounts.sqlite` beside the SQLite records,
// or its own Elasticsearch index (API_ACCOUNTS_INDEX). The server and the operator's CLI open the
// same one this way.
import { accountStoreBeside, type AccountStore } from '@oip/accounts';
import type { Config } from '../config.js';

export function accountStoreOf(config: Pick<Config, 'store' | 'accountsIndex'>): AccountStore {
  return accountStoreBeside(config.store, config.accountsIndex);
}
