// The record store contract shared by the SQLite default and the Elasticsearch adapter.
// Records keep the legacy shape (oip-legacy-reference.md, "Record shape").
// The record itself is @oip/records' (what an OIP record is); the store holds it as it is.
import type { OipRecord } from '@oip/records';
import type { FieldConflict } from './field-conflict.js';
import type { LegacyParamsQuery } from './legacy-params.js';

export type { OipBlock, OipCreator, OipRecord, RecordData } from '@oip/records';

export type SortField = 'inArweaveBlock' | 'date' | 'indexedAt' | 'recordType' | 'name';

export interface SearchQuery extends LegacyParamsQuery {
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
  /**
   * Dot paths under `data.` or `oip.` (e.g. `data.basic.language`) whose stored scalar must equal
   * the given value, type included (legacy `===`). At most 16 pairs.
   */
  exactMatch?: Record<string, string | number | boolean>;
  /**
   * A path under `data` (`recipe.course` or `data.recipe.course`) searched with `fieldSearch`; a
   * list of them (at most 8) is one search per path, all of which must match, each with the
   * `fieldSearch` of the same position or the last one (legacy's pairs).
   */
  fieldName?: string | readonly string[];
  fieldSearch?: string | readonly string[];
  /** `partial`: case-insensitive substring; `exact`: case-sensitive equality. @defaultValue 'partial' */
  fieldMatchMode?: 'partial' | 'exact';
  /** One record per `data.basic.name` (the first by `sort`); records without a name are all kept. */
  noDuplicates?: boolean;
  /** Workouts with an exercise (dref to a record of that name, or plain name) named any of these; case-insensitive equality. */
  exerciseNames?: string[];
  /** Workouts whose `data.workout.exercise` holds any of these DIDs. */
  exerciseDIDs?: string[];
  /** Recipes with an ingredient (dref or plain string) whose name contains any of these, case-insensitive. */
  ingredientNames?: string[];
  /** Exercises whose equipment (names or drefs, by the referenced name) contains these, case-insensitive substring. */
  equipmentRequired?: string[];
  /** `AND`: every item; `OR`: any, and exercises with no equipment are kept (legacy). @defaultValue 'AND' */
  equipmentMatchMode?: 'AND' | 'OR';
  /** `data.exercise.exercise_type` (or `exerciseType`) is any of these; `warmup`≡`Warm-Up`, `cooldown`≡`Cool-Down`, case-insensitive. */
  exerciseType?: string[];
  /** `data.recipe.cuisine` contains any of these, case-insensitive. */
  cuisine?: string[];
  /**
   * `YYYY-MM-DD`: workoutSchedule (`scheduled_date`) and mealPlan (`meal_date`) records dated
   * within that UTC day (unix seconds); records of other types are kept, as legacy.
   */
  scheduledOn?: string;
  /** Extra any-of tag filter ANDed with `tags` (the api's summarizeTags restriction). Exact, case-insensitive. */
  anyOfTags?: string[];
  /** Who is reading (restricted records); absent = no filter (internal callers). */
  access?: AccessOption;
  /**
   * Count matches exactly up to this many (as Elasticsearch's `track_total_hits`). Past it a
   * store may stop counting and answer `total` = the cap with `totalRelation` 'gte', or answer
   * the exact count; the page itself is always exact. Absent: always exact.
   */
  totalCap?: number;
}

/**
 * Who is reading (access.ts). A record is restricted when its `data.accessControl.access_level`
 * is `private`, `shared` or `organization`, or `data.conversationSession.is_private` is true;
 * anything else is public. A restricted record is visible to the viewer whose public key equals
 * its `accessControl.owner_public_key`, `accessControl.created_by` or
 * `conversationSession.owner_public_key`; at level `shared` also to the keys in
 * `accessControl.shared_with` (a string or an array); at level `organization` to the members of
 * the organizations whose DIDs `shared_with` names. `viewerPublicKey` null = anonymous: public
 * records only.
 */
