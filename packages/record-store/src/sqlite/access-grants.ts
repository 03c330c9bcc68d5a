// record_grants (schema v7): who besides the public may read each restricted record, one row per
// grantee (record-columns.ts: `k:<public key>` or `o:<organization DID>`), so the access rule is
// an indexed lookup in the store query (legacy-filters-sql.ts addAccess, walk-matches.ts, the
// counts) instead of a JSON read per row. Public records have no rows.
import type Database from 'better-sqlite3';
import { accessColumns } from '../record-columns.js';
import type { OipRecord } from '../types.js';
import type { RowProgress } from './migration-progress.js';

export const GRANTS_DDL = `
CREATE TABLE IF NOT EXISTS record_grants (
  record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  grantee TEXT NOT NULL,
  PRIMARY KEY (record_id, grantee)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS record_grants_grantee ON record_grants (grantee, record_id)`;

/**
 * The condition "the viewer holds a grant on record `alias`", for one JSON array parameter of
 * the viewer's grantees (viewerGrantees()).
 */
export function grantedSql(alias: string): string {
  return `EXISTS (SELECT 1 FROM record_grants g WHERE g.record_id = ${alias}.id AND g.grantee IN (SELECT value FROM json_each(?)))`;
}

/** Replaces records' grant rows, with statements prepared once. */
export class GrantsWriter {
  readonly #delete: Database.Statement;
  readonly #insert: Database.Statement;

  constructor(db: Database.Database) {
    this.#delete = db.prepare('DELETE FROM record_grants WHERE record_id = ?');
    this.#insert = db.prepare('INSERT OR IGNORE INTO record_grants (record_id, grantee) VALUES (?, ?)');
  }

  /** Record `id`'s grants become `grantees` (none for a public record); `fresh`: it has none yet. */
  write(id: number, grantees: readonly string[], fresh = false): void {
    if (!fresh) this.#delete.run(id);
    for (const g of grantees) this.#insert.run(id, g);
  }
}

/**
 * v7 backfill, inside the migration transaction: every record the JSON bodies say may be
 * restricted is read (1,000 at a time, by id), its access_private set to the restricted rule of
 * access.ts (it meant `private` only before) and its grants written. The record_counts triggers
 * (v3 to v8; v9 drops them) follow the column changes. `progress` hears of every batch.
 */
export function backfillGrants(db: Database.Database, progress?: RowProgress): void {
  const writer = new GrantsWriter(db);
  // A superset of the restricted records (the rule itself is access.ts's, applied below).
  const maybeRestricted = `(access_private = 1
      OR json_extract(body, '$.data.accessControl.access_level') IN ('private', 'shared', 'organization')
      OR json_type(body, '$.data.conversationSession.is_private') = 'true')`;
  const next = db.prepare(
    `SELECT id, body FROM records WHERE id < ? AND ${maybeRestricted} ORDER BY id DESC LIMIT 1000`,
  );
  progress?.total(db.prepare(`SELECT COUNT(*) FROM records WHERE ${maybeRestricted}`).pluck().get() as number);
  const mark = db.prepare('UPDATE records SET access_private = ? WHERE id = ? AND access_private IS NOT ?');
  let below = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const rows = next.all(below) as Array<{ id: number; body: string }>;
    if (rows.length === 0) break;
    for (const row of rows) {
      const a = accessColumns(JSON.parse(row.body) as OipRecord);
      const flag = a.accessPrivate ? 1 : 0;
      mark.run(flag, row.id, flag);
      writer.write(row.id, a.grantees);
    }
    below = rows[rows.length - 1]!.id;
    progress?.advance(rows.length);
  }
}
