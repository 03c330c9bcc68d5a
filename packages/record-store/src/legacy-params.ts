// The legacy /api/records parameters that filter on what a record holds rather than on a column
// (issue 25): hasAudio, inArweaveBlock, template, didTxRef, url, model and the AND/OR modes of
// exerciseType and cuisine, plus the record types a query leaves out (includeDeleteMessages).
// Their query fields, bounds and normalisation live here; both stores run them in their query
// (legacy-filters-sql.ts, es-legacy-filters.ts), so paging and totals stay right.
import { StoreInvalidError } from './errors.js';
import { exerciseTypeAliases, MAX_LIST_ITEMS, MAX_LIST_ITEM_LENGTH } from './filter-bounds.js';

/** Longest url, template or didTxRef value. */
export const MAX_PARAM_LENGTH = 2048;

type Mode = 'AND' | 'OR';

/** The SearchQuery fields of these parameters (types.ts's SearchQuery extends it). */
export interface LegacyParamsQuery {
  /**
   * true: records holding a value at `data.post.audioItems` or `data.basic.audioItems`; false:
   * records holding neither. A value is a non-null scalar at any depth (`[]`, `null` and `[null]`
   * are none), as Elasticsearch's `exists` reads it.
   */
  hasAudio?: boolean;
  /** `oip.inArweaveBlock` equals this; `null`: records without one (legacy's `bad`). */
  inArweaveBlock?: number | null;
  /** Records with a data category (a key of `data`) whose name contains this, case-insensitive, holding a value. */
  template?: string;
  /** Records holding a string anywhere under `data` that starts with this (case-sensitive): a DID or a DID prefix. */
  didTxRef?: string;
  /** `data.basic.url` or `data.basic.webUrl` equals this (an element of either, for a list). */
  url?: string;
  /** Records whose `data.modelProvider.supported_models` (a list or a comma-separated string) contains these, case-insensitive. */
  model?: string[];
  /** `OR`: any of `model`; `AND`: every one. @defaultValue 'OR' */
  modelMatchMode?: Mode;
  /** `OR`: any of `exerciseType`; `AND`: every one. @defaultValue 'OR' */
  exerciseTypeMatchMode?: Mode;
  /** `OR`: any of `cuisine`; `AND`: every one. @defaultValue 'OR' */
  cuisineMatchMode?: Mode;
  /** Records of these types are left out (at most MAX_LIST_ITEMS). */
  excludeRecordTypes?: string[];
}

/** The normalised form (query.ts's NormalizedQuery extends it). */
export interface LegacyParamsFilter {
  hasAudio?: boolean;
  inArweaveBlock?: number | null;
  /** Lower-cased. */
  template?: string;
  didTxRef?: string;
  url?: string;
  /** Lower-cased items. */
  model?: { items: string[]; mode: Mode };
  /** exerciseTypeMatchMode AND: every requested type, as its lower-cased spellings (exerciseTypes keeps the any-of). */
  exerciseTypesAll?: string[][];
  /** cuisineMatchMode AND: every lower-cased item must be contained (cuisine keeps the any-of). */
  cuisineAll?: string[];
  excludeRecordTypes?: string[];
}

function matchMode(name: string, v: unknown): Mode {
  if (v === undefined) return 'OR';
  if (v !== 'AND' && v !== 'OR') throw new StoreInvalidError(`${name} must be one of AND, OR`);
  return v;
}

function text(name: string, v: unknown): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || v.length > MAX_PARAM_LENGTH)
    throw new StoreInvalidError(`${name} must be a string of at most ${MAX_PARAM_LENGTH} characters`);
  return v;
}

function items(name: string, v: unknown, lower: boolean): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((i) => typeof i !== 'string'))
    throw new StoreInvalidError(`${name} must be an array of strings`);
  const out = [...new Set((v as string[]).map((i) => (lower ? i.trim().toLowerCase() : i.trim())))].filter(
    (i) => i !== '',
  );
  if (out.length > MAX_LIST_ITEMS) throw new StoreInvalidError(`${name} takes at most ${MAX_LIST_ITEMS} items`);
  if (out.some((i) => i.length > MAX_LIST_ITEM_LENGTH))
    throw new StoreInvalidError(`${name} items must be at most ${MAX_LIST_ITEM_LENGTH} characters`);
  return out.length > 0 ? out : undefined;
}

/**
 * Adds the normalised parameters to `out`. `exerciseType` / `cuisine` are the query's lists as
 * normalizeFilters read them (lower-cased), for their AND modes.
 */
export function normalizeLegacyParams(
  q: LegacyParamsQuery & { exerciseType?: string[]; cuisine?: string[] },
  out: LegacyParamsFilter,
): void {
  if (q.hasAudio !== undefined) {
    if (typeof q.hasAudio !== 'boolean') throw new StoreInvalidError('hasAudio must be a boolean');
    out.hasAudio = q.hasAudio;
  }
  if (q.inArweaveBlock !== undefined) {
    const b = q.inArweaveBlock;
    if (b !== null && !(Number.isSafeInteger(b) && b >= 0))
      throw new StoreInvalidError('inArweaveBlock must be a block height (an integer >= 0) or null');
    out.inArweaveBlock = b;
  }
  const template = text('template', q.template);
  if (template !== undefined) out.template = template.toLowerCase();
  const ref = text('didTxRef', q.didTxRef);
  if (ref !== undefined) {
    if (!ref.startsWith('did:')) throw new StoreInvalidError('didTxRef must be a DID or a DID prefix (did:…)');
    out.didTxRef = ref;
  }
  const url = text('url', q.url);
  if (url !== undefined) out.url = url;
  const modelMode = matchMode('modelMatchMode', q.modelMatchMode);
  const model = items('model', q.model, true);
  if (model !== undefined) out.model = { items: model, mode: modelMode };
  const typeMode = matchMode('exerciseTypeMatchMode', q.exerciseTypeMatchMode);
  const types = items('exerciseType', q.exerciseType, true);
  if (types !== undefined && typeMode === 'AND') out.exerciseTypesAll = types.map(exerciseTypeAliases);
  const cuisineMode = matchMode('cuisineMatchMode', q.cuisineMatchMode);
  const cuisine = items('cuisine', q.cuisine, true);
  if (cuisine !== undefined && cuisineMode === 'AND') out.cuisineAll = cuisine;
  const excluded = items('excludeRecordTypes', q.excludeRecordTypes, false);
  if (excluded !== undefined) out.excludeRecordTypes = excluded;
}
