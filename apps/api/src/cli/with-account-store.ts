// What every api CLI command that touches accounts does first and last: read the api's config (no
// JWT secret needed: the CLIs sign nothing), open the accounts store it names, run, close the store.
// A configuration mistake is one line and exit 2; a store that does not open, exit 1.
import { CONFIG_ERROR_CODE, USAGE_EXIT_CODE } from '@oip/service-kit';
import { loadConfig, type Config } from '../config.js';
import { accountStoreOf } from '../services/account-store.js';

export interface CliErrorOutput {
  err(line: string): void;
}

export type AccountStore = ReturnType<typeof accountStoreOf>;

/** Runs `run` with the config and the open accounts store; returns its exit code (or 1/2 when they do not open). */
export async function withAccountStore(
  io: CliErrorOutput,
  run: (store: AccountStore, config: Config) => Promise<number>,
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(undefined, undefined, { requireJwtSecret: false });
  } catch (err) {
    // One line naming the variable; no stack trace for a configuration mistake.
    io.err(`oip: ${(err as Error).message}`);
    return (err as { code?: unknown }).code === CONFIG_ERROR_CODE ? USAGE_EXIT_CODE : 1;
  }
  let store: AccountStore;
  try {
    store = accountStoreOf(config);
  } catch (err) {
    io.err(`oip: cannot open the accounts store: ${(err as Error).message}`);
    return 1;
  }
  try {
    return await run(store, config);
  } finally {
    await store.close().catch(() => {});
  }
}
