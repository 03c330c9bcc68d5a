// One /api/records search with legacy's post-processing: the store's page (or, for a computed
// sortBy, its first COMPUTED_SORT_WINDOW matches sorted here and paged), and the fields legacy adds
// to each record (record-scores.ts), kept apart so drefs can be resolved on the plain records.
import type { AccessOption, OipRecord, RecordStore, SearchQuery } from '@oip/record-store';
import { InvalidQueryError } from '../errors.js';
import { addScores, referencedDids, type ScoreParams } from './record-scores.js';
import { COMPUTED_SORT_WINDOW, type SortPlan } from './sort-plan.js';

export interface ScoredResult {
  records: OipRecord[];
  /** Per record, the fields legacy adds (score, matchCount, exerciseScore, ...). */
  extras: Array<Record<string, unknown>>;
  total: number;
  totalRelation: 'eq' | 'gte';
}

/** Most referenced DIDs whose names one answer looks up for its scores. */
const MAX_NAME_LOOKUPS = 5000;

function needsScores(p: ScoreParams): boolean {
  return [
    p.tags,
    p.search,
    p.exerciseNames,
    p.exerciseDIDs,
    p.ingredientNames,
    p.equipmentRequired,
    p.exerciseType,
    p.cuisine,
    p.model,
    p.fieldSearch,
  ].some((v) => v !== undefined);
}

async function scored(
  store: RecordStore,
  records: OipRecord[],
  p: ScoreParams,
  access: AccessOption,
): Promise<Array<OipRecord & Record<string, unknown>>> {
  if (!needsScores(p)) return records.map((r) => ({ ...r }));
  const dids = referencedDids(records, p).slice(0, MAX_NAME_LOOKUPS);
  const names = new Map<string, string>();
  if (dids.length > 0) {
    for (const [did, rec] of await store.getMany(dids, { access })) {
      const name = rec.data['basic']?.['name'];
      if (typeof name === 'string') names.set(did, name.toLowerCase());
    }
  }
  return addScores(records, p, names);
}

const BASE_KEYS = new Set(['data', 'oip', 'meta']);

function split(rows: Array<OipRecord & Record<string, unknown>>, originals: readonly OipRecord[]) {
  return rows.map((row, i) => {
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (!BASE_KEYS.has(k)) extra[k] = v;
    return { record: originals[i]!, extra };
  });
}

export async function scoredSearch(
  store: RecordStore,
  query: SearchQuery,
  plan: SortPlan,
  p: ScoreParams,
  access: AccessOption,
): Promise<ScoredResult> {
  if (plan.kind === 'store') {
    const res = await store.search(query);
    const parts = split(await scored(store, res.records, p, access), res.records);
    return { ...res, records: res.records, extras: parts.map((x) => x.extra) };
  }
  const page = query.page ?? 1;
  const limit = query.limit ?? 20;
  if (page * limit > COMPUTED_SORT_WINDOW)
    throw new InvalidQueryError(
      'page',
      `page × limit must not exceed ${COMPUTED_SORT_WINDOW} with sortBy ${plan.applied}`,
    );
  // The window in the store's default order (legacy's query order before it sorts, 2527-2535).
  const { sort: _ignored, ...rest } = query;
  const res = await store.search({ ...rest, page: 1, limit: COMPUTED_SORT_WINDOW });
  const rows = await scored(store, res.records, p, access);
  const order = rows.map((row, i) => ({ row, i }));
  // Array.prototype.sort is stable: ties keep the store's order.
  order.sort((a, b) => plan.compare(a.row, b.row));
  const paged = order.slice((page - 1) * limit, page * limit);
  const parts = split(
    paged.map((x) => x.row),
    paged.map((x) => res.records[x.i]!),
  );
  return {
    records: parts.map((x) => x.record),
    extras: parts.map((x) => x.extra),
    total: res.total,
    totalRelation: res.totalRelation,
  };
}
