// The records table's rows as the store writes and deletes them, with what hangs off a row: its
// grants (access-grants.ts) and the two tables derived from the rows, record_counts (records per
// type, storage and restriction) and record_block_chunks (the highest block of each run of 1,024
// ids, never lowered).
//
// Since schema v9 those two tables are kept here, a bulk's changes summed and written once at its
// end, instead of by triggers: a statement that fires a trigger, or has a RETURNING clause, makes
// SQLite copy every page it changes to a statement journal first (~24 pages a record with the
// records table's indexes, written to a temporary file: 20,000 records, 85 → 62 µs CPU a record).
// An update sets only the columns that change (and the body): SQLite rewrites the entries of
// every index holding a column the UPDATE sets, changed or not (20,000 records renamed: 140 → 125
// µs CPU a record). Every write of the table goes through this file, inside the caller's write
// transaction.
import type Database from 'better-sqlite3';
import { accessColumns } from '../record-columns.js';
import { extractFields } from '../record-fields.js';
import type { OipRecord } from '../types.js';
import { GrantsWriter } from './access-grants.js';
import { BLOCK_CHUNK_SHIFT } from './schema.js';
import type { SearchEntry } from './search-index.js';

/** What record_counts counts a row under. */
interface CountedAs {
  recordType: string;
  storage: string;
  accessPrivate: number;
}

interface StoredRow extends CountedAs {
  id: number;
}

/** The columns a write sets besides did, in the order of RowBatch.write's values. */
const COLUMN_NAMES = [
  'did_tx',
  'record_type',
  'storage',
  'creator_handle',
  'creator_did_address',
  'basic_date',
  'indexed_at',
  'in_arweave_block',
  'name',
  'body',
  'access_private',
  'owner_key',
  'created_by',
  'scheduled_date',
] as const;
const COLUMNS = COLUMN_NAMES.join(', ');
const BODY = COLUMN_NAMES.indexOf('body');
/** Different UPDATE statements (sets of changed columns) kept prepared; a bulk of one kind of change uses one. */
const UPDATE_CACHE_SIZE = 32;

/** A stored row as a bulk found or left it: its id and its columns (COLUMN_NAMES order, body not read). */
interface StoredColumns {
  id: number;
  values: unknown[];
}

/** The statements a bulk writes with, prepared once. */
interface RowStatements {
  insert: Database.Statement<unknown[]>;
  /** The UPDATE by id of the columns whose indexes are in `changed` (COLUMN_NAMES positions), body always. */
  update: (changed: readonly number[]) => Database.Statement<unknown[]>;
  count: Database.Statement<[string, string, number, number]>;
  chunk: Database.Statement<[number, number]>;
  grants: GrantsWriter;
}

export class RecordRows {
  readonly #stored: Database.Statement<[string], unknown[]>;
  readonly #byDid: Database.Statement<[string], StoredRow>;
  readonly #delete: Database.Statement<[number]>;
  readonly #write: RowStatements;

