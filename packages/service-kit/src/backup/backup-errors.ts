// What `oip backup` / `oip restore` refuse, each with a stable code an operator (or a script) can
// branch on. The CLIs print `<code>: <message>` and exit 1.

export const BackupErrorCodes = {
  /** The backup directory has no manifest.json, or one that is not a backup manifest. */
  MANIFEST_INVALID: 'BACKUP_ERR_MANIFEST_INVALID',
  /** A file of the backup is missing, or its size or sha256 is not the manifest's. */
  CORRUPT: 'BACKUP_ERR_CORRUPT',
  /** The target of a backup or a restore already holds data (restore --force replaces it). */
  TARGET_NOT_EMPTY: 'BACKUP_ERR_TARGET_NOT_EMPTY',
  /** The node still runs: a port of it answers, or another process holds its database open. */
  NODE_RUNNING: 'BACKUP_ERR_NODE_RUNNING',
  /** Something to back up could not be read or copied. */
  IO: 'BACKUP_ERR_IO',
} as const;

export type BackupErrorCode = (typeof BackupErrorCodes)[keyof typeof BackupErrorCodes];

export class BackupError extends Error {
  override name = 'BackupError';
  readonly code: BackupErrorCode;

  constructor(code: BackupErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export const isBackupError = (err: unknown): err is BackupError => err instanceof BackupError;
