// SQL for the legacy /api/records filters (exactMatch, fieldSearch, the workout / recipe /
// exercise filters, scheduledOn, access through record_grants). JSON paths the code fixes are inlined; every user
// value is a parameter. `oip_lower` / `oip_contains` are JS functions the store registers
// (Unicode lower-casing, like the normaliser's, where SQLite's lower() is ASCII only).
import { SCHEDULED_DATE_FIELDS } from '../filter-bounds.js';
import type { NormalizedQuery } from '../query.js';
import type { AccessOption } from '../types.js';
import { viewerGrantees } from '../record-columns.js';
import { grantedSql } from './access-grants.js';
import { addLegacyParams } from './legacy-params-sql.js';

/** String scalars at a path: the value itself or the elements of an array (not object members). */
function textAt(path: string, alias = 'j'): string {
  return `json_each(r.body, ${path}) ${alias}`;
}
const TEXT = (alias = 'j') => `${alias}.type = 'text' AND (${alias}.key IS NULL OR typeof(${alias}.key) = 'integer')`;
const NOT_DID = (alias = 'j') => `${alias}.value NOT LIKE 'did:%'`;

const lit = (jsonPath: string): string => `'${jsonPath}'`;

/**
 * Which referenced records a name-through-dref filter may see by name: those the viewer may
 * read (a restricted record's name must not decide which records match), all without access.
 */
interface RefVisibility {
  sql: string;
  params: unknown[];
}

function refVisibility(access: AccessOption | undefined): RefVisibility {
  if (access === undefined) return { sql: '1', params: [] };
  const grantees = viewerGrantees(access);
  if (grantees === null) return { sql: 'x.access_private = 0', params: [] };
  return { sql: `(x.access_private = 0 OR ${grantedSql('x')})`, params: [JSON.stringify(grantees)] };
}

/** DIDs of visible records whose basic.name lower-cased equals one of a JSON list (then `vis`'s parameters). */
const didsNamed = (vis: RefVisibility) =>
  `SELECT x.did FROM records x WHERE oip_lower(x.name) IN (SELECT value FROM json_each(?)) AND ${vis.sql}`;
/** DIDs of visible records whose basic.name contains a needle. */
const didsNameContains = (vis: RefVisibility) =>
  `SELECT x.did FROM records x WHERE oip_contains(x.name, ?) AND ${vis.sql}`;
/** DIDs of visible records whose basic.name contains one of a JSON list. */
const didsNameContainsAny = (vis: RefVisibility) =>
  `SELECT x.did FROM records x WHERE EXISTS (SELECT 1 FROM json_each(?) n WHERE oip_contains(x.name, n.value)) AND ${vis.sql}`;

function exists(path: string, condition: string): string {
  return `EXISTS (SELECT 1 FROM ${textAt(path)} WHERE ${TEXT()} AND (${condition}))`;
}

/** The types whose scheduledOn date is a column (workoutSchedule.scheduled_date, mealPlan.meal_date). */
export function isScheduledType(recordType: string | undefined): boolean {
  return recordType !== undefined && SCHEDULED_DATE_FIELDS.has(recordType);
}

