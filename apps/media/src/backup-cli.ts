#!/usr/bin/env node
// The media service's part of `node scripts/oip.mjs backup|restore`: every file under the media
// dir (MEDIA_DATA_DIR / MEDIA_DIR: `<mediaId>/original` and `manifest.json`, `web/`), uploads in
// progress (`.tmp`) and a legacy migration's state (`.migrate`) left out. Files are written once and renamed into place, so a copy taken
// while the service runs holds whole files.
//   node apps/media/dist/backup-cli.js backup <dir> | restore <dir> [--force] [--check]
import { packageVersion, runBackupCli, type BackupPartSpec } from '@oip/service-kit/backup';
import { loadConfig } from './config.js';
import { STATE_DIR_NAME } from './migrate/state-dir.js';
import { TMP_DIR_NAME } from './services/media-paths.js';

function spec(): BackupPartSpec {
  const config = loadConfig(undefined, undefined, { requireJwtSecret: false });
  return {
    app: 'media',
    version: packageVersion(new URL('../package.json', import.meta.url)),
    listens: [{ host: config.host, port: config.port, variable: 'MEDIA_PORT' }],
    items: [{ kind: 'dir', name: 'media', path: config.mediaDir, skip: [TMP_DIR_NAME, STATE_DIR_NAME] }],
    skipped: [],
  };
}

process.exitCode = await runBackupCli(process.argv.slice(2), { name: 'oip-media-backup', spec });
