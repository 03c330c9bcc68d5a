// SQLite schema for the embedded record store. `PRAGMA user_version` carries the schema version;
// every statement is idempotent so two processes opening the same new file cannot collide.
import type Database from 'better-sqlite3';
import { RECORDS_FTS_DDL, TAG_FTS_DDL, rebuildSearchIndexes } from './search-index.js';
import { GRANTS_DDL, backfillGrants } from './access-grants.js';
import { TERM_KEYS_DDL, fillTermKeys } from './term-keys.js';
import { rowProgress, type MigrationProgressOptions } from './migration-progress.js';

export const SCHEMA_VERSION = 9;

const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY,
  did TEXT NOT NULL UNIQUE,
  did_tx TEXT,
  record_type TEXT NOT NULL,
  storage TEXT,
  creator_handle TEXT,
  creator_did_address TEXT,
  basic_date REAL,
  indexed_at TEXT,
  in_arweave_block INTEGER,
  name TEXT,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_type ON records (record_type);
CREATE INDEX IF NOT EXISTS records_did_tx ON records (did_tx);
CREATE INDEX IF NOT EXISTS records_storage ON records (storage);
CREATE INDEX IF NOT EXISTS records_creator_handle ON records (creator_handle);
CREATE INDEX IF NOT EXISTS records_creator_did ON records (creator_did_address);
CREATE INDEX IF NOT EXISTS records_date ON records (basic_date);
CREATE INDEX IF NOT EXISTS records_indexed_at ON records (indexed_at);
CREATE INDEX IF NOT EXISTS records_block ON records (in_arweave_block);
CREATE INDEX IF NOT EXISTS records_name ON records (name);

