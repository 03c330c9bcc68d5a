// The embedded default store: one SQLite file (WAL) holding records as JSON bodies plus extracted
// filter columns, an FTS5 index for search, and the field-type guard's persisted types.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreClosedError, StoreInvalidError, StoreIoError, isStoreError, type StoreMappingError } from '../errors.js';
import { FieldTypesTable } from './field-types-table.js';
import type { FieldType } from '../field-type-names.js';
import { FieldTypeGuard } from '../field-type-guard.js';
import { legacyFieldTypes } from '../legacy-mapping.js';
import { normalizeQuery, tagPaging, type NormalizedQuery } from '../query.js';
import { isVisible } from '../access.js';
import { accessColumns } from '../record-columns.js';
import { DEFAULT_MAX_RECORD_BYTES, extractFields, serializeRecord, validateRecord } from '../record-fields.js';
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
import { openSchema } from './schema.js';
import { buildSearchSql, tagExpression } from './search-sql.js';
import { type WalkAnswer, walkSearch } from './ordered-walk.js';
import { mapSqliteError } from './sqlite-errors.js';

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
}

const STATEMENT_CACHE_SIZE = 64;

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
  readonly #searchStatements = new Map<string, Database.Statement>();
  readonly #stmt: ReturnType<SqliteRecordStore['prepareStatements']>;

  constructor(options: SqliteRecordStoreOptions) {
    let filename = options.filename;
    if (filename === undefined) {
      if (options.dataDir === undefined) throw new StoreInvalidError('SqliteRecordStore needs dataDir or filename');
      mkdirSync(options.dataDir, { recursive: true });
      filename = join(options.dataDir, 'records.db');
    }
    this.filename = filename;
    this.#maxBulkSize = options.maxBulkSize ?? 5000;
    this.#maxGetMany = options.maxGetMany ?? 10_000;
    this.#maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    let db: Database.Database;
    try {
      db = new Database(filename);
    } catch (err) {
      // better-sqlite3 throws a plain TypeError for a missing directory: still an I/O failure.
      const hasCode = typeof (err as { code?: unknown } | null)?.code === 'string';
      throw hasCode
        ? mapSqliteError(err, `opening ${filename}`)
        : new StoreIoError(`opening ${filename}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    try {
      openSchema(db, options.busyTimeoutMs ?? 5000, options.cacheSizeKiB ?? 16_384);
    } catch (err) {
      db.close();
      throw mapSqliteError(err, 'opening record store');
    }
    // Unicode-aware helpers for the legacy filters (SQLite's lower() folds ASCII only).
    db.function('oip_lower', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : null));
    db.function('oip_contains', { deterministic: true }, (h: unknown, n: unknown) =>
      typeof h === 'string' && typeof n === 'string' && h.toLowerCase().includes(n) ? 1 : 0,
    );
    this.#db = db;
    this.#stmt = this.prepareStatements();
    this.#guard = new FieldTypeGuard({
      ...(options.dateDetection === undefined ? {} : { dateDetection: options.dateDetection }),
      ...(options.maxFields === undefined ? {} : { maxFields: options.maxFields }),
      ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
    });
    this.#fieldTypes = new FieldTypesTable(db, this.#guard);
    // Persisted types first (they describe data already stored), then the legacy base mapping.
    this.#syncFieldTypes();
    for (const [path, type] of legacyFieldTypes()) this.#guard.learn(path, type);
  }

  #writesSinceAnalyze = 0;
  #analyzed = false;

  private prepareStatements() {
    const db = this.#db;
    return {
      upsert: db.prepare<unknown[], { id: number }>(`
        INSERT INTO records (did, did_tx, record_type, storage, creator_handle, creator_did_address,
                             basic_date, indexed_at, in_arweave_block, name, body,
                             access_private, owner_key, created_by, scheduled_date)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (did) DO UPDATE SET
          did_tx = excluded.did_tx, record_type = excluded.record_type, storage = excluded.storage,
          creator_handle = excluded.creator_handle, creator_did_address = excluded.creator_did_address,
          basic_date = excluded.basic_date, indexed_at = excluded.indexed_at,
          in_arweave_block = excluded.in_arweave_block, name = excluded.name, body = excluded.body,
          access_private = excluded.access_private, owner_key = excluded.owner_key,
          created_by = excluded.created_by, scheduled_date = excluded.scheduled_date
        RETURNING id`),
      deleteTags: db.prepare('DELETE FROM records_tag_fts WHERE rowid = ?'),
      insertTags: db.prepare('INSERT INTO records_tag_fts (rowid, tags) VALUES (?, ?)'),
      deleteFts: db.prepare('DELETE FROM records_fts WHERE rowid = ?'),
      insertFts: db.prepare('INSERT INTO records_fts (rowid, name, description, tags) VALUES (?, ?, ?, ?)'),
      get: db.prepare<[string], { body: string }>('SELECT body FROM records WHERE did = ?'),
      getMany: db.prepare<[string], { did: string; body: string }>(
        'SELECT did, body FROM records WHERE did IN (SELECT value FROM json_each(?))',
      ),
      idByDid: db.prepare<[string], { id: number }>('SELECT id FROM records WHERE did = ?'),
      deleteById: db.prepare('DELETE FROM records WHERE id = ?'),
      countByType: db.prepare<[], { record_type: string; n: number }>(
        'SELECT record_type, SUM(n) AS n FROM record_counts GROUP BY record_type HAVING SUM(n) > 0',
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
    const write = this.#db.transaction(() => {
      this.#syncFieldTypes();
      for (const item of prepared) {
        const conflict: StoreMappingError | null = batch.add(item.record);
        const did = item.record.oip.did;
        if (conflict !== null) {
          results[item.index] = { did, ok: false, error: conflict.toItemError() };
          continue;
        }
        this.#writeRecord(item);
        results[item.index] = { did, ok: true };
      }
      this.#fieldTypes.persist(batch.additions());
    });
    try {
      // IMMEDIATE: take the write lock before reading field_types, so no other process can
      // fix a type between our check and our write.
      write.immediate();
    } catch (err) {
      throw mapSqliteError(err, 'bulkUpsert');
    }
    batch.commit();
    // Our own inserts are already in the guard; skip re-reading them next time.
    this.#syncFieldTypes();
    this.#keepStatistics(prepared.length);
    publishBulk('sqlite', results, startedAt);
    return results;
  }

  #writeRecord(item: PreparedRecord): void {
    const f = extractFields(item.record);
    const a = accessColumns(item.record);
    const row = this.#stmt.upsert.get(
      f.did,
      f.didTx,
      f.recordType,
      f.storage,
      f.creatorHandle,
      f.creatorDidAddress,
      f.date,
      f.indexedAt,
      f.inArweaveBlock === null ? null : Math.trunc(f.inArweaveBlock),
      f.name,
      item.body,
      a.accessPrivate ? 1 : 0,
      a.ownerKey,
      a.createdBy,
      a.scheduledDate,
    );
    if (row === undefined) throw new Error(`upsert of ${f.did} returned no id`);
    this.#stmt.deleteTags.run(row.id);
    const tags = [...new Set(f.tags.map((t) => t.trim().toLowerCase()))].filter((t) => t !== '');
    if (tags.length > 0) this.#stmt.insertTags.run(row.id, tagExpression(tags, 'AND'));
    this.#stmt.deleteFts.run(row.id);
    this.#stmt.insertFts.run(row.id, f.name ?? '', f.description ?? '', f.tags.join(' '));
  }

  async get(did: string, opts: ReadOptions = {}): Promise<OipRecord | null> {
    this.#assertOpen();
    try {
      const row = this.#stmt.get.get(did);
      if (row === undefined) return null;
      const rec = JSON.parse(row.body) as OipRecord;
      return isVisible(rec, opts.access) ? rec : null;
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
    const out = new Map<string, OipRecord>();
    if (unique.length === 0) return out;
    try {
      // One statement with one JSON parameter: no chunking at the bound-parameter limit.
      for (const row of this.#stmt.getMany.iterate(JSON.stringify(unique))) {
        const rec = JSON.parse(row.body) as OipRecord;
        if (isVisible(rec, opts.access)) out.set(row.did, rec);
      }
    } catch (err) {
      throw mapSqliteError(err, 'getMany');
    }
    return out;
  }

  #searchStatement(sql: string): Database.Statement {
    let stmt = this.#searchStatements.get(sql);
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql);
      if (this.#searchStatements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#searchStatements.keys().next();
        if (oldest.done !== true) this.#searchStatements.delete(oldest.value);
      }
      this.#searchStatements.set(sql, stmt);
    }
    return stmt;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    this.#assertOpen();
    const q = normalizeQuery(query);
    const bodiesStmt = this.#searchStatement('SELECT id, body FROM records WHERE id IN (SELECT value FROM json_each(?))');
    try {
      // One read transaction: total and page see the same snapshot.
      const read = this.#db.transaction(() => {
        const page = walkSearch(q, (sql) => this.#searchStatement(sql)) ?? this.#fullPage(q);
        if (page.ids.length === 0) return { ...page, bodies: [] as string[] };
        const byId = new Map((bodiesStmt.all(JSON.stringify(page.ids)) as Array<{ id: number; body: string }>).map((r) => [r.id, r.body]));
        return { ...page, bodies: page.ids.map((id) => byId.get(id)!) };
      });
      const { total, totalRelation, bodies } = read.deferred();
      return { total, totalRelation, records: bodies.map((b) => JSON.parse(b) as OipRecord) };
    } catch (err) {
      throw mapSqliteError(err, 'search');
    }
  }

  /** The page's ids with the exact total: every match visited. */
  #fullPage(q: NormalizedQuery): WalkAnswer {
    const { from: source, where, params, orderBy } = buildSearchSql(q);
    // The page's ids with the total beside them in one pass over the matches (the sort carries
    // no bodies). A query that filters on type, storage and access only takes its total from
    // record_counts, so its page is read from the index alone.
    if (countsAnswer(q)) {
      const rows = this.#searchStatement(`SELECT r.id FROM ${source} ${where} ORDER BY ${orderBy} LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as Array<{ id: number }>;
      return { ids: rows.map((r) => r.id), total: this.#countSync({ recordType: q.recordType, storage: q.storage, access: q.access }), totalRelation: 'eq' };
    }
    const matches = q.noDuplicates ? `${dedupCte(source, where, orderBy)} SELECT r.id, COUNT(*) OVER () AS n FROM m r` : `SELECT r.id, COUNT(*) OVER () AS n FROM ${source} ${where}`;
    const rows = this.#searchStatement(`${matches} ORDER BY ${orderBy} LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as Array<{ id: number; n: number }>;
    let total: number;
    if (rows.length > 0) total = rows[0]!.n;
    else if (q.offset === 0) total = 0;
    // A page past the end carries no total: count the matches alone.
    else total = (this.#searchStatement(q.noDuplicates ? `${dedupCte(source, where, orderBy)} SELECT COUNT(*) AS n FROM m` : `SELECT COUNT(*) AS n FROM ${source} ${where}`).get(...params) as { n: number }).n;
    return { ids: rows.map((r) => r.id), total, totalRelation: 'eq' };
  }

  async summarizeTags(query: SearchQuery, opts: TagSummaryOptions = {}): Promise<TagSummary> {
    this.#assertOpen();
    const { tagCount, offset } = tagPaging(opts);
    const q = normalizeQuery({ ...query, page: 1, limit: 1, noDuplicates: false });
    const { clauses, params } = buildSearchSql(q);
    // Tags as written (records_tag_fts holds them lower-cased, as tokens, for filtering), counted once per record,
    // as an ES terms aggregation on tagItems.keyword does.
    const from = `FROM records r, json_each(r.body, '$.data.basic.tagItems') j WHERE ${[...clauses, "j.type = 'text'", "(j.key IS NULL OR typeof(j.key) = 'integer')"].join(' AND ')}`;
    try {
      const read = this.#db.transaction(() => {
        const total = (this.#searchStatement(`SELECT COUNT(DISTINCT j.value) AS n ${from}`).get(...params) as { n: number }).n;
        const tags =
          total === 0
            ? []
            : (this.#searchStatement(
                `SELECT j.value AS tag, COUNT(DISTINCT r.id) AS count ${from} GROUP BY j.value ORDER BY count DESC, tag ASC LIMIT ? OFFSET ?`,
              ).all(...params, tagCount, offset) as Array<{ tag: string; count: number }>);
        return { totalTags: total, tags };
      });
      return read.deferred();
    } catch (err) {
      throw mapSqliteError(err, 'summarizeTags');
    }
  }

  async delete(did: string): Promise<boolean> {
    this.#assertOpen();
    try {
      const remove = this.#db.transaction((d: string) => {
        const row = this.#stmt.idByDid.get(d);
        if (row === undefined) return false;
        this.#stmt.deleteFts.run(row.id);
        this.#stmt.deleteTags.run(row.id);
        this.#stmt.deleteById.run(row.id);
        return true;
      });
      return remove.immediate(did);
    } catch (err) {
      throw mapSqliteError(err, 'delete');
    }
  }

  async count(query: CountQuery = {}): Promise<number> {
    this.#assertOpen();
    return this.#countSync(query);
  }

  #countSync(query: CountQuery): number {
    // record_counts (kept by triggers) holds the totals per type, storage and access; only the
    // viewer's own private records are counted in the table itself, through the access index.
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (query.recordType !== undefined && query.recordType !== '') {
      clauses.push('record_type = ?');
      params.push(query.recordType);
    }
    if (query.storage !== undefined) {
      clauses.push('storage = ?');
      params.push(query.storage);
    }
    const and = (extra: string[]) => {
      const all = [...clauses, ...extra];
      return all.length === 0 ? '' : `WHERE ${all.join(' AND ')}`;
    };
    try {
      if (query.access === undefined) {
        return (this.#searchStatement(`SELECT COALESCE(SUM(n), 0) AS n FROM record_counts ${and([])}`).get(...params) as { n: number }).n;
      }
      const visible = (this.#searchStatement(`SELECT COALESCE(SUM(n), 0) AS n FROM record_counts ${and(['access_private = 0'])}`).get(...params) as { n: number }).n;
      const viewer = query.access.viewerPublicKey || null;
      if (viewer === null) return visible;
      const own = this.#searchStatement(`SELECT COUNT(*) AS n FROM records ${and(['access_private = 1', '(owner_key = ? OR created_by = ?)'])}`).get(...params, viewer, viewer) as { n: number };
      return visible + own.n;
    } catch (err) {
      throw mapSqliteError(err, 'count');
    }
  }

  async countByType(): Promise<Record<string, number>> {
    this.#assertOpen();
    try {
      const out: Record<string, number> = {};
      for (const row of this.#stmt.countByType.iterate()) out[row.record_type] = row.n;
      return out;
    } catch (err) {
      throw mapSqliteError(err, 'countByType');
    }
  }

  /**
   * Query-planner statistics: without them SQLite may walk the page-order index past every row
   * instead of a selective filter's index. A sampled ANALYZE (bounded work) after the first 1,000
   * rows and then after every 50,000 writes keeps them current.
   */
  #keepStatistics(written: number): void {
    this.#writesSinceAnalyze += written;
    const due = this.#analyzed ? this.#writesSinceAnalyze >= 50_000 : this.#writesSinceAnalyze >= 1000;
    if (!due) return;
    this.#writesSinceAnalyze = 0;
    this.#analyzed = true;
    try {
      this.#db.pragma('analysis_limit = 1000');
      this.#db.exec('ANALYZE');
      // Plans prepared before may be worse than the new statistics allow.
      this.#searchStatements.clear();
    } catch {
      // Statistics are an optimisation; a busy file tries again after the next writes.
      this.#analyzed = false;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#searchStatements.clear();
    try {
      this.#db.close();
    } catch (err) {
      throw mapSqliteError(err, 'close');
    }
  }
}

/**
 * noDuplicates: the matching rows with their rank inside their name group (by the query's own
 * order); rank 1 rows and every row without a name survive.
 */
/** Whether record_counts answers the query's total: no filter but type, storage and access. */
const COUNTED_KEYS = new Set(['recordType', 'storage', 'access', 'searchMatchMode', 'tagsMatchMode', 'sort', 'page', 'limit', 'offset', 'totalCap']);
function countsAnswer(q: NormalizedQuery): boolean {
  return !q.noDuplicates && Object.entries(q).every(([k, v]) => v === undefined || k === 'noDuplicates' || COUNTED_KEYS.has(k));
}

function dedupCte(source: string, where: string, orderBy: string): string {
  return `WITH ranked AS (SELECT r.*, CASE WHEN r.name IS NULL OR r.name = '' THEN 1 ELSE ROW_NUMBER() OVER (PARTITION BY r.name ORDER BY ${orderBy}) END AS dup_rank FROM ${source} ${where}), m AS (SELECT * FROM ranked WHERE dup_rank = 1)`;
}

/** Opens (creating if needed) the embedded SQLite record store. */
export function createSqliteRecordStore(options: SqliteRecordStoreOptions): SqliteRecordStore {
  return new SqliteRecordStore(options);
}
