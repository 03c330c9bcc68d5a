// The embedded default store: one SQLite file (WAL) holding records as JSON bodies plus extracted
// filter columns, an FTS5 index for search, and the field-type guard's persisted types.
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ensurePrivateDir } from '@oip/service-kit';
import { StoreClosedError, StoreInvalidError, isStoreError, type StoreMappingError } from '../errors.js';
import { FieldTypesTable } from './field-types-table.js';
import type { FieldType } from '../field-type-names.js';
import { FieldTypeGuard } from '../field-type-guard.js';
import { doubleFieldPresets, legacyFieldTypes } from '../legacy-mapping.js';
import { normalizeQuery, tagPaging } from '../query.js';
import { isVisible, normalizeAccess } from '../access.js';
import { DEFAULT_MAX_RECORD_BYTES, serializeRecord, validateRecord } from '../record-fields.js';
import { publishBulk } from '../diagnostics.js';
import type {
  BulkItemResult,
  CountQuery,
  FieldTypeEntry,
  WidenResult,
  OipRecord,
  ReadOptions,
  RecordStore,
  SearchQuery,
  SearchResult,
  TagSummary,
  TagSummaryOptions,
} from '../types.js';
import { SearchIndexWriter, type SearchEntry } from './search-index.js';
import { RecordRows } from './record-rows.js';
import { SqliteReads } from './sqlite-reads.js';
import { IndexUpkeep } from './index-upkeep.js';
import { mapSqliteError } from './sqlite-errors.js';
import type { MigrationLogger } from './migration-progress.js';
import { openDatabase } from './open-database.js';

export interface SqliteRecordStoreOptions {
  /** Directory holding `records.db` (created if missing). Give this or `filename`. */
  dataDir?: string;
  /** Database file path; wins over `dataDir`. */
  filename?: string;
  /** How long a write waits for another process's lock before STORE_ERR_UNAVAILABLE. @defaultValue 5000 */
  busyTimeoutMs?: number;
  /** Model ES date detection in the field-type guard. @defaultValue true */
  dateDetection?: boolean;
  /** Guard's total-field limit (ES `index.mapping.total_fields.limit`). @defaultValue 1000 */
  maxFields?: number;
  /** Guard's object depth limit (ES `index.mapping.depth.limit`). @defaultValue 20 */
  maxDepth?: number;
  /** Largest accepted bulkUpsert batch. @defaultValue 5000 */
  maxBulkSize?: number;
  /** Most DIDs accepted by one getMany. @defaultValue 10000 */
  maxGetMany?: number;
  /** SQLite page cache per connection, KiB. @defaultValue 16384 */
  cacheSizeKiB?: number;
  /** Largest serialised record accepted, bytes. @defaultValue 5242880 (5 MiB) */
  maxRecordBytes?: number;
  /** Where a schema upgrade logs its progress (info); none: it logs nothing. @defaultValue undefined */
  logger?: MigrationLogger;
  /** Least time between two progress lines of an upgrade step. @defaultValue 2000 */
  upgradeProgressIntervalMs?: number;
}

interface PreparedRecord {
  index: number;
  record: OipRecord;
  body: string;
}

export class SqliteRecordStore implements RecordStore {
  readonly filename: string;
  readonly #db: Database.Database;
  readonly #guard: FieldTypeGuard;
  readonly #maxBulkSize: number;
  readonly #maxGetMany: number;
  readonly #maxRecordBytes: number;
  readonly #fieldTypes: FieldTypesTable;
  #closed = false;
  readonly #reads: SqliteReads;
  readonly #upkeep: IndexUpkeep;
  readonly #searchIndex: SearchIndexWriter;
  readonly #rows: RecordRows;
  readonly #stmt: ReturnType<SqliteRecordStore['prepareStatements']>;

