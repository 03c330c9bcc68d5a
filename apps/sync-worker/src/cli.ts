#!/usr/bin/env node
// `oip` binary. `oip dlq …` connects to the configured Redis (REDIS_URL or REDIS_CLUSTER_NODES, SYNC_QUEUE_PREFIX);
// `oip store …` opens the configured record store (STORE_KIND, STORE_DATA_DIR / ELASTICSEARCH_*)
// the workers write to; `oip migrate records …` copies a legacy node's Elasticsearch into that store
// (src/migrate/). Runs one command.
// Exit codes: 0 ok, 1 not found / nothing done / refused / Redis or store failure, 2 usage or configuration error.
import { createRecordStore, type RecordStore } from '@oip/record-store';
import { CONFIG_ERROR_CODE } from '@oip/service-kit';
import { loadConfig, type Config } from './config.js';
import { runCli } from './cli/run-cli.js';
import { runStoreCli } from './cli/store-cli.js';
import { runMigrateCli } from './migrate/migrate-cli.js';
import { openCliDeadLetters, type CliDeadLetters } from './cli/cli-dead-letters.js';

let code = 1;
let deadLetters: CliDeadLetters | null = null;
let store: RecordStore | null = null;
let config: Config | null = null;
try {
  config = loadConfig();
} catch (err) {
  // One line naming the variable; no stack trace for a configuration mistake.
  console.error(`oip: ${(err as Error).message}`);
  process.exit((err as { code?: unknown }).code === CONFIG_ERROR_CODE ? 2 : 1);
}
const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) };
try {
  if (process.argv[2] === 'migrate') {
    const progress = { isTTY: process.stderr.isTTY === true, write: (t: string) => void process.stderr.write(t) };
    code = await runMigrateCli(process.argv.slice(2), config, io, progress);
  } else if (process.argv[2] === 'store') {
    store = createRecordStore(config.store);
    code = await runStoreCli(process.argv.slice(2), store, io);
  } else {
    deadLetters = openCliDeadLetters(config);
    code = await runCli(process.argv.slice(2), deadLetters.dlq, io);
  }
} catch (err) {
  console.error(`oip: ${(err as Error).message}`);
  code = 1;
} finally {
  await deadLetters?.close();
  await store?.close().catch(() => {});
}
process.exit(code);
