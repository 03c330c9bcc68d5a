// Accounts in the node's store backend: `<dataDir>/accounts.sqlite` beside the SQLite records, or
// their own Elasticsearch index. The service is closed with the app.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AccountService, createAccountStore, type AccountStore } from '@oip/accounts';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    accounts: AccountService;
  }
}

async function accountsPlugin(app: FastifyInstance, opts: { config: Config; store?: AccountStore }): Promise<void> {
  const s = opts.config.store;
  const store =
    opts.store ??
    (s.kind === 'sqlite'
      ? createAccountStore({ kind: 'sqlite', dataDir: s.dataDir })
      : createAccountStore({ kind: 'elasticsearch', url: s.url, index: opts.config.accountsIndex, ...(s.username ? { username: s.username, password: s.password ?? '' } : {}) }));
  app.decorate('accounts', new AccountService({ store }));
  if (!opts.store) app.addHook('onClose', async () => store.close());
}

export default fp(accountsPlugin, { name: 'api-accounts', fastify: '5.x' });
