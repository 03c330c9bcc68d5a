// The process side of `migrate accounts` (cli.ts runs it once the command has parsed): opens the
// accounts store the api's config names (no JWT secret needed: it signs nothing), runs, and
// closes the store. Returns the exit code.
import { runMigrateAccounts, type MigrateAccountsCommand } from './migrate-accounts-cli.js';
import { withAccountStore } from './with-account-store.js';

const io = {
  out: (l: string) => console.log(l),
  err: (l: string) => console.error(l),
  progress: { write: (t: string) => process.stderr.write(t), isTTY: process.stderr.isTTY === true },
};

export function migrateAccountsMain(cmd: MigrateAccountsCommand): Promise<number> {
  return withAccountStore(io, (store) => runMigrateAccounts(cmd, store, io));
}
