// The legacy /api/records parameters of issue 25 that were accepted and ignored: the filters
// (hasAudio, inArweaveBlock, template, didTxRef, url, model + modelMatchMode,
// exerciseTypeMatchMode, cuisineMatchMode, includeDeleteMessages) go into the store query, the
// store runs them (record-store legacy-params.ts); includeSigs / includePubKeys shape the answer.
// Legacy: oip-arweave-indexer helpers/elasticsearch.js getRecords (2375-2424 defaults,
// 3153-3169 the strips) and buildElasticsearchQuery (4174-4266, 4438-4556, 4666-4695).
import { MAX_LIST_ITEMS, MAX_LIST_ITEM_LENGTH, type OipRecord, type SearchQuery } from '@oip/record-store';
import { InvalidQueryError } from '../errors.js';

export type LegacyListQuerystring = Partial<Record<string, string>>;

/** What the answer drops (both default true, as legacy's getRecords destructuring). */
export interface LegacyShaping {
  includeSigs: boolean;
  includePubKeys: boolean;
}

/**
 * Legacy indexes a deletion as a record of type `delete` or `deleteTemplate` (6517-6527) but its
 * includeDeleteMessages=false filter names `deleteMessage` (4261-4266), so it never left one
 * out: ours leaves out all three.
 */
export const DELETE_MESSAGE_TYPES: readonly string[] = ['deleteMessage', 'delete', 'deleteTemplate'];

function flag(name: string, v: string | undefined, fallback: boolean): boolean {
  if (v === undefined || v === '') return fallback;
  const t = v.toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new InvalidQueryError(name, 'must be true or false');
}

function matchMode(name: string, v: string | undefined): 'AND' | 'OR' | undefined {
  if (v === undefined || v === '') return undefined;
  const up = v.toUpperCase();
  if (up !== 'AND' && up !== 'OR') throw new InvalidQueryError(name, 'must be AND or OR');
  return up;
}

function items(v: string | undefined): string[] | undefined {
  const out = (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return out.length > 0 ? out : undefined;
}

/** Reads the parameters into `query` (the store checks their bounds too); returns the answer's shaping. */
export function parseLegacyListParams(q: LegacyListQuerystring, query: SearchQuery): LegacyShaping {
  // 4666-4695: hasAudio=true, records with audioItems; any other value, records without.
  if (q.hasAudio !== undefined && q.hasAudio !== '') query.hasAudio = flag('hasAudio', q.hasAudio, false);
  // 4174-4184: a block height, or `bad` for records without one.
  if (q.inArweaveBlock !== undefined && q.inArweaveBlock !== '') {
    if (q.inArweaveBlock === 'bad') query.inArweaveBlock = null;
    else if (/^\d{1,15}$/.test(q.inArweaveBlock)) query.inArweaveBlock = Number(q.inArweaveBlock);
    else throw new InvalidQueryError('inArweaveBlock', 'must be a block height or bad');
  }
  // 2637-2652: a data category whose name contains it, case-insensitive.
  if (q.template) query.template = q.template;
  // 2705-2729: a string under data starting with it.
  if (q.didTxRef) {
    if (!q.didTxRef.startsWith('did:'))
      throw new InvalidQueryError('didTxRef', 'must be a DID or a DID prefix (did:…)');
    query.didTxRef = q.didTxRef;
  }
  // 4186-4202: basic.url or basic.webUrl, exact.
  if (q.url) query.url = q.url;
  // 4523-4556: model filters model providers only (recordType=modelProvider), any or every model.
  const modelMode = matchMode('modelMatchMode', q.modelMatchMode);
  const model = items(q.model);
  if (model !== undefined && (model.length > MAX_LIST_ITEMS || model.some((m) => m.length > MAX_LIST_ITEM_LENGTH)))
    throw new InvalidQueryError(
      'model',
      `takes at most ${MAX_LIST_ITEMS} items of at most ${MAX_LIST_ITEM_LENGTH} characters`,
    );
  if (model !== undefined && query.recordType === 'modelProvider') {
    query.model = model;
    if (modelMode !== undefined) query.modelMatchMode = modelMode;
  }
  // 4438-4468, 4470-4521: exerciseType and cuisine, any (default) or every one.
  const typeMode = matchMode('exerciseTypeMatchMode', q.exerciseTypeMatchMode);
  if (typeMode !== undefined) query.exerciseTypeMatchMode = typeMode;
  const cuisineMode = matchMode('cuisineMatchMode', q.cuisineMatchMode);
  if (cuisineMode !== undefined) query.cuisineMatchMode = cuisineMode;
  // 4261-4266: includeDeleteMessages=false leaves deletions out; by default they are listed.
  if (!flag('includeDeleteMessages', q.includeDeleteMessages, true))
    query.excludeRecordTypes = [...DELETE_MESSAGE_TYPES];
  return {
    includeSigs: flag('includeSigs', q.includeSigs, true),
    includePubKeys: flag('includePubKeys', q.includePubKeys, true),
  };
}

/**
 * 3153-3169: includeSigs=false drops oip.signature (and our oip.sigScheme, meaningless without
 * it), includePubKeys=false drops oip.creator.publicKey, on the records listed (legacy strips
 * them before resolving drefs, so records inside drefs keep theirs).
 */
export function shapeLegacyFields<T extends OipRecord>(record: T, s: LegacyShaping): T {
  if (s.includeSigs && s.includePubKeys) return record;
  const oip: Record<string, unknown> = { ...record.oip };
  if (!s.includeSigs) {
    delete oip['signature'];
    delete oip['sigScheme'];
  }
  if (!s.includePubKeys && record.oip.creator !== undefined && record.oip.creator !== null) {
    const { publicKey: _dropped, ...creator } = record.oip.creator as Record<string, unknown>;
    oip['creator'] = creator;
  }
  return { ...record, oip: oip as OipRecord['oip'] };
}
