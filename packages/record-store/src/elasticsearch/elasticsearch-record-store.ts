// Elasticsearch adapter: legacy `records` index, document id = DID, `_source` = the legacy record.
import type { Client, estypes } from '@elastic/elasticsearch';
import { StoreClosedError, StoreInvalidError, StoreReadOnlyError, type StoreError } from '../errors.js';
import { FieldTypeGuard, type FieldTypeBatch } from '../field-type-guard.js';
import { DEFAULT_RECORDS_INDEX } from '../legacy-mapping.js';
import { normalizeQuery, tagPaging } from '../query.js';
import { normalizeReadOptions } from '../access.js';
import { DEFAULT_MAX_RECORD_BYTES, serializeRecord, validateRecord } from '../record-fields.js';
import { publishBulk } from '../diagnostics.js';
import type {
  BulkItemResult,
  CountQuery,
  FieldTypeEntry,
  WidenOptions,
  WidenResult,
  OipRecord,
  ReadOptions,
  RecordStore,
  SearchQuery,
  SearchResult,
  TagSummary,
  TagSummaryOptions,
} from '../types.js';
import { createEsClient, type EsClientOptions } from './es-client.js';
import { mapBulkItemError, mapClientError } from './es-errors.js';
import { flattenMapping, readMapping, widenEsField } from './es-widen.js';
import { SET_ASIDE_FIELD } from '../set-aside.js';
import { EsReads } from './es-reads.js';
import { createRecordsIndex, loadMappingInto, mapSetAsideUnindexed } from './es-index-setup.js';
import { legacyReadClient } from './es-legacy-index.js';

export interface ElasticsearchRecordStoreOptions extends Partial<EsClientOptions> {
  /** A client to use instead of building one from `node`; the caller keeps ownership (close() leaves it open). */
  client?: Client;
  /** @defaultValue 'records' */
  index?: string;
  /** Refresh after writes so searches see them at once (`'wait_for'` for read-your-writes). @defaultValue false */
  refresh?: boolean | 'wait_for';
  /** Create the index with the legacy-compatible mapping when it is missing. @defaultValue true */
  createIndex?: boolean;
  /**
   * Check records with the field-type guard, seeded from the index mapping, before sending
   * them: conflicts fail fast with the same STORE_ERR_MAPPING the SQLite store gives, and
   * long→float is rejected even where ES would coerce it. @defaultValue true
   */
  guard?: boolean;
  /** Guard date detection; also the created index's `date_detection`. @defaultValue true */
  dateDetection?: boolean;
  /** Guard total-field limit. @defaultValue 1000 */
  maxFields?: number;
  /** Guard depth limit. @defaultValue 20 */
  maxDepth?: number;
  /** Largest accepted bulkUpsert batch. @defaultValue 5000 */
  maxBulkSize?: number;
  /** Most DIDs in one getMany (one mget). @defaultValue 10000 */
  maxGetMany?: number;
  /** Most record types countByType reports. @defaultValue 1000 */
  maxRecordTypes?: number;
  /** Largest serialised record accepted, bytes. @defaultValue 5242880 (5 MiB) */
  maxRecordBytes?: number;
  /**
   * The index is a legacy node's (`data` nested, text-only `oip.*` fields): served read-only
   * through es-legacy-index.ts; writes, deletes and widening throw STORE_ERR_READ_ONLY, and the
   * index is neither created nor guarded. The client it builds then speaks plain JSON (`plainJson`),
   * which a legacy node's Elasticsearch 7.17 or 8.x takes. @defaultValue false
   */
  legacyIndex?: boolean;
}

interface Accepted {
  index: number;
  record: OipRecord;
}

export class ElasticsearchRecordStore implements RecordStore {
  readonly index: string;
  readonly #client: Client;
  readonly #ownsClient: boolean;
  readonly #options: ElasticsearchRecordStoreOptions;
  #guard: FieldTypeGuard | null;
  #ready: Promise<void> | null = null;
  /** A mapping reload in flight, shared by the bulks that need it. */
  #reloading: Promise<void> | null = null;
  /** Whether `meta.setAside` is known to be mapped unindexed. */
  #setAsideMapped = false;
  /** Set when ES rejected a mapping the guard allowed: reload the mapping before the next write. */
  #guardStale = false;
  #closed = false;
  readonly #reads: EsReads;

