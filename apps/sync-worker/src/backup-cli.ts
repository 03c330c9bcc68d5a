#!/usr/bin/env node
// The sync-worker's part of `node scripts/oip.mjs backup|restore`: the record store,
// `<STORE_DATA_DIR>/records.db`, copied with SQLite's online backup. A record store on
// Elasticsearch is left to an Elasticsearch snapshot, with a line saying so.
//   node apps/sync-worker/dist/backup-cli.js backup <dir> | restore <dir> [--force] [--check]
import path from 'node:path';
import { packageVersion, runBackupCli, type BackupPartSpec } from '@oip/service-kit/backup';
import { loadConfig } from './config.js';

/** The file @oip/record-store keeps under its data dir. */
const RECORDS_FILE = 'records.db';

function spec(): BackupPartSpec {
  const config = loadConfig();
  const base = {
    app: 'sync-worker',
    version: packageVersion(new URL('../package.json', import.meta.url)),
    listens: [{ host: config.healthHost, port: config.healthPort, variable: 'SYNC_HEALTH_PORT' }],
  };
  if (config.store.kind !== 'sqlite')
    return {
      ...base,
      items: [],
      skipped: [
        `records: the record store is Elasticsearch (index ${config.store.index}): back it up with an Elasticsearch snapshot`,
      ],
    };
  return {
    ...base,
    items: [
      {
        kind: 'sqlite',
        name: RECORDS_FILE,
        path: path.resolve(config.store.dataDir, RECORDS_FILE),
        counts: { records: 'SELECT COUNT(*) FROM records' },
        schemaVersionSql: 'PRAGMA user_version',
      },
    ],
    skipped: [],
  };
}

process.exitCode = await runBackupCli(process.argv.slice(2), { name: 'oip-sync-worker-backup', spec });