export function addLegacyFilters(q: NormalizedQuery, clauses: string[], params: unknown[]): void {
  for (const { path, value } of q.exactMatch ?? []) {
    const p = `$.${path}`;
    if (typeof value === 'boolean') {
      clauses.push('json_type(r.body, ?) = ?');
      params.push(p, value ? 'true' : 'false');
    } else {
      clauses.push(
        `(json_type(r.body, ?) ${typeof value === 'string' ? "= 'text'" : "IN ('integer', 'real')"} AND json_extract(r.body, ?) = ?)`,
      );
      params.push(p, p, value);
    }
  }
  for (const field of q.fields ?? []) {
    clauses.push(exists('?', field.mode === 'exact' ? 'j.value = ?' : 'oip_contains(j.value, ?)'));
    params.push(`$.${field.path}`, field.mode === 'exact' ? field.value : field.value.toLowerCase());
  }
  if (q.exerciseDIDs !== undefined) {
    clauses.push(exists(lit('$.data.workout.exercise'), 'j.value IN (SELECT value FROM json_each(?))'));
    params.push(JSON.stringify(q.exerciseDIDs));
  }
  const vis = refVisibility(q.access);
  if (q.exerciseNames !== undefined) {
    const names = JSON.stringify(q.exerciseNames);
    const plain = `${NOT_DID()} AND oip_lower(j.value) IN (SELECT value FROM json_each(?))`;
    clauses.push(
      `(${exists(lit('$.data.workout.exercise'), `j.value IN (${didsNamed(vis)}) OR (${plain})`)} OR ${exists(lit('$.data.workout.exercise_name'), plain)})`,
    );
    params.push(names, ...vis.params, names, names);
  }
  if (q.ingredientNames !== undefined) {
    const names = JSON.stringify(q.ingredientNames);
    const plain = `${NOT_DID()} AND EXISTS (SELECT 1 FROM json_each(?) n WHERE oip_contains(j.value, n.value))`;
    clauses.push(exists(lit('$.data.recipe.ingredient'), `j.value IN (${didsNameContainsAny(vis)}) OR (${plain})`));
    params.push(names, ...vis.params, names);
  }
  if (q.equipment !== undefined) addEquipment(q.equipment, vis, clauses, params);
  if (q.exerciseTypes !== undefined) {
    const types = JSON.stringify(q.exerciseTypes);
    const cond = 'oip_lower(j.value) IN (SELECT value FROM json_each(?))';
    clauses.push(
      `(${exists(lit('$.data.exercise.exercise_type'), cond)} OR ${exists(lit('$.data.exercise.exerciseType'), cond)})`,
    );
    params.push(types, types);
  }
  if (q.cuisine !== undefined) {
    clauses.push(
      exists(
        lit('$.data.recipe.cuisine'),
        'EXISTS (SELECT 1 FROM json_each(?) n WHERE oip_contains(j.value, n.value))',
      ),
    );
    params.push(JSON.stringify(q.cuisine));
  }
  if (q.scheduled !== undefined) {
    const range = '(r.scheduled_date >= ? AND r.scheduled_date < ?)';
    // With the type fixed to a scheduled one the range alone (search-sql.ts reads it from
    // records_schedule_order); otherwise records of other types are kept, as legacy.
    if (isScheduledType(q.recordType)) clauses.push(range);
    else clauses.push(`(${range} OR r.record_type NOT IN ('workoutSchedule', 'mealPlan'))`);
    params.push(q.scheduled.start, q.scheduled.end);
  }
  addLegacyParams(q, clauses, params);
  if (q.access !== undefined) addAccess(q.access, clauses, params);
}

const EQUIPMENT_PATHS = [lit('$.data.exercise.equipmentRequired'), lit('$.data.exercise.equipment')];

function addEquipment(
  eq: NonNullable<NormalizedQuery['equipment']>,
  vis: RefVisibility,
  clauses: string[],
  params: unknown[],
): void {
  const one = (item: string): string => {
    const cond = `(${NOT_DID()} AND oip_contains(j.value, ?)) OR j.value IN (${didsNameContains(vis)})`;
    for (let i = 0; i < EQUIPMENT_PATHS.length; i++) params.push(item, item, ...vis.params);
    return `(${EQUIPMENT_PATHS.map((p) => exists(p, cond)).join(' OR ')})`;
  };
  const parts = eq.items.map(one);
  if (eq.mode === 'AND') {
    clauses.push(...parts);
    return;
  }
  // OR keeps exercises that list no equipment at all (legacy).
  const none = `(r.record_type = 'exercise' AND NOT ${EQUIPMENT_PATHS.map((p) => exists(p, '1')).join(' AND NOT ')})`;
  clauses.push(`(${[...parts, none].join(' OR ')})`);
}

/** Public records, and the restricted ones the viewer holds a grant on (record_grants). */
export function addAccess(access: AccessOption, clauses: string[], params: unknown[]): void {
  const grantees = viewerGrantees(access);
  if (grantees === null) {
    clauses.push('r.access_private = 0');
    return;
  }
  clauses.push(`(r.access_private = 0 OR ${grantedSql('r')})`);
  params.push(JSON.stringify(grantees));
}