export interface AccessOption {
  viewerPublicKey: string | null;
  /** DIDs of the organizations the viewer is a member of (the caller decides membership); at most 256. */
  viewerOrgDids?: string[];
}

export interface ReadOptions {
  access?: AccessOption;
}

export type CountQuery = Pick<SearchQuery, 'recordType' | 'storage' | 'access'>;

export interface TagSummaryOptions {
  /** Tags per page. @defaultValue 20 */
  tagCount?: number;
  /** 1-based. @defaultValue 1 */
  tagPage?: number;
}

export interface TagSummary {
  /** Distinct tags over the matching records. */
  totalTags: number;
  /** Most used first (ties by tag), the requested page. */
  tags: Array<{ tag: string; count: number }>;
}

export interface SearchResult {
  records: OipRecord[];
  /** Matches before paging: exact when `totalRelation` is 'eq', a lower bound (the query's `totalCap`) when 'gte'. */
  total: number;
  totalRelation: 'eq' | 'gte';
}

export interface BulkItemResult {
  did: string;
  ok: boolean;
  /** Present when ok is false; `conflict` when a field's type conflicts with the store's (STORE_ERR_MAPPING). */
  error?: { code: string; message: string; permanent: boolean; conflict?: FieldConflict };
}

/** One fixed field type: the guard's (SQLite) or the index mapping's (Elasticsearch). */
export interface FieldTypeEntry {
  path: string;
  type: string;
}

export interface WidenOptions {
  /**
   * Elasticsearch only: when the mapping cannot change in place, copy the index into a new one
   * with the wider type and move the alias to it. Stop the writers first: documents written
   * to the old index during the copy would be missed (the copy is refused when counts differ).
   * @defaultValue false (STORE_ERR_REINDEX_REQUIRED instead)
   */
  reindex?: boolean;
}

export interface WidenResult {
  path: string;
  from: string;
  to: string;
  /** `unchanged`: already that type; `guard`: SQLite's persisted type; `mapping`: ES mapping updated in place; `reindex`: copied. */
  method: 'unchanged' | 'guard' | 'mapping' | 'reindex';
  /** For `reindex`: the index copied from and to, and the documents copied. */
  reindex?: { from: string; to: string; alias: string; documents: number; oldIndexKept: boolean };
}

export interface RecordStore {
  /** Upserts records by `oip.did`; item-level results in input order. Never throws for item-level failures. */
  bulkUpsert(records: OipRecord[]): Promise<BulkItemResult[]>;
  /** With `opts.access`, a private record the viewer may not see is `null`. */
  get(did: string, opts?: ReadOptions): Promise<OipRecord | null>;
  /** One round trip for any number of DIDs; missing (or, with `opts.access`, invisible) ones are absent from the map. */
  getMany(dids: readonly string[], opts?: ReadOptions): Promise<Map<string, OipRecord>>;
  search(query: SearchQuery): Promise<SearchResult>;
  /** Tag counts over the records matching `query` (its paging, sort and noDuplicates ignored). */
  summarizeTags(query: SearchQuery, opts?: TagSummaryOptions): Promise<TagSummary>;
  /** True when a record was removed. */
  delete(did: string): Promise<boolean>;
  count(query?: CountQuery): Promise<number>;
  /** Counts per record type; with `opts.access`, only the records the viewer may see. */
  countByType(opts?: ReadOptions): Promise<Record<string, number>>;
  /** The fixed field types, sorted by path. */
  fieldTypes(): Promise<FieldTypeEntry[]>;
  /**
   * Widens the fixed type of a path (widening.ts: long → float/double, integer → long,
   * keyword → text, ...). Throws STORE_ERR_WIDENING_REFUSED (with the reason) for any other
   * change, STORE_ERR_FIELD_UNKNOWN for a path with no type, STORE_ERR_REINDEX_REQUIRED when ES
   * needs a copy and `reindex` is not set.
   */
  widenField(path: string, to: string, opts?: WidenOptions): Promise<WidenResult>;
  close(): Promise<void>;
}
