// The process side of `migrate accounts` (cli.ts hands it the arguments after `migrate`): parses,
// opens the accounts store the api's config names (no JWT secret needed: it signs nothing), runs,
// and closes the store. Returns the exit code.
import { CONFIG_ERROR_CODE, UsageError, USAGE_EXIT_CODE } from '@oip/service-kit';
import { loadConfig, type Config } from '../config.js';
import { accountStoreOf } from '../services/account-store.js';
import {
  MIGRATE_ACCOUNTS_USAGE,
  parseMigrateAccounts,
  runMigrateAccounts,
  type MigrateAccountsCommand,
} from './migrate-accounts-cli.js';

const io = {
  out: (l: string) => console.log(l),
  err: (l: string) => console.error(l),
  progress: { write: (t: string) => process.stderr.write(t), isTTY: process.stderr.isTTY === true },
};

export async function migrateMain(argv: readonly string[]): Promise<number> {
  const [part, ...rest] = argv;
  let cmd: MigrateAccountsCommand | null;
  try {
    if (part !== 'accounts')
      throw new UsageError(`expected "accounts" after "migrate"${part === undefined ? '' : `, got "${part}"`}`);
    cmd = parseMigrateAccounts(rest);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`oip: ${err.message.split('\n')[0]}`);
    io.err(MIGRATE_ACCOUNTS_USAGE);
    return USAGE_EXIT_CODE;
  }
  if (cmd === null) {
    io.out(MIGRATE_ACCOUNTS_USAGE);
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig(undefined, undefined, { requireJwtSecret: false });
  } catch (err) {
    io.err(`oip: ${(err as Error).message}`);
    return (err as { code?: unknown }).code === CONFIG_ERROR_CODE ? USAGE_EXIT_CODE : 1;
  }
  let store;
  try {
    store = accountStoreOf(config);
  } catch (err) {
    io.err(`oip: cannot open the accounts store: ${(err as Error).message}`);
    return 1;
  }
  try {
    return await runMigrateAccounts(cmd, store, io);
  } finally {
    await store.close().catch(() => {});
  }
}
