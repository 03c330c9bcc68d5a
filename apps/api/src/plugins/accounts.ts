// Accounts in the node's store backend (services/account-store.ts), closed with the app. The
// operator's CLI (src/cli.ts) opens the same store from the same config.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AccountService, PublisherKeyring, type AccountStore } from '@oip/accounts';
import type { Config } from '../config.js';
import { accountStoreOf } from '../services/account-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    accounts: AccountService;
    /** Publishers' signing keys held in custody (null without a custody or JWT secret). */
    keyring: PublisherKeyring | null;
  }
}

async function accountsPlugin(app: FastifyInstance, opts: { config: Config; store?: AccountStore }): Promise<void> {
  const store = opts.store ?? accountStoreOf(opts.config);
  const custodySecret = opts.config.custodySecret ?? opts.config.jwtSecret;
  app.decorate('accounts', new AccountService({ store, ...(custodySecret ? { custodySecret } : {}) }));
  app.decorate('keyring', custodySecret ? new PublisherKeyring({ store, custodySecret }) : null);
  if (!opts.store) app.addHook('onClose', async () => store.close());
  if (opts.config.adminEmails.length > 0) {
    app.log.warn(
      'API_ADMIN_EMAILS is ignored: grant admin on the node with `node scripts/oip.mjs admin grant <email>`',
    );
  }
}

export default fp(accountsPlugin, { name: 'api-accounts', fastify: '5.x' });
