// The SQLite store's queries: search pages with their totals, tag summaries and counts, over
// one connection with a bounded cache of prepared statements. The store (sqlite-record-store.ts)
// checks that it is open, normalises queries and maps errors; everything here is synchronous.
import type Database from 'better-sqlite3';
import type { NormalizedQuery } from '../query.js';
import type { AccessOption, CountQuery, OipRecord, SearchResult, TagSummary } from '../types.js';
import { viewerGrantees } from '../record-columns.js';
import { type WalkAnswer, walkSearch } from './ordered-walk.js';
import { buildSearchSql } from './search-sql.js';

const STATEMENT_CACHE_SIZE = 64;

export class SqliteReads {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** A prepared statement for `sql`, from a cache of the last STATEMENT_CACHE_SIZE. */
  statement(sql: string): Database.Statement {
    let stmt = this.#statements.get(sql);
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#statements.keys().next();
        if (oldest.done !== true) this.#statements.delete(oldest.value);
      }
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Drops the prepared statements (after ANALYZE, and at close). */
  clearStatements(): void {
    this.#statements.clear();
  }

  search(q: NormalizedQuery): SearchResult {
    const bodiesStmt = this.statement('SELECT id, body FROM records WHERE id IN (SELECT value FROM json_each(?))');
    // One read transaction: total and page see the same snapshot.
    const read = this.#db.transaction(() => {
      const page = walkSearch(q, (sql) => this.statement(sql)) ?? this.#fullPage(q);
      if (page.ids.length === 0) return { ...page, bodies: [] as string[] };
      const byId = new Map(
        (bodiesStmt.all(JSON.stringify(page.ids)) as Array<{ id: number; body: string }>).map((r) => [r.id, r.body]),
      );
      return { ...page, bodies: page.ids.map((id) => byId.get(id)!) };
    });
    const { total, totalRelation, bodies } = read.deferred();
    return { total, totalRelation, records: bodies.map((b) => JSON.parse(b) as OipRecord) };
  }

  /** The page's ids with the exact total: every match visited. */
  #fullPage(q: NormalizedQuery): WalkAnswer {
    const { from: source, where, params, orderBy } = buildSearchSql(q, (sql) => this.statement(sql));
    // The page's ids with the total beside them in one pass over the matches (the sort carries
    // no bodies). A query that filters on type, storage and access only takes its total from
    // record_counts, so its page is read from the index alone.
    if (countsAnswer(q)) {
      const rows = this.statement(`SELECT r.id FROM ${source} ${where} ORDER BY ${orderBy} LIMIT ? OFFSET ?`).all(
        ...params,
        q.limit,
        q.offset,
      ) as Array<{ id: number }>;
      return {
        ids: rows.map((r) => r.id),
        total: this.count({ recordType: q.recordType, storage: q.storage, access: q.access }),
        totalRelation: 'eq',
      };
    }
    const matches = q.noDuplicates
      ? `${dedupCte(source, where, orderBy)} SELECT r.id, COUNT(*) OVER () AS n FROM m r`
      : `SELECT r.id, COUNT(*) OVER () AS n FROM ${source} ${where}`;
    const rows = this.statement(`${matches} ORDER BY ${orderBy} LIMIT ? OFFSET ?`).all(
      ...params,
      q.limit,
      q.offset,
    ) as Array<{ id: number; n: number }>;
    let total: number;
    if (rows.length > 0) total = rows[0]!.n;
    else if (q.offset === 0) total = 0;
    // A page past the end carries no total: count the matches alone.
    else
      total = (
        this.statement(
          q.noDuplicates
            ? `${dedupCte(source, where, orderBy)} SELECT COUNT(*) AS n FROM m`
            : `SELECT COUNT(*) AS n FROM ${source} ${where}`,
        ).get(...params) as { n: number }
      ).n;
    return { ids: rows.map((r) => r.id), total, totalRelation: 'eq' };
  }

  /**
   * Tags as written (records_tag_fts holds them lower-cased, as tokens, for filtering), counted
   * once per record, as an ES terms aggregation on tagItems.keyword does.
   */
  summarizeTags(q: NormalizedQuery, tagCount: number, offset: number): TagSummary {
    const { clauses, params } = buildSearchSql(q, (sql) => this.statement(sql));
    const from = `FROM records r, json_each(r.body, '$.data.basic.tagItems') j WHERE ${[...clauses, "j.type = 'text'", "(j.key IS NULL OR typeof(j.key) = 'integer')"].join(' AND ')}`;
    const read = this.#db.transaction(() => {
      const total = (this.statement(`SELECT COUNT(DISTINCT j.value) AS n ${from}`).get(...params) as { n: number }).n;
      const tags =
        total === 0
          ? []
          : (this.statement(
              `SELECT j.value AS tag, COUNT(DISTINCT r.id) AS count ${from} GROUP BY j.value ORDER BY count DESC, tag ASC LIMIT ? OFFSET ?`,
            ).all(...params, tagCount, offset) as Array<{ tag: string; count: number }>);
      return { totalTags: total, tags };
    });
    return read.deferred();
  }

  /**
   * record_counts (kept by the writes, record-rows.ts) holds the totals per type, storage and
   * restriction; only the restricted records the viewer holds a grant on are counted in the tables
   * themselves, from the viewer's grants (record_grants by grantee).
   */
  count(query: CountQuery): number {
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
    if (query.access === undefined) {
      return (
        this.statement(`SELECT COALESCE(SUM(n), 0) AS n FROM record_counts ${and([])}`).get(...params) as { n: number }
      ).n;
    }
    const visible = (
      this.statement(`SELECT COALESCE(SUM(n), 0) AS n FROM record_counts ${and(['access_private = 0'])}`).get(
        ...params,
      ) as { n: number }
    ).n;
    const grantees = viewerGrantees(query.access);
    if (grantees === null) return visible;
    const granted = this.statement(`SELECT COUNT(*) AS n FROM records ${and(['access_private = 1', GRANTED_IDS])}`).get(
      ...params,
      JSON.stringify(grantees),
    ) as { n: number };
    return visible + granted.n;
  }

  /** Records per type: record_counts, plus (with access) the restricted records the viewer holds a grant on. */
  countByType(access: AccessOption | undefined): Record<string, number> {
    // Null-prototype: record types are publishers' text (`constructor`, `__proto__`).
    const out = Object.create(null) as Record<string, number>;
    const add = (rows: Array<{ record_type: string; n: number }>) => {
      for (const row of rows) if (row.n > 0) out[row.record_type] = (out[row.record_type] ?? 0) + row.n;
    };
    if (access === undefined) {
      add(
        this.statement('SELECT record_type, SUM(n) AS n FROM record_counts GROUP BY record_type').all() as Array<{
          record_type: string;
          n: number;
        }>,
      );
      return out;
    }
    const read = this.#db.transaction(() => {
      add(
        this.statement(
          'SELECT record_type, SUM(n) AS n FROM record_counts WHERE access_private = 0 GROUP BY record_type',
        ).all() as Array<{ record_type: string; n: number }>,
      );
      const grantees = viewerGrantees(access);
      if (grantees === null) return;
      add(
        this.statement(
          `SELECT record_type, COUNT(*) AS n FROM records WHERE access_private = 1 AND ${GRANTED_IDS} GROUP BY record_type`,
        ).all(JSON.stringify(grantees)) as Array<{ record_type: string; n: number }>,
      );
    });
    read.deferred();
    return out;
  }
}

