#!/usr/bin/env node
// gun-proxy's part of `node scripts/oip.mjs backup|restore`: the GUN graph,
// `<GUNPROXY_DATA_DIR>/graph.sqlite`, copied with SQLite's online backup.
//   node apps/gun-proxy/dist/backup-cli.js backup <dir> | restore <dir> [--force] [--check]
import path from 'node:path';
import { packageVersion, runBackupCli, type BackupPartSpec } from '@oip/service-kit/backup';
import { loadConfig } from './config.js';

/** The file the graph store keeps under its data dir (gun/graph-store.ts). */
const GRAPH_FILE = 'graph.sqlite';

function spec(): BackupPartSpec {
  const config = loadConfig();
  return {
    app: 'gun-proxy',
    version: packageVersion(new URL('../package.json', import.meta.url)),
    listens: [{ host: config.host, port: config.port, variable: 'GUNPROXY_PORT' }],
    items: [
      {
        kind: 'sqlite',
        name: GRAPH_FILE,
        path: path.join(config.dataDir, GRAPH_FILE),
        counts: { souls: 'SELECT COUNT(*) FROM gun_key_counts', keys: 'SELECT COUNT(*) FROM gun_graph' },
      },
    ],
    skipped: [],
  };
}

process.exitCode = await runBackupCli(process.argv.slice(2), { name: 'oip-gun-proxy-backup', spec });
