#!/usr/bin/env node
// The sync-worker's operator CLI (`pnpm oip dlq|store|migrate …` runs it, or `pnpm oip …` in
// apps/sync-worker). `oip dlq …` connects to the configured Redis (REDIS_URL or REDIS_CLUSTER_NODES,
// SYNC_QUEUE_PREFIX); `oip store …` opens the configured record store (STORE_KIND, STORE_DATA_DIR /
// ELASTICSEARCH_*) the workers write to; `oip migrate records …` copies a legacy node's
// Elasticsearch into that store (src/migrate/). Commands parse (commander, --help on each) before
// the config is read or anything is opened. Runs one command.
// Exit codes: 0 ok, 1 not found / nothing done / refused / Redis or store failure, 2 usage or configuration error.
import { createRecordStore, type RecordStore } from '@oip/record-store';
import { CONFIG_ERROR_CODE, createCli, USAGE_EXIT_CODE } from '@oip/service-kit';
import { loadConfig, type Config } from './config.js';
import { addDlqCommands } from './cli/run-cli.js';
import { addStoreCommands } from './cli/store-cli.js';
import { addMigrateRecordsCommand } from './migrate/migrate-args.js';
import { runMigration } from './migrate/migrate-cli.js';
import { openCliDeadLetters, type CliDeadLetters } from './cli/cli-dead-letters.js';

const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) };

/** A configuration mistake is one line naming the variable, exit 2, no stack trace. */
class ConfigExit extends Error {
  constructor(readonly exitCode: number) {
    super('config');
  }
}

let config: Config | null = null;
function configOf(): Config {
  if (config !== null) return config;
  try {
    config = loadConfig();
    return config;
  } catch (err) {
    io.err(`oip: ${(err as Error).message}`);
    throw new ConfigExit((err as { code?: unknown }).code === CONFIG_ERROR_CODE ? USAGE_EXIT_CODE : 1);
  }
}

let code = 1;
/** What a command opened, closed at the end. */
const opened: { deadLetters?: CliDeadLetters; store?: RecordStore } = {};
try {
  const cli = createCli(
    'oip',
    "the sync-worker's operator commands: dead letters, the record store, a legacy node's records",
    io,
  );
  addDlqCommands(
    cli,
    async () => {
      opened.deadLetters ??= openCliDeadLetters(configOf());
      return opened.deadLetters.dlq;
    },
    io,
  );
  addStoreCommands(
    cli,
    async () => {
      opened.store ??= createRecordStore(configOf().store);
      return opened.store;
    },
    io,
  );
  const progress = { isTTY: process.stderr.isTTY === true, write: (t: string) => void process.stderr.write(t) };
  addMigrateRecordsCommand(cli, (args) => runMigration(args, configOf(), io, progress));
  code = await cli.run(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigExit) code = err.exitCode;
  else {
    console.error(`oip: ${(err as Error).message}`);
    code = 1;
  }
} finally {
  await opened.deadLetters?.close();
  await opened.store?.close().catch(() => {});
}
process.exit(code);
