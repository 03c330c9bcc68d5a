// Query DSL for the legacy /api/records filters. Name-through-dref filters (exerciseNames,
// ingredientNames, equipmentRequired) need the DIDs of the records so named: the adapter looks
// them up first (referencedNameQuery) and passes them in as `refs`.
import type { NormalizedQuery } from '../query.js';
import type { AccessOption } from '../types.js';
import { RESTRICTED_LEVELS } from '../access.js';
import { legacyParamClauses, type MappedDataFields } from './es-legacy-params.js';

type Json = Record<string, unknown>;

/** DIDs of referenced records, per filter (equipment: per requested item). */
export interface ResolvedRefs {
  exercises?: string[];
  ingredients?: string[];
  equipment?: string[][];
  /** What template and didTxRef read of the mapping (es-legacy-params.ts). */
  mapped?: MappedDataFields;
}

const NAME = 'data.basic.name.keyword';

/** Escapes the wildcard syntax (`*`, `?`, `\`) in a literal. */
export function wildcardLiteral(s: string): string {
  return s.replace(/[\\*?]/g, (c) => `\\${c}`);
}

const contains = (field: string, needle: string): Json => ({
  wildcard: { [field]: { value: `*${wildcardLiteral(needle)}*`, case_insensitive: true } },
});
const equalsCi = (field: string, value: string): Json => ({ term: { [field]: { value, case_insensitive: true } } });
const any = (should: Json[]): Json => ({ bool: { should, minimum_should_match: 1 } });
const NOTHING: Json = { bool: { must_not: [{ match_all: {} }] } };
const anyOrNothing = (should: Json[]): Json => (should.length === 0 ? NOTHING : any(should));
const didTerms = (field: string, dids: readonly string[] | undefined): Json[] =>
  dids === undefined || dids.length === 0 ? [] : [{ terms: { [field]: [...dids] } }];

/**
 * The lookup for records whose names the dref filters compare (one search, names returned):
 * only records the viewer may read, so a restricted record's name never decides a match.
 */
export function referencedNameQuery(q: NormalizedQuery): Json | null {
  const should: Json[] = [];
  for (const n of q.exerciseNames ?? []) should.push(equalsCi(NAME, n));
  for (const n of [...(q.ingredientNames ?? []), ...(q.equipment?.items ?? [])]) should.push(contains(NAME, n));
  if (should.length === 0) return null;
  return q.access === undefined ? any(should) : { bool: { filter: [any(should), accessClause(q.access)] } };
}

/** Sorts the looked-up records (DID + lower-cased name) into each filter's DID list. */
export function assignRefs(q: NormalizedQuery, named: Array<{ did: string; name: string }>): ResolvedRefs {
  const refs: ResolvedRefs = {};
  if (q.exerciseNames !== undefined)
    refs.exercises = named.filter((r) => q.exerciseNames!.includes(r.name)).map((r) => r.did);
  if (q.ingredientNames !== undefined) {
    refs.ingredients = named.filter((r) => q.ingredientNames!.some((n) => r.name.includes(n))).map((r) => r.did);
  }
  if (q.equipment !== undefined)
    refs.equipment = q.equipment.items.map((n) => named.filter((r) => r.name.includes(n)).map((r) => r.did));
  return refs;
}

const EQUIPMENT_FIELDS = ['data.exercise.equipmentRequired.keyword', 'data.exercise.equipment.keyword'] as const;

