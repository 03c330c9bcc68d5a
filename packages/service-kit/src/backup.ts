// @oip/service-kit/backup: `oip backup` / `oip restore` for every app (SQLite online backup,
// files, manifest.json with sha256), apart from the main entry so services that never back up
// do not load better-sqlite3 and commander.
export { BackupError, BackupErrorCodes, isBackupError } from './backup/backup-errors.js';
export type { BackupErrorCode } from './backup/backup-errors.js';
export type { BackupItem, BackupPartSpec, DirItem, FileItem, ListenAddress, SqliteItem } from './backup/backup-spec.js';
export { backupPart } from './backup/backup-part.js';
export type { BackupReport } from './backup/backup-part.js';
export { restorePart } from './backup/restore-part.js';
export type { RestoreOptions } from './backup/restore-part.js';
export {
  describeFile,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  readManifest,
  sha256File,
  verifyManifest,
  writeManifest,
} from './backup/manifest.js';
export type { Manifest, ManifestFile } from './backup/manifest.js';
export { firstAnswering, portAnswers, sqliteInUse } from './backup/node-running.js';
export { isEmptyTarget } from './backup/targets.js';
export { packageVersion, runBackupCli } from './backup/backup-cli.js';
export type { BackupCliIo, BackupCliOptions } from './backup/backup-cli.js';
