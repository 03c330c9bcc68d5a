// `oip migrate records …`: opens the legacy node's Elasticsearch (read only), this node's store
// (the configured one) and, unless --dry-run, its Redis (dead letters, deletion ledger), runs the
// migration and prints the closing report. Exit codes: 0 done (failed records are in the report
// and the dead-letter queue), 1 the source, the store or Redis failed (rerun to resume), 2 usage.
import { resolve, join } from 'node:path';
import { createEsClient, createRecordStore, type RecordStore } from '@oip/record-store';
import { createCli } from '@oip/service-kit';
import { SyncState } from '@oip/sync-state';
import type { Config } from '../config.js';
import { openCliDeadLetters, type CliDeadLetters } from '../cli/cli-dead-letters.js';
import type { CliIo } from '../cli/run-cli.js';
import { addMigrateRecordsCommand, type LegacyAuth, type MigrateRecordsArgs } from './migrate-args.js';
import { MigrateDeadLetters } from './migrate-dead-letters.js';
import type { ProgressSink } from './migrate-progress.js';
import { MigrateSourceError, migrateRecords } from './migrate-records.js';

/** The cursors' default home: beside the SQLite store's files, or `.data/migrate` for Elasticsearch. */
function defaultStateDir(config: Config): string {
  return config.store.kind === 'sqlite' ? join(resolve(config.store.dataDir), 'migrate') : resolve('.data/migrate');
}

function storeId(config: Config): string {
  const s = config.store;
  return s.kind === 'sqlite' ? `sqlite:${resolve(s.dataDir)}` : `elasticsearch:${s.url}/${s.index}`;
}

/** The flags' credentials, else the config's (MIGRATE_ELASTICSEARCH_*), else none. */
function legacyAuth(args: MigrateRecordsArgs, config: Config): LegacyAuth | undefined {
  if (args.auth !== undefined) return args.auth;
  if (config.migrateSourceApiKey !== undefined) return { apiKey: config.migrateSourceApiKey };
  if (config.migrateSourceUsername !== undefined)
    return { username: config.migrateSourceUsername, password: config.migrateSourcePassword ?? '' };
  return undefined;
}

function legacyClient(args: MigrateRecordsArgs, config: Config): ReturnType<typeof createEsClient> {
  const auth = legacyAuth(args, config);
  return createEsClient({
    node: args.url,
    ...(auth === undefined ? {} : { auth }),
    maxSockets: 4,
    requestTimeoutMs: 60_000,
    // A legacy node runs Elasticsearch 7.17 or, upgraded, 8.x; 8.x refuses this client's compatible-with=9 types.
    plainJson: true,
  });
}

/** The store being one of the indices read (the same node and name) would read what it writes. */
function sameIndex(args: MigrateRecordsArgs, config: Config): string | null {
  const s = config.store;
  if (s.kind !== 'elasticsearch' || s.url.replace(/\/+$/, '') !== args.url) return null;
  const read = [args.recordsIndex, args.templatesIndex, args.creatorsIndex, args.organizationsIndex];
  return read.includes(s.index) ? s.index : null;
}

async function run(args: MigrateRecordsArgs, config: Config, io: CliIo, progress: ProgressSink): Promise<number> {
  const same = sameIndex(args, config);
  if (same !== null)
    throw new MigrateSourceError(
      `this node's store is the legacy index "${same}" itself: give the store another index (ELASTICSEARCH_INDEX)`,
    );
  const legacy = legacyClient(args, config);
  let store: RecordStore | null = null;
  let opened: CliDeadLetters | null = null;
  try {
    store = createRecordStore(config.store);
    let deadLetters: MigrateDeadLetters | null = null;
    if (!args.dryRun) {
      opened = openCliDeadLetters(config);
      deadLetters = new MigrateDeadLetters({
        deadLetters: opened.dlq,
        state: new SyncState(opened.redis, config.queuePrefix),
      });
    }
    const result = await migrateRecords(args, {
      legacy,
      store,
      storeId: storeId(config),
      deadLetters,
      stateDir: args.stateDir ?? defaultStateDir(config),
      progress,
    });
    if (args.json) {
      io.out(
        JSON.stringify({
          dryRun: args.dryRun,
          indices: result.indices,
          tally: result.tally,
          totals: result.tally.totals(),
        }),
      );
    } else {
      io.out(`migrate records from ${args.url}${args.dryRun ? ' (dry run: nothing written)' : ''}`);
      for (const i of result.indices) if (i.status !== 'migrated') io.out(`${i.index}: ${i.status}`);
      for (const l of result.tally.lines()) io.out(l);
    }
    return 0;
  } finally {
    await opened?.close();
    await store?.close().catch(() => {});
    await legacy.close().catch(() => {});
  }
}

/** Runs a parsed `migrate records`: the exit code (0 done, 1 the source, the store or Redis failed). */
export async function runMigration(
  args: MigrateRecordsArgs,
  config: Config,
  io: CliIo,
  progress: ProgressSink,
): Promise<number> {
  try {
    return await run(args, config, io, progress);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    io.err(`oip: migrate records stopped${typeof code === 'string' ? ` (${code})` : ''}: ${(err as Error).message}`);
    io.err('oip: rerun the same command to resume from the last page written');
    return 1;
  }
}

/** Runs one `migrate records …` command line (`argv` from `migrate`) with `config`. */
export async function runMigrateCli(
  argv: readonly string[],
  config: Config,
  io: CliIo,
  progress: ProgressSink,
): Promise<number> {
  const cli = createCli('oip', 'migrate records', io);
  addMigrateRecordsCommand(cli, (args) => runMigration(args, config, io, progress));
  return cli.run(argv);
}