-- Lower-cased basic.tagItems, for tag filters (any / all).
CREATE TABLE IF NOT EXISTS record_tags (
  tag TEXT NOT NULL,
  record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, record_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS record_tags_record ON record_tags (record_id);

-- Full text over basic.name / description / tagItems; rowid = records.id (negated since v6). Contentless: the
-- text lives in records.body already.
${RECORDS_FTS_DDL};

-- The field-type guard's fixed types. Insert-only, so rowid doubles as a change sequence that
-- other processes on the same file follow.
CREATE TABLE IF NOT EXISTS field_types (
  path TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL
);
`;

// v2: columns for the access rule and scheduledOn, backfilled from the JSON bodies with the
// same rules record-columns.ts applies on write.
const SCHEMA_V2 = `
ALTER TABLE records ADD COLUMN access_private INTEGER NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN owner_key TEXT;
ALTER TABLE records ADD COLUMN created_by TEXT;
ALTER TABLE records ADD COLUMN scheduled_date REAL;
UPDATE records SET
  access_private = COALESCE(json_extract(body, '$.data.accessControl.access_level') = 'private'
                            AND json_type(body, '$.data.accessControl.access_level') = 'text', 0),
  owner_key = CASE WHEN json_type(body, '$.data.accessControl.owner_public_key') = 'text'
                   THEN json_extract(body, '$.data.accessControl.owner_public_key') END,
  created_by = CASE WHEN json_type(body, '$.data.accessControl.created_by') = 'text'
                    THEN json_extract(body, '$.data.accessControl.created_by') END,
  scheduled_date = CASE
    WHEN record_type = 'workoutSchedule' AND json_type(body, '$.data.workoutSchedule.scheduled_date') IN ('integer', 'real')
      THEN json_extract(body, '$.data.workoutSchedule.scheduled_date')
    WHEN record_type = 'mealPlan' AND json_type(body, '$.data.mealPlan.meal_date') IN ('integer', 'real')
      THEN json_extract(body, '$.data.mealPlan.meal_date')
  END;
CREATE INDEX IF NOT EXISTS records_scheduled ON records (scheduled_date);
CREATE INDEX IF NOT EXISTS records_private ON records (access_private, owner_key);
`;

/**
 * v3 to v8 kept record_counts by these triggers (v9 drops them: record-rows.ts). Exported for the
 * tests that build files of those versions.
 */
export const RECORD_COUNTS_TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS record_counts_insert AFTER INSERT ON records BEGIN
  INSERT INTO record_counts (record_type, storage, access_private, n) VALUES (NEW.record_type, COALESCE(NEW.storage, ''), NEW.access_private, 1)
    ON CONFLICT (record_type, storage, access_private) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS record_counts_delete AFTER DELETE ON records BEGIN
  UPDATE record_counts SET n = n - 1 WHERE record_type = OLD.record_type AND storage = COALESCE(OLD.storage, '') AND access_private = OLD.access_private;
END;
CREATE TRIGGER IF NOT EXISTS record_counts_update AFTER UPDATE OF record_type, storage, access_private ON records
  WHEN OLD.record_type IS NOT NEW.record_type OR OLD.storage IS NOT NEW.storage OR OLD.access_private IS NOT NEW.access_private
BEGIN
  UPDATE record_counts SET n = n - 1 WHERE record_type = OLD.record_type AND storage = COALESCE(OLD.storage, '') AND access_private = OLD.access_private;
  INSERT INTO record_counts (record_type, storage, access_private, n) VALUES (NEW.record_type, COALESCE(NEW.storage, ''), NEW.access_private, 1)
    ON CONFLICT (record_type, storage, access_private) DO UPDATE SET n = n + 1;
END;
`;

// v3: indexes for the default page order (inArweaveBlock desc, missing last, did) with and
// without a record type, so a type page reads LIMIT rows instead of sorting every match; and
// covering indexes for the access rule; and record_counts, kept by triggers, so the envelope's
// totalRecords (count by type/storage/access) reads a few rows instead of counting the table.
const SCHEMA_V3 = `
CREATE TABLE IF NOT EXISTS record_counts (
  record_type TEXT NOT NULL,
  storage TEXT NOT NULL,
  access_private INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (record_type, storage, access_private)
) WITHOUT ROWID;
DELETE FROM record_counts;
INSERT INTO record_counts (record_type, storage, access_private, n)
  SELECT record_type, COALESCE(storage, ''), access_private, COUNT(*) FROM records GROUP BY 1, 2, 3;
${RECORD_COUNTS_TRIGGERS}
CREATE INDEX IF NOT EXISTS records_type_block_order ON records (record_type, in_arweave_block IS NULL, in_arweave_block DESC, did);
CREATE INDEX IF NOT EXISTS records_block_order ON records (in_arweave_block IS NULL, in_arweave_block DESC, did);
CREATE INDEX IF NOT EXISTS records_type_access ON records (record_type, access_private, owner_key, created_by);
CREATE INDEX IF NOT EXISTS records_access ON records (access_private, owner_key, created_by);
`;

// v4: a creator's records in page order, access included, so a creator page (FitnessAlly's "my
// workouts") reads its matches from one covering index instead of the table (1M records, 1,000
// of one creator: 1.2 → 0.5 ms). It has the old creator index's prefix, which it replaces.
const SCHEMA_V4 = `
CREATE INDEX IF NOT EXISTS records_creator_order ON records (creator_did_address, access_private, in_arweave_block IS NULL, in_arweave_block DESC, did);
DROP INDEX IF EXISTS records_creator_did;
`;

// v5 (issue 12, 1M records): three structures that keep the typical FitnessAlly queries' cost
// from growing with the store.
// - records_tag_fts: each record's lower-cased tags as one token each ('t' + hex of the UTF-8
//   bytes), so tags AND / OR is an FTS5 doclist intersection (1M records, two tags of ~15,000
//   records each: 5.8 → 1.0 ms with the page sorted). It replaces record_tags.
// - records_schedule_order: a day's schedules with everything their page and access rule read,
//   so scheduledOn sorts from the index alone (1,368 matches at 1M: 2.2 → 1.0 ms).
// - record_block_chunks: the highest inArweaveBlock among each run of 1,024 record ids, kept by
//   triggers (never lowered, so it stays an upper bound after deletes). It tells a search that
//   walks its matches newest id first when no match not yet seen can enter the page
//   (ordered-walk.ts).
/**
 * record_block_chunks groups record ids by `id >> BLOCK_CHUNK_SHIFT` (1,024 ids). Written into
 * the v5 triggers: a file keeps the value it was migrated with, so it must not change.
 */
export const BLOCK_CHUNK_SHIFT = 10;

const SCHEMA_V5 = `
${TAG_FTS_DDL};
INSERT INTO records_tag_fts (rowid, tags)
  SELECT record_id, group_concat('t' || lower(hex(tag)), ' ') FROM record_tags GROUP BY record_id;
DROP TABLE IF EXISTS record_tags;
CREATE INDEX IF NOT EXISTS records_schedule_order ON records (scheduled_date, record_type, access_private, in_arweave_block, did, owner_key, created_by);
DROP INDEX IF EXISTS records_scheduled;
CREATE TABLE IF NOT EXISTS record_block_chunks (
  chunk INTEGER PRIMARY KEY,
  max_block INTEGER NOT NULL
);
INSERT OR REPLACE INTO record_block_chunks (chunk, max_block)
  SELECT id >> ${BLOCK_CHUNK_SHIFT}, MAX(in_arweave_block) FROM records WHERE in_arweave_block IS NOT NULL GROUP BY id >> ${BLOCK_CHUNK_SHIFT};
CREATE TRIGGER IF NOT EXISTS record_block_chunks_insert AFTER INSERT ON records WHEN NEW.in_arweave_block IS NOT NULL BEGIN
  INSERT INTO record_block_chunks (chunk, max_block) VALUES (NEW.id >> ${BLOCK_CHUNK_SHIFT}, NEW.in_arweave_block)
    ON CONFLICT (chunk) DO UPDATE SET max_block = MAX(max_block, excluded.max_block);
END;
CREATE TRIGGER IF NOT EXISTS record_block_chunks_update AFTER UPDATE OF in_arweave_block ON records WHEN NEW.in_arweave_block IS NOT NULL BEGIN
  INSERT INTO record_block_chunks (chunk, max_block) VALUES (NEW.id >> ${BLOCK_CHUNK_SHIFT}, NEW.in_arweave_block)
    ON CONFLICT (chunk) DO UPDATE SET max_block = MAX(max_block, excluded.max_block);
END;
`;

// v6 (the ordered walk at 1M records):
// - records_fts and records_tag_fts rebuilt from the bodies with the record id negated as their
//   rowid, so the walk reads them in FTS5's native ascending order (search-index.ts).
// - records_private_ids: the private records by id, with what the access rule reads of them, so a
//   capped search walked by FTS rowid alone (walk-matches.ts) leaves out the private matches of
//   the id range it walked without reading a table row per match. Partial: public records cost
//   nothing.
// - record_block_chunks_max: the chunks by their highest block, so the walk's proof ("no chunk
//   below this id holds a block this high") reads the few chunks that high instead of every
//   chunk below (1M records: 32 → 2 µs).
const SCHEMA_V6 = `
DROP TABLE IF EXISTS records_fts;
DROP TABLE IF EXISTS records_tag_fts;
${RECORDS_FTS_DDL};
${TAG_FTS_DDL};
CREATE INDEX IF NOT EXISTS records_private_ids ON records (id, owner_key, created_by) WHERE access_private = 1;
CREATE INDEX IF NOT EXISTS record_block_chunks_max ON record_block_chunks (max_block, chunk);
`;

// v7 (issue 23, every legacy access level): access_private now means restricted (level private,
// shared or organization, or a private conversation session; access.ts), so record_counts and
// records_private_ids hold every restricted record; record_grants holds who may read each one
// (owner keys, shared_with keys, organization DIDs), backfilled from the bodies
// (access-grants.ts).
const SCHEMA_V7 = `${GRANTS_DDL};`;

// v8 (issue 25, fuzzy search at 1M records): records_fts_keys, records_fts's terms by their
// deletion keys, so a fuzzy term's one-edit neighbours are a seek per key away (term-keys.ts);
// filled from records_fts's dictionary.
const SCHEMA_V8 = `${TERM_KEYS_DDL};`;

// v9 (issue 27, the write path): the store's writes keep record_counts and record_block_chunks
// (record-rows.ts), so their triggers go: a statement that fires a trigger journals every page it
// changes. Three indexes no query plan uses go too: indexed_at and name are only sorted on (with
// missing values last, an order an index of the column cannot give) or read through functions,
// and records_access only adds created_by, which no query reads, to records_private.
const SCHEMA_V9 = `
DROP TRIGGER IF EXISTS record_counts_insert;
DROP TRIGGER IF EXISTS record_counts_delete;
DROP TRIGGER IF EXISTS record_counts_update;
DROP TRIGGER IF EXISTS record_block_chunks_insert;
DROP TRIGGER IF EXISTS record_block_chunks_update;
DROP INDEX IF EXISTS records_indexed_at;
DROP INDEX IF EXISTS records_name;
DROP INDEX IF EXISTS records_access;
`;

/** How long a process opening an old file waits for another process's upgrade of it. */
export const UPGRADE_LOCK_WAIT_MS = 30 * 60_000;

/**
 * Applies pragmas and migrations. Pragmas are per connection; the schema is per file. An upgrade
 * logs at info through `upgrade.logger`: its start and end, and the progress of the steps that
 * rewrite every record (v6, v7) with rows done / total and the time left.
 */
export function openSchema(
  db: Database.Database,
  busyTimeoutMs: number,
  cacheSizeKiB: number,
  upgrade: MigrationProgressOptions = {},
): void {
  // busy_timeout first: the WAL switch and the migration may wait on another process.
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = ${-Math.max(1024, Math.floor(cacheSizeKiB))}`);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`record store file has schema version ${version}, newer than this code (${SCHEMA_VERSION})`);
  }
  if (version < SCHEMA_VERSION) {
    // Read the version again under the write lock: another process may have migrated the file
    // between our read and our lock, and ALTER TABLE is not idempotent.
    const startedAt = performance.now();
    let from = version;
    // The api and the sync-worker open the file at the same start: the one that does not take the
    // lock first waits for the other's whole upgrade (minutes on a large store), not busy_timeout.
    db.pragma(`busy_timeout = ${UPGRADE_LOCK_WAIT_MS}`);
    db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      from = current;
      if (current < SCHEMA_VERSION && current > 0)
        upgrade.logger?.info(
          { fromVersion: current, toVersion: SCHEMA_VERSION },
          `record store: upgrading the schema from v${current} to v${SCHEMA_VERSION}; the store opens when it is done`,
        );
      if (current < 1) db.exec(SCHEMA_V1);
      if (current < 2) db.exec(SCHEMA_V2);
      if (current < 3) db.exec(SCHEMA_V3);
      if (current < 4) db.exec(SCHEMA_V4);
      if (current < 5) db.exec(SCHEMA_V5);
      if (current < 6) {
        db.exec(SCHEMA_V6);
        rebuildSearchIndexes(db, rowProgress('search indexes rebuilt', SCHEMA_VERSION, upgrade));
      }
      if (current < 7) {
        db.exec(SCHEMA_V7);
        backfillGrants(db, rowProgress('access grants filled', SCHEMA_VERSION, upgrade));
      }
      if (current < 8) {
        db.exec(SCHEMA_V8);
        fillTermKeys(db, rowProgress('fuzzy search keys filled', SCHEMA_VERSION, upgrade));
      }
      if (current < 9) db.exec(SCHEMA_V9);
      if (current < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    if (from > 0 && from < SCHEMA_VERSION)
      upgrade.logger?.info(
        { fromVersion: from, toVersion: SCHEMA_VERSION, durationMs: Math.round(performance.now() - startedAt) },
        `record store: schema upgraded from v${from} to v${SCHEMA_VERSION} in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
      );
  }
}