  constructor(db: Database.Database) {
    const counted = "record_type AS recordType, COALESCE(storage, '') AS storage, access_private AS accessPrivate";
    const read = COLUMN_NAMES.map((c) => (c === 'body' ? 'NULL' : c)).join(', ');
    this.#stored = db
      .prepare<[string], unknown[]>(
        `SELECT id, did, ${read} FROM records WHERE did IN (SELECT value FROM json_each(?))`,
      )
      .raw(true);
    const updates = new Map<string, Database.Statement<unknown[]>>();
    this.#byDid = db.prepare(`SELECT id, ${counted} FROM records WHERE did = ?`);
    this.#delete = db.prepare('DELETE FROM records WHERE id = ?');
    this.#write = {
      insert: db.prepare(`INSERT INTO records (did, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      // SQLite rewrites the entries of every index holding a column the UPDATE sets, changed or not.
      update: (changed) => {
        const key = changed.join(',');
        let stmt = updates.get(key);
        if (stmt === undefined) {
          const set = [...changed, BODY].map((i) => `${COLUMN_NAMES[i]} = ?`).join(', ');
          stmt = db.prepare(`UPDATE records SET ${set} WHERE id = ?`);
          if (updates.size >= UPDATE_CACHE_SIZE) updates.delete(updates.keys().next().value!);
          updates.set(key, stmt);
        }
        return stmt;
      },
      count: db.prepare(`INSERT INTO record_counts (record_type, storage, access_private, n) VALUES (?, ?, ?, ?)
        ON CONFLICT (record_type, storage, access_private) DO UPDATE SET n = n + excluded.n`),
      chunk: db.prepare(`INSERT INTO record_block_chunks (chunk, max_block) VALUES (?, ?)
        ON CONFLICT (chunk) DO UPDATE SET max_block = MAX(max_block, excluded.max_block)`),
      grants: new GrantsWriter(db),
    };
  }

  /**
   * Starts a bulk of the records with these DIDs (in the caller's write transaction): reads which
   * are stored, once. Call `write` for each record the bulk keeps, then `finish`.
   */
  batch(dids: readonly string[]): RowBatch {
    const stored = new Map<string, StoredColumns>();
    for (const [id, did, ...values] of this.#stored.iterate(JSON.stringify(dids)))
      stored.set(did as string, { id: id as number, values });
    return new RowBatch(this.#write, stored);
  }

  /** Deletes record `did`'s row, grants and count (its block chunk keeps its bound); its id, or null when it is not stored. */
  remove(did: string): number | null {
    const row = this.#byDid.get(did);
    if (row === undefined) return null;
    this.#write.grants.write(row.id, []);
    this.#delete.run(row.id);
    this.#write.count.run(row.recordType, row.storage, row.accessPrivate, -1);
    return row.id;
  }
}

/** What record_counts counts a row of these columns (COLUMN_NAMES order) under. */
function countedAs(values: readonly unknown[]): CountedAs {
  return {
    recordType: values[1] as string,
    storage: (values[2] as string | null) ?? '',
    accessPrivate: values[10] as number,
  };
}

/** One bulk's writes: rows and grants, and the count and chunk changes summed until `finish`. */
export class RowBatch {
  readonly #write: RowStatements;
  readonly #stored: Map<string, StoredColumns>;
  readonly #counts = new Map<string, CountedAs & { n: number }>();
  readonly #chunks = new Map<number, number>();

  constructor(write: RowStatements, stored: Map<string, StoredColumns>) {
    this.#write = write;
    this.#stored = stored;
  }

  /**
   * Writes the record's row (an update when its DID is stored, or was written earlier in the
   * bulk) and grants; its search entries are the caller's (SearchIndexWriter.writeAll).
   */
  write(record: OipRecord, body: string): SearchEntry {
    const f = extractFields(record);
    const a = accessColumns(record);
    const block = f.inArweaveBlock === null ? null : Math.trunc(f.inArweaveBlock);
    const counted: CountedAs = {
      recordType: f.recordType,
      storage: f.storage ?? '',
      accessPrivate: a.accessPrivate ? 1 : 0,
    };
    const columns = [
      f.didTx,
      f.recordType,
      f.storage,
      f.creatorHandle,
      f.creatorDidAddress,
      f.date,
      f.indexedAt,
      block,
      f.name,
      body,
      counted.accessPrivate,
      a.ownerKey,
      a.createdBy,
      a.scheduledDate,
    ];
    const before = this.#stored.get(f.did);
    let id: number;
    if (before === undefined) {
      id = Number(this.#write.insert.run(f.did, ...columns).lastInsertRowid);
    } else {
      id = before.id;
      // Only the columns that change (and the body): the others' index entries stay as they are.
      const changed: number[] = [];
      for (let i = 0; i < columns.length; i++) if (i !== BODY && columns[i] !== before.values[i]) changed.push(i);
      this.#write.update(changed).run(...changed.map((i) => columns[i]), body, id);
      this.#tally(countedAs(before.values), -1);
    }
    this.#tally(counted, 1);
    this.#stored.set(f.did, { id, values: columns });
    // A row this bulk inserts has no grants or search entries to replace yet.
    const fresh = before === undefined;
    this.#write.grants.write(id, a.grantees, fresh);
    if (block !== null) {
      const chunk = Math.floor(id / 2 ** BLOCK_CHUNK_SHIFT);
      this.#chunks.set(chunk, Math.max(block, this.#chunks.get(chunk) ?? block));
    }
    return { id, fields: f, fresh };
  }

  /** Writes the bulk's count and chunk changes. */
  finish(): void {
    for (const c of this.#counts.values())
      if (c.n !== 0) this.#write.count.run(c.recordType, c.storage, c.accessPrivate, c.n);
    for (const [chunk, block] of this.#chunks) this.#write.chunk.run(chunk, block);
  }

  #tally(c: CountedAs, n: number): void {
    const key = JSON.stringify([c.recordType, c.storage, c.accessPrivate]);
    const t = this.#counts.get(key);
    if (t === undefined)
      this.#counts.set(key, { recordType: c.recordType, storage: c.storage, accessPrivate: c.accessPrivate, n });
    else t.n += n;
  }
}