/** The ids the viewer holds a grant on, read from the viewer's grants (one JSON array parameter). */
const GRANTED_IDS = 'id IN (SELECT record_id FROM record_grants WHERE grantee IN (SELECT value FROM json_each(?)))';

/** Whether record_counts answers the query's total: no filter but type, storage and access. */
const COUNTED_KEYS = new Set([
  'recordType',
  'storage',
  'access',
  'searchMatchMode',
  'tagsMatchMode',
  'sort',
  'page',
  'limit',
  'offset',
  'totalCap',
]);
function countsAnswer(q: NormalizedQuery): boolean {
  return (
    !q.noDuplicates &&
    Object.entries(q).every(([k, v]) => v === undefined || k === 'noDuplicates' || COUNTED_KEYS.has(k))
  );
}

/**
 * noDuplicates: the matching rows with their rank inside their name group (by the query's own
 * order); rank 1 rows and every row without a name survive.
 */
function dedupCte(source: string, where: string, orderBy: string): string {
  return `WITH ranked AS (SELECT r.*, CASE WHEN r.name IS NULL OR r.name = '' THEN 1 ELSE ROW_NUMBER() OVER (PARTITION BY r.name ORDER BY ${orderBy}) END AS dup_rank FROM ${source} ${where}), m AS (SELECT * FROM ranked WHERE dup_rank = 1)`;
}