export function legacyFilterClauses(q: NormalizedQuery, refs: ResolvedRefs): Json[] {
  const filter: Json[] = [];
  for (const { path, value } of q.exactMatch ?? []) {
    filter.push({ term: { [typeof value === 'string' ? `${path}.keyword` : path]: value } });
  }
  for (const field of q.fields ?? []) {
    const f = `${field.path}.keyword`;
    filter.push(field.mode === 'exact' ? { term: { [f]: field.value } } : contains(f, field.value));
  }
  if (q.exerciseDIDs !== undefined) filter.push({ terms: { 'data.workout.exercise.keyword': q.exerciseDIDs } });
  if (q.exerciseNames !== undefined) {
    filter.push(
      anyOrNothing([
        ...didTerms('data.workout.exercise.keyword', refs.exercises),
        ...q.exerciseNames.flatMap((n) => [
          equalsCi('data.workout.exercise.keyword', n),
          equalsCi('data.workout.exercise_name.keyword', n),
        ]),
      ]),
    );
  }
  if (q.ingredientNames !== undefined) {
    filter.push(
      anyOrNothing([
        ...didTerms('data.recipe.ingredient.keyword', refs.ingredients),
        ...q.ingredientNames.map((n) => contains('data.recipe.ingredient.keyword', n)),
      ]),
    );
  }
  if (q.equipment !== undefined) {
    const items = q.equipment.items.map((n, i) =>
      any(EQUIPMENT_FIELDS.flatMap((f) => [contains(f, n), ...didTerms(f, refs.equipment?.[i])])),
    );
    if (q.equipment.mode === 'AND') filter.push(...items);
    else {
      const noEquipment: Json = {
        bool: {
          filter: [{ term: { 'oip.recordType.keyword': 'exercise' } }],
          must_not: EQUIPMENT_FIELDS.map((f) => ({ exists: { field: f } })),
        },
      };
      filter.push(any([...items, noEquipment]));
    }
  }
  if (q.exerciseTypes !== undefined) {
    filter.push(
      any(
        q.exerciseTypes.flatMap((t) => [
          equalsCi('data.exercise.exercise_type.keyword', t),
          equalsCi('data.exercise.exerciseType.keyword', t),
        ]),
      ),
    );
  }
  if (q.cuisine !== undefined) filter.push(any(q.cuisine.map((c) => contains('data.recipe.cuisine.keyword', c))));
  if (q.scheduled !== undefined) filter.push(scheduledClause(q));
  if (q.anyOfTags !== undefined) filter.push(any(q.anyOfTags.map((t) => equalsCi('data.basic.tagItems.keyword', t))));
  filter.push(...legacyParamClauses(q, refs.mapped));
  if (q.access !== undefined) filter.push(accessClause(q.access));
  return filter;
}

function scheduledClause(q: NormalizedQuery): Json {
  const { start, end } = q.scheduled!;
  const dated = (type: string, field: string): Json => ({
    bool: { filter: [{ term: { 'oip.recordType.keyword': type } }, { range: { [field]: { gte: start, lt: end } } }] },
  });
  const ws = dated('workoutSchedule', 'data.workoutSchedule.scheduled_date');
  const mp = dated('mealPlan', 'data.mealPlan.meal_date');
  if (q.recordType === 'workoutSchedule') return ws;
  if (q.recordType === 'mealPlan') return mp;
  return any([
    ws,
    mp,
    { bool: { must_not: [{ terms: { 'oip.recordType.keyword': ['workoutSchedule', 'mealPlan'] } }] } },
  ]);
}

const LEVEL = 'data.accessControl.access_level.keyword';
const SHARED_WITH = 'data.accessControl.shared_with.keyword';

/** access.ts's restricted rule: level private / shared / organization, or a private conversation session. */
const RESTRICTED: Json = any([
  { terms: { [LEVEL]: [...RESTRICTED_LEVELS] } },
  { term: { 'data.conversationSession.is_private': true } },
]);

/** access.ts's rule as a filter: public records, and the restricted ones the viewer may read. */
export function accessClause(access: AccessOption): Json {
  const notRestricted: Json = { bool: { must_not: [RESTRICTED] } };
  const viewer = access.viewerPublicKey;
  if (viewer === null || viewer === '') return notRestricted;
  const orgs = access.viewerOrgDids ?? [];
  return any([
    notRestricted,
    { term: { 'data.accessControl.owner_public_key.keyword': viewer } },
    { term: { 'data.accessControl.created_by.keyword': viewer } },
    { term: { 'data.conversationSession.owner_public_key.keyword': viewer } },
    { bool: { filter: [{ term: { [LEVEL]: 'shared' } }, { term: { [SHARED_WITH]: viewer } }] } },
    ...(orgs.length === 0
      ? []
      : [{ bool: { filter: [{ term: { [LEVEL]: 'organization' } }, { terms: { [SHARED_WITH]: [...orgs] } }] } }]),
  ]);
}
