#!/usr/bin/env node
// The api's operator CLI (`node scripts/oip.mjs admin …` / `account …` run it): admin grants and
// revocations, the admin list, account deletion and password reset. It reads the api's own config
// (STORE_KIND, STORE_DATA_DIR / API_STORE_DATA_DIR, ELASTICSEARCH_*, API_ACCOUNTS_INDEX) and opens the same
// accounts store the api serves from; it issues no tokens, so it needs no JWT secret, except that
// reset-password needs the custody secret the api uses (API_CUSTODY_SECRET, else JWT_SECRET).
// `migrate accounts …` (cli/migrate-accounts-main.ts) brings a legacy node's users in.
// Exit codes: 0 ok, 1 not found / store failure, 2 usage or configuration error.
import { AccountService } from '@oip/accounts';
import { CONFIG_ERROR_CODE, UsageError } from '@oip/service-kit';
import { parseAccountsCommand, runAccountsCommand, usageFailure, type AccountsCommand } from './cli/accounts-cli.js';
import { loadConfig, type Config } from './config.js';
import { accountStoreOf } from './services/account-store.js';

const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) };

if (process.argv[2] === 'migrate') {
  const { migrateMain } = await import('./cli/migrate-accounts-main.js');
  process.exit(await migrateMain(process.argv.slice(3)));
}

let command: AccountsCommand;
try {
  command = parseAccountsCommand(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.exit(usageFailure(err, io));
}

let config: Config;
try {
  config = loadConfig(undefined, undefined, { requireJwtSecret: false });
} catch (err) {
  // One line naming the variable; no stack trace for a configuration mistake.
  console.error(`oip: ${(err as Error).message}`);
  process.exit((err as { code?: unknown }).code === CONFIG_ERROR_CODE ? 2 : 1);
}

let code = 1;
const store = (() => {
  try {
    return accountStoreOf(config);
  } catch (err) {
    console.error(`oip: cannot open the accounts store: ${(err as Error).message}`);
    process.exit(1);
  }
})();
try {
  // The api's custody secret (API_CUSTODY_SECRET, else the JWT secret): reset-password opens the key with it.
  const custodySecret = config.custodySecret ?? config.jwtSecret;
  const accounts = new AccountService({ store, ...(custodySecret ? { custodySecret } : {}) });
  code = await runAccountsCommand(command, accounts, io, { cacheTtlMs: config.accountCacheTtlMs });
} catch (err) {
  console.error(`oip: ${(err as Error).message}`);
  code = 1;
} finally {
  await store.close().catch(() => {});
}
process.exit(code);