  constructor(options: ElasticsearchRecordStoreOptions) {
    this.#options = options;
    this.index = options.index ?? DEFAULT_RECORDS_INDEX;
    if (options.client !== undefined) {
      this.#client = options.client;
      this.#ownsClient = false;
    } else {
      if (options.node === undefined) throw new StoreInvalidError('ElasticsearchRecordStore needs node or client');
      // A legacy node's cluster may be 7.17 or 8.x: plain JSON is what every version takes.
      this.#client = createEsClient({
        ...options,
        node: options.node,
        plainJson: options.plainJson ?? options.legacyIndex === true,
      });
      this.#ownsClient = true;
    }
    this.#guard = options.guard === false || options.legacyIndex === true ? null : this.#newGuard();
    const readClient = options.legacyIndex === true ? legacyReadClient(this.#client, this.index) : this.#client;
    this.#reads = new EsReads(readClient, this.index);
  }

  #newGuard(): FieldTypeGuard {
    const o = this.#options;
    return new FieldTypeGuard({
      ...(o.dateDetection === undefined ? {} : { dateDetection: o.dateDetection }),
      ...(o.maxFields === undefined ? {} : { maxFields: o.maxFields }),
      ...(o.maxDepth === undefined ? {} : { maxDepth: o.maxDepth }),
    });
  }

  /** The type the guard has fixed for a path (diagnostics and tests). */
  fieldType(path: string): string | undefined {
    return this.#guard?.typeOf(path);
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  #assertWritable(what: string): void {
    this.#assertOpen();
    if (this.#options.legacyIndex === true)
      throw new StoreReadOnlyError(`${what}: the index ${this.index} is a legacy node's, served read-only`);
  }

  /** Creates the index if needed and loads its mapping into the guard; retried after a failure. */
  async #ensureReady(): Promise<void> {
    if (this.#ready === null) {
      this.#ready = this.#init().catch((err: unknown) => {
        this.#ready = null;
        throw mapClientError(err, 'preparing index');
      });
    }
    return this.#ready;
  }

  async #init(): Promise<void> {
    if (this.#options.createIndex !== false && this.#options.legacyIndex !== true) {
      await createRecordsIndex(this.#client, this.index, this.#options.dateDetection ?? true);
    }
    if (this.#guard !== null) await this.#loadMapping(this.#guard);
  }

  #loadMapping(guard: FieldTypeGuard): Promise<void> {
    const { maxFields, maxDepth } = this.#options;
    return loadMappingInto(this.#client, this.index, guard, { maxFields, maxDepth });
  }

  async bulkUpsert(records: OipRecord[]): Promise<BulkItemResult[]> {
    this.#assertWritable('bulkUpsert');
    const maxBulk = this.#options.maxBulkSize ?? 5000;
    if (records.length > maxBulk) {
      throw new StoreInvalidError(`bulkUpsert takes at most ${maxBulk} records (got ${records.length})`);
    }
    await this.#ensureReady();
    if (this.#guardStale && this.#guard !== null) {
      this.#guardStale = false;
      try {
        await this.#reloadGuard();
      } catch (err) {
        this.#guardStale = true;
        throw err;
      }
    }
    const startedAt = performance.now();
    let pre = this.#precheck(records);
    // A conflict may come from a stale guard: another process (oip store fields widen) may have
    // widened the field or moved the alias to a wider copy. Reload the mapping once and check again.
    if (pre.guardConflicts > 0 && this.#guard !== null) {
      await this.#reloadGuard();
      pre = this.#precheck(records);
    }
    const { results, accepted, batch } = pre;
    if (accepted.length === 0) {
      publishBulk('elasticsearch', results, startedAt);
      return results;
    }
    if (!this.#setAsideMapped && accepted.some(({ record }) => typeof record.meta?.[SET_ASIDE_FIELD] === 'string')) {
      await mapSetAsideUnindexed(this.#client, this.index);
      this.#setAsideMapped = true;
    }

    const operations: unknown[] = [];
    for (const { record } of accepted) operations.push({ index: { _index: this.index, _id: record.oip.did } }, record);
    let response: estypes.BulkResponse;
    try {
      response = await this.#client.bulk({ operations, refresh: this.#options.refresh ?? false });
    } catch (err) {
      throw mapClientError(err, 'bulkUpsert');
    }
    let esRejectedMapping = false;
    const items = Array.isArray(response.items) ? response.items : [];
    accepted.forEach(({ index, record }, i) => {
      const did = record.oip.did;
      const item = items[i];
      const op = item === undefined ? undefined : Object.values(item)[0];
      if (op === undefined) {
        results[index] = {
          did,
          ok: false,
          error: { code: 'STORE_ERR_UPSTREAM', message: 'bulk response has no item for this record', permanent: false },
        };
        return;
      }
      if (op.error !== undefined && op.error !== null) {
        const mapped: StoreError = mapBulkItemError(op.status, op.error, record);
        if (mapped.code === 'STORE_ERR_MAPPING') esRejectedMapping = true;
        results[index] = { did, ok: false, error: mapped.toItemError() };
        return;
      }
      results[index] = { did, ok: true };
    });
    // The guard's additions are only trusted when ES agreed with every document it allowed.
    if (esRejectedMapping) this.#guardStale = true;
    else batch?.commit();
    publishBulk('elasticsearch', results, startedAt);
    return results;
  }

  /** Validation, size and guard checks of one bulk; nothing is sent. */
  #precheck(records: OipRecord[]): {
    results: BulkItemResult[];
    accepted: Accepted[];
    batch: FieldTypeBatch | null;
    guardConflicts: number;
  } {
    const maxBytes = this.#options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    const results: BulkItemResult[] = new Array(records.length);
    const accepted: Accepted[] = [];
    const batch: FieldTypeBatch | null = this.#guard?.batch() ?? null;
    let guardConflicts = 0;
    records.forEach((record, index) => {
      const did = typeof record?.oip?.did === 'string' ? record.oip.did : '';
      let invalid = validateRecord(record);
      if (invalid === null) {
        const body = serializeRecord(record, maxBytes);
        if (typeof body !== 'string') invalid = body;
      }
      const conflict = invalid ?? batch?.add(record) ?? null;
      if (conflict !== null) {
        if (invalid === null) guardConflicts++;
        results[index] = { did, ok: false, error: conflict.toItemError() };
        return;
      }
      accepted.push({ index, record });
    });
    return { results, accepted, batch, guardConflicts };
  }

  /** Replaces the guard by one built from the index mapping now (one reload at a time). */
  async #reloadGuard(): Promise<void> {
    this.#reloading ??= (async () => {
      const fresh = this.#newGuard();
      await this.#loadMapping(fresh);
      this.#guard = fresh;
    })()
      .catch((err: unknown) => {
        throw mapClientError(err, 'reloading mapping');
      })
      .finally(() => {
        this.#reloading = null;
      });
    return this.#reloading;
  }

  async fieldTypes(): Promise<FieldTypeEntry[]> {
    this.#assertOpen();
    await this.#ensureReady();
    try {
      const { mappings } = await readMapping(this.#client, this.index);
      return flattenMapping(mappings.properties as Parameters<typeof flattenMapping>[0]);
    } catch (err) {
      throw mapClientError(err, 'fieldTypes');
    }
  }

  /**
   * Widens a field: the mapping in place where ES allows it, else (with `reindex`) a copy into
   * a new index and an alias switch (es-widen.ts). The guard is rebuilt from the new mapping.
   */
  async widenField(path: string, to: string, opts: WidenOptions = {}): Promise<WidenResult> {
    this.#assertWritable('widenField');
    await this.#ensureReady();
    const result = await widenEsField({ client: this.#client, index: this.index }, path, to, opts);
    if (result.method !== 'unchanged' && this.#guard !== null) await this.#reloadGuard();
    return result;
  }

  async get(did: string, opts: ReadOptions = {}): Promise<OipRecord | null> {
    this.#assertOpen();
    const read = normalizeReadOptions(opts);
    await this.#ensureReady();
    return this.#reads.get(did, read);
  }

  async getMany(dids: readonly string[], opts: ReadOptions = {}): Promise<Map<string, OipRecord>> {
    this.#assertOpen();
    const unique = [...new Set(dids)];
    const max = this.#options.maxGetMany ?? 10_000;
    if (unique.length > max) throw new StoreInvalidError(`getMany takes at most ${max} DIDs (got ${unique.length})`);
    const read = normalizeReadOptions(opts);
    if (unique.length === 0) return new Map();
    await this.#ensureReady();
    return this.#reads.getMany(unique, read);
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    this.#assertOpen();
    const q = normalizeQuery(query);
    await this.#ensureReady();
    return this.#reads.search(q);
  }

  async summarizeTags(query: SearchQuery, opts: TagSummaryOptions = {}): Promise<TagSummary> {
    this.#assertOpen();
    const { tagCount, offset } = tagPaging(opts);
    const q = normalizeQuery({ ...query, page: 1, limit: 1, noDuplicates: false });
    await this.#ensureReady();
    return this.#reads.summarizeTags(q, tagCount, offset);
  }

  async delete(did: string): Promise<boolean> {
    this.#assertWritable('delete');
    await this.#ensureReady();
    try {
      const res = await this.#client.delete(
        { index: this.index, id: did, refresh: this.#options.refresh ?? false },
        { ignore: [404] },
      );
      return res.result === 'deleted';
    } catch (err) {
      throw mapClientError(err, 'delete');
    }
  }

  async count(query: CountQuery = {}): Promise<number> {
    this.#assertOpen();
    const q = normalizeReadOptions(query);
    await this.#ensureReady();
    return this.#reads.count(q);
  }

  async countByType(opts: ReadOptions = {}): Promise<Record<string, number>> {
    this.#assertOpen();
    const read = normalizeReadOptions(opts);
    await this.#ensureReady();
    return this.#reads.countByType(this.#options.maxRecordTypes ?? 1000, read.access);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsClient) await this.#client.close();
  }
}

export function createElasticsearchRecordStore(options: ElasticsearchRecordStoreOptions): ElasticsearchRecordStore {
  return new ElasticsearchRecordStore(options);
}
