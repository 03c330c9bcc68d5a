// The keys of this node's own users, for opening their encrypted records that arrive from other
// nodes: the api's accounts store (beside the record store, as the api opens it) and the custody
// secret. Without a custody secret the worker holds no keys.
import { PublisherKeyring, createAccountStore, type AccountStore } from '@oip/accounts';
import type { RecordKeySource } from '@oip/records';
import type { Config } from '../config.js';

export interface UserKeys {
  keys: RecordKeySource | null;
  close(): Promise<void>;
}

export function openUserKeys(config: Pick<Config, 'store' | 'custodySecret' | 'accountsIndex'>): UserKeys {
  if (config.custodySecret === undefined) return { keys: null, close: async () => undefined };
  const s = config.store;
  const store: AccountStore =
    s.kind === 'sqlite'
      ? createAccountStore({ kind: 'sqlite', dataDir: s.dataDir })
      : createAccountStore({ kind: 'elasticsearch', url: s.url, index: config.accountsIndex, ...(s.username ? { username: s.username, password: s.password ?? '' } : {}) });
  const keyring = new PublisherKeyring({ store, custodySecret: config.custodySecret });
  return { keys: keyring, close: () => store.close() };
}
