// The keys of this node's own users, for opening their encrypted records that arrive from other
// nodes: the api's accounts store (beside the record store, as the api opens it) and the custody
// secret. Without a custody secret the worker holds no keys.
import { PublisherKeyring, accountStoreBeside } from '@oip/accounts';
import type { RecordKeySource } from '@oip/records';
import type { Config } from '../config.js';

export interface UserKeys {
  keys: RecordKeySource | null;
  close(): Promise<void>;
}

export function openUserKeys(config: Pick<Config, 'store' | 'custodySecret' | 'accountsIndex'>): UserKeys {
  if (config.custodySecret === undefined) return { keys: null, close: async () => undefined };
  const store = accountStoreBeside(config.store, config.accountsIndex);
  const keyring = new PublisherKeyring({ store, custodySecret: config.custodySecret });
  return { keys: keyring, close: () => store.close() };
}
