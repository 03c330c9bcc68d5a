// What one app's part of a backup holds, as the app's backup CLI describes it from its config.

/** A database copied with SQLite's online backup API (consistent while the app writes to it). */
export interface SqliteItem {
  kind: 'sqlite';
  /** File name inside the app's part of the backup. */
  name: string;
  /** The live database file. */
  path: string;
  /** Rows counted in the copy for the manifest, e.g. `{ records: 'SELECT COUNT(*) FROM records' }`. */
  counts?: Record<string, string>;
  /** The copy's schema version, e.g. `PRAGMA user_version` (one value). */
  schemaVersionSql?: string;
}

/** A directory copied file by file (files written once and renamed into place, as media are). */
export interface DirItem {
  kind: 'dir';
  name: string;
  path: string;
  /** Top-level entries left out (work in progress such as `.tmp`). @defaultValue [] */
  skip?: readonly string[];
}

/** One small file (a secret). */
export interface FileItem {
  kind: 'file';
  name: string;
  path: string;
}

export type BackupItem = SqliteItem | DirItem | FileItem;

/** Where the app answers while it runs: a restore refuses to go on while one of these answers. */
export interface ListenAddress {
  host: string;
  port: number;
  /** The variable that sets it, named in the refusal. */
  variable: string;
}

export interface BackupPartSpec {
  /** The app's name, also its directory in a node backup (`api`, `gun-proxy`…). */
  app: string;
  /** The app's package version, written to the manifest. */
  version: string;
  /** Items that are missing on disk are left out with a line (a node that never stored any). */
  items: BackupItem[];
  /** What the app keeps that this backup does not hold, one line each (Elasticsearch). */
  skipped: string[];
  listens: ListenAddress[];
}