  constructor(options: SqliteRecordStoreOptions) {
    let filename = options.filename;
    if (filename === undefined) {
      if (options.dataDir === undefined) throw new StoreInvalidError('SqliteRecordStore needs dataDir or filename');
      ensurePrivateDir(options.dataDir);
      filename = join(options.dataDir, 'records.db');
    }
    this.filename = filename;
    this.#maxBulkSize = options.maxBulkSize ?? 5000;
    this.#maxGetMany = options.maxGetMany ?? 10_000;
    this.#maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    const db = openDatabase(filename, options.busyTimeoutMs ?? 5000, options.cacheSizeKiB ?? 16_384, {
      logger: options.logger,
      intervalMs: options.upgradeProgressIntervalMs,
    });
    this.#db = db;
    this.#stmt = this.prepareStatements();
    this.#searchIndex = new SearchIndexWriter(db);
    this.#rows = new RecordRows(db);
    this.#reads = new SqliteReads(db);
    this.#upkeep = new IndexUpkeep(db, () => this.#reads.clearStatements());
    this.#guard = new FieldTypeGuard({
      ...(options.dateDetection === undefined ? {} : { dateDetection: options.dateDetection }),
      ...(options.maxFields === undefined ? {} : { maxFields: options.maxFields }),
      ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
      // The per-type table's quantities are double at first sight, as the ES index's templates
      // make them; a path a file already fixed (field_types) keeps its row.
      presets: doubleFieldPresets(),
    });
    this.#fieldTypes = new FieldTypesTable(db, this.#guard);
    // Persisted types first (they describe data already stored), then the legacy base mapping.
    this.#syncFieldTypes();
    for (const [path, type] of legacyFieldTypes()) this.#guard.learn(path, type);
  }

  private prepareStatements() {
    const db = this.#db;
    return {
      get: db.prepare<[string], { body: string }>('SELECT body FROM records WHERE did = ?'),
      getMany: db.prepare<[string], { did: string; body: string }>(
        'SELECT did, body FROM records WHERE did IN (SELECT value FROM json_each(?))',
      ),
    };
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  /** Folds field types written by other connections (other processes) into the guard. */
  #syncFieldTypes(): void {
    this.#fieldTypes.sync();
  }

  async fieldTypes(): Promise<FieldTypeEntry[]> {
    this.#assertOpen();
    try {
      this.#syncFieldTypes();
    } catch (err) {
      throw mapSqliteError(err, 'fieldTypes');
    }
    return this.#fieldTypes.entries();
  }

  /**
   * Widens the guard's type of a path under the write lock (field-types-table.ts): every process
   * on the file adopts it at its next write. SQLite keeps JSON bodies: no record changes.
   */
  async widenField(path: string, to: string): Promise<WidenResult> {
    this.#assertOpen();
    let result: WidenResult;
    try {
      result = this.#db.transaction(() => this.#fieldTypes.widen(path, to)).immediate();
    } catch (err) {
      if (isStoreError(err)) throw err;
      throw mapSqliteError(err, 'widenField');
    }
    this.#syncFieldTypes();
    return result;
  }

  /** The type the guard has fixed for a path (diagnostics and tests). */
  fieldType(path: string): FieldType | undefined {
    return this.#guard.typeOf(path);
  }

  async bulkUpsert(records: OipRecord[]): Promise<BulkItemResult[]> {
    this.#assertOpen();
    if (records.length > this.#maxBulkSize) {
      throw new StoreInvalidError(`bulkUpsert takes at most ${this.#maxBulkSize} records (got ${records.length})`);
    }
    const startedAt = performance.now();
    const results: BulkItemResult[] = new Array(records.length);
    const prepared: PreparedRecord[] = [];
    records.forEach((record, index) => {
      const did = typeof record?.oip?.did === 'string' ? record.oip.did : '';
      const invalid = validateRecord(record);
      if (invalid !== null) {
        results[index] = { did, ok: false, error: invalid.toItemError() };
        return;
      }
      const body = serializeRecord(record, this.#maxRecordBytes);
      if (typeof body !== 'string') {
        results[index] = { did, ok: false, error: body.toItemError() };
        return;
      }
      prepared.push({ index, record, body });
    });
    if (prepared.length === 0) {
      publishBulk('sqlite', results, startedAt);
      return results;
    }

    const batch = this.#guard.batch();
    const write = this.#db.transaction((): number => {
      this.#syncFieldTypes();
      const indexed: SearchEntry[] = [];
      const rows = this.#rows.batch(prepared.map((item) => item.record.oip.did));
      for (const item of prepared) {
        const conflict: StoreMappingError | null = batch.add(item.record);
        const did = item.record.oip.did;
        if (conflict !== null) {
          results[item.index] = { did, ok: false, error: conflict.toItemError() };
          continue;
        }
        indexed.push(rows.write(item.record, item.body));
        results[item.index] = { did, ok: true };
      }
      rows.finish();
      const { replaced } = this.#searchIndex.writeAll(indexed);
      this.#fieldTypes.persist(batch.additions());
      return replaced;
    });
    let replaced: number;
    try {
      // IMMEDIATE: take the write lock before reading field_types, so no other process can
      // fix a type between our check and our write.
      replaced = write.immediate();
    } catch (err) {
      throw mapSqliteError(err, 'bulkUpsert');
    }
    batch.commit();
    // Our own inserts are already in the guard; skip re-reading them next time.
    this.#syncFieldTypes();
    this.#upkeep.afterWrite(prepared.length, replaced);
    publishBulk('sqlite', results, startedAt);
    return results;
  }

  async get(did: string, opts: ReadOptions = {}): Promise<OipRecord | null> {
    this.#assertOpen();
    const access = opts.access === undefined ? undefined : normalizeAccess(opts.access);
    try {
      const row = this.#stmt.get.get(did);
      if (row === undefined) return null;
      const rec = JSON.parse(row.body) as OipRecord;
      return isVisible(rec, access) ? rec : null;
    } catch (err) {
      throw mapSqliteError(err, 'get');
    }
  }

  async getMany(dids: readonly string[], opts: ReadOptions = {}): Promise<Map<string, OipRecord>> {
    this.#assertOpen();
    const unique = [...new Set(dids)];
    if (unique.length > this.#maxGetMany) {
      throw new StoreInvalidError(`getMany takes at most ${this.#maxGetMany} DIDs (got ${unique.length})`);
    }
    const access = opts.access === undefined ? undefined : normalizeAccess(opts.access);
    const out = new Map<string, OipRecord>();
    if (unique.length === 0) return out;
    try {
      // One statement with one JSON parameter: no chunking at the bound-parameter limit.
      for (const row of this.#stmt.getMany.iterate(JSON.stringify(unique))) {
        const rec = JSON.parse(row.body) as OipRecord;
        if (isVisible(rec, access)) out.set(row.did, rec);
      }
    } catch (err) {
      throw mapSqliteError(err, 'getMany');
    }
    return out;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    this.#assertOpen();
    const q = normalizeQuery(query);
    try {
      return this.#reads.search(q);
    } catch (err) {
      throw mapSqliteError(err, 'search');
    }
  }

  async summarizeTags(query: SearchQuery, opts: TagSummaryOptions = {}): Promise<TagSummary> {
    this.#assertOpen();
    const { tagCount, offset } = tagPaging(opts);
    const q = normalizeQuery({ ...query, page: 1, limit: 1, noDuplicates: false });
    try {
      return this.#reads.summarizeTags(q, tagCount, offset);
    } catch (err) {
      throw mapSqliteError(err, 'summarizeTags');
    }
  }

  async delete(did: string): Promise<boolean> {
    this.#assertOpen();
    let removed: boolean;
    try {
      const remove = this.#db.transaction((d: string) => {
        const id = this.#rows.remove(d);
        if (id === null) return false;
        this.#searchIndex.remove(id);
        return true;
      });
      removed = remove.immediate(did);
    } catch (err) {
      throw mapSqliteError(err, 'delete');
    }
    if (removed) this.#upkeep.afterWrite(0, 1);
    return removed;
  }

  async count(query: CountQuery = {}): Promise<number> {
    this.#assertOpen();
    const q = query.access === undefined ? query : { ...query, access: normalizeAccess(query.access) };
    try {
      return this.#reads.count(q);
    } catch (err) {
      throw mapSqliteError(err, 'count');
    }
  }

  async countByType(opts: ReadOptions = {}): Promise<Record<string, number>> {
    this.#assertOpen();
    const access = opts.access === undefined ? undefined : normalizeAccess(opts.access);
    try {
      return this.#reads.countByType(access);
    } catch (err) {
      throw mapSqliteError(err, 'countByType');
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#reads.clearStatements();
    try {
      this.#db.close();
    } catch (err) {
      throw mapSqliteError(err, 'close');
    }
  }
}

/** Opens (creating if needed) the embedded SQLite record store. */
export function createSqliteRecordStore(options: SqliteRecordStoreOptions): SqliteRecordStore {
  return new SqliteRecordStore(options);
}
