#!/usr/bin/env node
// The api's part of `node scripts/oip.mjs backup|restore`: the accounts store,
// `<store dir>/accounts.sqlite` (STORE_DATA_DIR / API_STORE_DATA_DIR), copied with SQLite's online
// backup. Accounts kept in Elasticsearch are left to an Elasticsearch snapshot, with a line saying so.
//   node apps/api/dist/backup-cli.js backup <dir> | restore <dir> [--force] [--check]
import path from 'node:path';
import { ACCOUNTS_SQLITE_FILE } from '@oip/accounts';
import { packageVersion, runBackupCli, type BackupPartSpec } from '@oip/service-kit/backup';
import { loadConfig } from './config.js';

function spec(): BackupPartSpec {
  const config = loadConfig(undefined, undefined, { requireJwtSecret: false });
  const base = {
    app: 'api',
    version: packageVersion(new URL('../package.json', import.meta.url)),
    listens: [{ host: config.host, port: config.port, variable: 'API_PORT' }],
  };
  if (config.store.kind !== 'sqlite')
    return {
      ...base,
      items: [],
      skipped: [
        `accounts: they are in Elasticsearch (index ${config.accountsIndex}): back them up with an Elasticsearch snapshot`,
      ],
    };
  return {
    ...base,
    items: [
      {
        kind: 'sqlite',
        name: ACCOUNTS_SQLITE_FILE,
        path: path.join(config.store.dataDir, ACCOUNTS_SQLITE_FILE),
        counts: { accounts: 'SELECT COUNT(*) FROM accounts' },
        schemaVersionSql: 'SELECT version FROM accounts_schema WHERE id = 1',
      },
    ],
    skipped: [],
  };
}

process.exitCode = await runBackupCli(process.argv.slice(2), { name: 'oip-api-backup', spec });
