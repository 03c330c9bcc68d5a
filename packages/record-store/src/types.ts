// The record store contract shared by the SQLite default and the Elasticsearch adapter.
// Records keep the legacy shape (oip-legacy-reference.md, "Record shape").

/** Creator block, normalised to the nested form on index. */
export interface OipCreator {
  creatorHandle?: string;
  didAddress: string;
  publicKey: string;
  [key: string]: unknown;
}

export interface OipBlock {
  ver: string;
  recordType: string;
  /** `did:gun:<soul>` or `did:arweave:<txid>`; the document id. */
  did: string;
  didTx: string;
  storage: 'gun' | 'arweave' | string;
  /** ISO time the record was indexed here. */
  indexedAt: string;
  creator: OipCreator;
  inArweaveBlock?: number;
  [key: string]: unknown;
}

/** `data` is keyed by category (`basic` plus the record type's own); each category is an object of fields. */
export type RecordData = Record<string, Record<string, unknown>>;

export interface OipRecord {
  data: RecordData;
  oip: OipBlock;
  meta?: Record<string, unknown>;
}

export type SortField = 'inArweaveBlock' | 'date' | 'indexedAt' | 'recordType' | 'name';

export interface SearchQuery {
  recordType?: string;
  /** did / didTx filter (exact). */
  did?: string;
  storage?: 'gun' | 'arweave';
  /** Full text over basic.name, basic.description and basic.tagItems. */
  search?: string;
  /** @defaultValue 'AND' */
  searchMatchMode?: 'AND' | 'OR';
  tags?: string[];
  /** @defaultValue 'OR' (any) */
  tagsMatchMode?: 'OR' | 'AND';
  creatorHandle?: string;
  creatorDidAddress?: string;
  /** basic.date bounds, unix seconds, inclusive. */
  dateStart?: number;
  dateEnd?: number;
  /** @defaultValue { field: 'inArweaveBlock', order: 'desc' } */
  sort?: { field: SortField; order: 'asc' | 'desc' };
  /** 1-based. @defaultValue 1 */
  page?: number;
  /** @defaultValue 20 (max 1000) */
  limit?: number;
}

export interface SearchResult {
  records: OipRecord[];
  /** Matches before paging. */
  total: number;
}

export interface BulkItemResult {
  did: string;
  ok: boolean;
  /** Present when ok is false. */
  error?: { code: string; message: string; permanent: boolean };
}

export interface RecordStore {
  /** Upserts records by `oip.did`; item-level results in input order. Never throws for item-level failures. */
  bulkUpsert(records: OipRecord[]): Promise<BulkItemResult[]>;
  get(did: string): Promise<OipRecord | null>;
  /** One round trip for any number of DIDs; missing ones are absent from the map. */
  getMany(dids: readonly string[]): Promise<Map<string, OipRecord>>;
  search(query: SearchQuery): Promise<SearchResult>;
  /** True when a record was removed. */
  delete(did: string): Promise<boolean>;
  count(query?: Pick<SearchQuery, 'recordType' | 'storage'>): Promise<number>;
  /** Counts per record type. */
  countByType(): Promise<Record<string, number>>;
  close(): Promise<void>;
}
