// The process side of `migrate accounts` (cli.ts runs it once the command has parsed): opens the
// accounts store the api's config names (no JWT secret needed: it signs nothing), runs, and
// closes the store. Returns the exit code.
import { CONFIG_ERROR_CODE, USAGE_EXIT_CODE } from '@oip/service-kit';
import { loadConfig, type Config } from '../config.js';
import { accountStoreOf } from '../services/account-store.js';
import { runMigrateAccounts, type MigrateAccountsCommand } from './migrate-accounts-cli.js';

const io = {
  out: (l: string) => console.log(l),
  err: (l: string) => console.error(l),
  progress: { write: (t: string) => process.stderr.write(t), isTTY: process.stderr.isTTY === true },
};

export async function migrateAccountsMain(cmd: MigrateAccountsCommand): Promise<number> {
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
