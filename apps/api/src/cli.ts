#!/usr/bin/env node
// The api's operator CLI (`node scripts/oip.mjs admin …` / `account …` run it): admin grants and
// revocations, the admin list, account deletion and password reset. It reads the api's own config
// (STORE_KIND, STORE_DATA_DIR / API_STORE_DATA_DIR, ELASTICSEARCH_*, API_ACCOUNTS_INDEX) and opens the same
// accounts store the api serves from; it issues no tokens, so it needs no JWT secret, except that
// reset-password needs the custody secret the api uses (API_CUSTODY_SECRET, else JWT_SECRET).
// `migrate accounts …` (cli/migrate-accounts-main.ts) brings a legacy node's users in.
// Exit codes: 0 ok, 1 not found / store failure, 2 usage or configuration error.
import { AccountService } from '@oip/accounts';
import { createCli } from '@oip/service-kit';
import { addAccountsCommands, runAccountsCommand, type AccountsCommand } from './cli/accounts-cli.js';
import { addMigrateAccountsCommand } from './cli/migrate-accounts-cli.js';
import { withAccountStore } from './cli/with-account-store.js';

const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) };

/** Opens the accounts store the api's config names, runs `command` on it, closes it. */
function withAccounts(command: AccountsCommand): Promise<number> {
  return withAccountStore(io, async (store, config) => {
    try {
      // The api's custody secret (API_CUSTODY_SECRET, else the JWT secret): reset-password opens the key with it.
      const custodySecret = config.custodySecret ?? config.jwtSecret;
      const accounts = new AccountService({ store, ...(custodySecret ? { custodySecret } : {}) });
      return await runAccountsCommand(command, accounts, io, { cacheTtlMs: config.accountCacheTtlMs });
    } catch (err) {
      io.err(`oip: ${(err as Error).message}`);
      return 1;
    }
  });
}

const cli = createCli('oip', "the api's operator commands: admins, accounts, a legacy node's accounts", io);
addAccountsCommands(cli, withAccounts);
addMigrateAccountsCommand(cli, async (cmd) => {
  const { migrateAccountsMain } = await import('./cli/migrate-accounts-main.js');
  return migrateAccountsMain(cmd);
});
process.exit(await cli.run(process.argv.slice(2)));
