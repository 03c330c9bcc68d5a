// Legacy sortBy (oip-arweave-indexer helpers/elasticsearch.js buildElasticsearchSort 4739-4770 and
// applySorting 3184-3420): the fields the store sorts by, the ones legacy computes after the query
// (scores, matchCount, scheduleDate, ver, creatorHandle), and what it does with the rest: an
// unknown field, or a computed one without the parameter it needs, leaves the default order
// (inArweaveBlock:desc) and says so in the note (a response header), never a 400.
import { SCHEDULED_DATE_FIELDS, type SortField } from '@oip/record-store';
import type { OipRecord } from '@oip/record-store';
import type { ScoreParams } from './record-scores.js';

/** Computed sorts run over the first this many matches in the store's default order (legacy sorts its over-fetched window). */
export const COMPUTED_SORT_WINDOW = 1000;

type Order = 'asc' | 'desc';
type Row = OipRecord & Record<string, unknown>;

export type SortPlan =
  | { kind: 'store'; sort?: { field: SortField; order: Order }; note?: string }
  | { kind: 'computed'; compare: (a: Row, b: Row) => number; applied: string; note?: string };

// Maps: the keys are the caller's sortBy.
const STORE_FIELDS: ReadonlyMap<string, SortField> = new Map(
  (['inArweaveBlock', 'date', 'indexedAt', 'recordType', 'name'] as const).map((f) => [f, f]),
);

/** Computed sorts: the record field compared, and the parameter legacy requires for it (3260-3394). */
const SCORE_SORTS: ReadonlyMap<string, { field: string; needs?: keyof ScoreParams }> = new Map([
  ['score', { field: 'score' }],
  ['tags', { field: 'score', needs: 'tags' }],
  ['matchCount', { field: 'matchCount', needs: 'search' }],
  ['exerciseScore', { field: 'exerciseScore', needs: 'exerciseNames' }],
  ['ingredientScore', { field: 'ingredientScore', needs: 'ingredientNames' }],
  ['equipmentScore', { field: 'equipmentScore', needs: 'equipmentRequired' }],
  ['exerciseTypeScore', { field: 'exerciseTypeScore', needs: 'exerciseType' }],
  ['cuisineScore', { field: 'cuisineScore', needs: 'cuisine' }],
  // 3358-3371: modelScore only with model (legacy scores it with recordType=modelProvider only,
  // 2916, so elsewhere every score is 0 and its sort the default order: named here as a fallback).
  ['modelScore', { field: 'modelScore', needs: 'model' }],
]);

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) || 0 : 0);
const signed = (order: Order, c: number): number => (order === 'asc' ? c : -c);

/** Missing values last in both orders (legacy's date and scheduleDate sorts, 3237-3244, 3400-3404). */
function byValue(order: Order, get: (r: Row) => number | undefined): (a: Row, b: Row) => number {
  return (a, b) => {
    const x = get(a);
    const y = get(b);
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    return signed(order, x - y);
  };
}

function at(r: Row, path: string): unknown {
  let v: unknown = r;
  for (const seg of path.split('.'))
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
  return v;
}

/** The plan for a request's sortBy and filters. */
export function sortPlan(sortBy: string | undefined, p: ScoreParams): SortPlan {
  // 3539-3546, 3701-3712, 3788-3799: exerciseNames / exerciseDIDs (workouts) and ingredientNames
  // (recipes) sort by their score, then matched count, best first, whatever sortBy says.
  const implicit =
    p.recordType === 'workout' && (p.exerciseNames || p.exerciseDIDs)
      ? 'exercise'
      : p.recordType === 'recipe' && p.ingredientNames
        ? 'ingredient'
        : undefined;
  if (implicit !== undefined) {
    return {
      kind: 'computed',
      applied: `${implicit}Score:desc`,
      compare: (a, b) =>
        num(b[`${implicit}Score`]) - num(a[`${implicit}Score`]) ||
        num(b[`${implicit}MatchedCount`]) - num(a[`${implicit}MatchedCount`]),
    };
  }
  if (sortBy === undefined || sortBy === '') return { kind: 'store' };
  const [field = '', rawOrder] = sortBy.split(':');
  // applySorting: any order but asc sorts descending.
  const order: Order = rawOrder === 'asc' ? 'asc' : 'desc';
  const fallback = (why: string): SortPlan => ({
    kind: 'store',
    note: `sortBy=${headerSafe(sortBy)} ${why}; inArweaveBlock:desc`,
  });
  const storeField = STORE_FIELDS.get(field);
  if (storeField !== undefined) return { kind: 'store', sort: { field: storeField, order } };
  const score = SCORE_SORTS.get(field);
  if (score !== undefined) {
    if (score.needs !== undefined && p[score.needs] === undefined) return fallback(`needs ${score.needs}`);
    return {
      kind: 'computed',
      applied: `${field}:${order}`,
      compare: (a, b) => signed(order, num(a[score.field]) - num(b[score.field])),
    };
  }
  if (field === 'scheduleDate') {
    const path = p.recordType === undefined ? undefined : SCHEDULED_DATE_FIELDS.get(p.recordType);
    if (path === undefined) return fallback('needs recordType workoutSchedule or mealPlan');
    return {
      kind: 'computed',
      applied: `scheduleDate:${order}`,
      compare: byValue(order, (r) => {
        const v = at(r, path);
        return typeof v === 'number' && v !== 0 ? v : undefined;
      }),
    };
  }
  if (field === 'ver') {
    // 3208-3216: oip.ver as numbers; a pair either of which is no number ('0.8.0') compares equal (NaN).
    return {
      kind: 'computed',
      applied: `ver:${order}`,
      compare: (a, b) => {
        const d = Number(a.oip.ver) - Number(b.oip.ver);
        return Number.isNaN(d) ? 0 : signed(order, d);
      },
    };
  }
  if (field === 'creatorHandle') {
    // 3228-3236: localeCompare of oip.creator.creatorHandle (legacy throws on a record without one: '' here).
    const handle = (r: Row) => String(r.oip.creator?.creatorHandle ?? '');
    return {
      kind: 'computed',
      applied: `creatorHandle:${order}`,
      compare: (a, b) => signed(order, handle(a).localeCompare(handle(b))),
    };
  }
  return fallback('is not a sort legacy knows');
}

/**
 * The caller's value as a header may carry it: printable ASCII as it came, anything else
 * percent-encoded (Node refuses a header holding other characters, which answered 500).
 */
function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}
