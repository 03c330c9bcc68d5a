// One fixture set and one table for the legacy /api/records filters, run by the shared
// contract against every store. DIDs are `did:gun:lf:<key>`; keys and DIDs contain none of the
// names searched for, so a substring match on a DID string cannot pass for a name match.
import type { OipRecord, SearchQuery } from '../../src/index.js';
import { makeRecord, type RecordSpec } from './records.js';

export const lf = (key: string): string => `did:gun:lf:${key}`;

function rec(key: string, spec: Omit<RecordSpec, 'soul'> & { unnamed?: boolean }): OipRecord {
  const r = makeRecord({ soul: `lf:${key}`, ...spec });
  if (spec.unnamed === true) delete r.data['basic']!['name'];
  return r;
}

const day = (iso: string): number => Date.parse(iso) / 1000;

export function legacyFilterRecords(): OipRecord[] {
  return [
    rec('eq1', { recordType: 'equipment', name: 'Barbell' }),
    rec('eq2', { recordType: 'equipment', name: 'Dumbbells' }),
    rec('ex1', {
      recordType: 'exercise',
      name: 'Back Squat',
      data: { exercise: { equipmentRequired: [lf('eq1')], exercise_type: 'Main', is_bodyweight: false } },
    }),
    rec('ex2', {
      recordType: 'exercise',
      name: 'Push Up',
      data: { exercise: { equipmentRequired: [], exercise_type: 'Warm-Up', is_bodyweight: true } },
    }),
    rec('ex3', {
      recordType: 'exercise',
      name: 'Bench Press',
      data: { exercise: { equipmentRequired: [lf('eq2')], equipment: 'Adjustable Bench', exercise_type: 'Cool-Down' } },
    }),
    rec('ex4', { recordType: 'exercise', name: 'Jumping Jacks', data: { exercise: { exerciseType: 'warmup' } } }),
    rec('w1', {
      recordType: 'workout',
      name: 'Leg Day',
      data: { workout: { exercise: [lf('ex1'), lf('ex2')], total_duration_minutes: 45 } },
    }),
    rec('w2', {
      recordType: 'workout',
      name: 'Chest Day',
      data: { workout: { exercise: [lf('ex3')], exercise_name: ['Bench Press'], total_duration_minutes: 30 } },
    }),
    rec('w3', { recordType: 'workout', name: 'Quick Pump', data: { workout: { exercise: ['push up'] } } }),
    rec('ing1', { recordType: 'nutritionalInfo', name: 'Whole Wheat Flour' }),
    rec('ing2', { recordType: 'nutritionalInfo', name: 'Peanuts' }),
    rec('r1', {
      recordType: 'recipe',
      name: 'Pancakes',
      tags: ['plan', 'breakfast'],
      data: { recipe: { ingredient: [lf('ing1'), 'maple syrup'], cuisine: 'American' } },
    }),
    rec('r2', {
      recordType: 'recipe',
      name: 'Pad Thai',
      data: { recipe: { ingredient: ['rice noodles', lf('ing2')], cuisine: 'Thai' } },
    }),
    rec('r3', { recordType: 'recipe', name: 'Pad Thai', data: { recipe: { ingredient: [], cuisine: 'thai fusion' } } }),
    rec('s1', {
      recordType: 'workoutSchedule',
      name: 'Tuesday Lift',
      tags: ['plan', 'sched'],
      data: { workoutSchedule: { scheduled_date: day('2024-11-05T10:00:00Z') } },
    }),
    rec('s2', {
      recordType: 'workoutSchedule',
      name: 'Wednesday Lift',
      tags: ['plan', 'sched'],
      data: { workoutSchedule: { scheduled_date: day('2024-11-06T00:00:00Z') } },
    }),
    rec('s3', {
      recordType: 'mealPlan',
      name: 'Tuesday Meals',
      tags: ['plan'],
      data: { mealPlan: { meal_date: day('2024-11-05T00:00:00Z') } },
    }),
    rec('p1', {
      recordType: 'post',
      name: 'Alice Diary',
      data: { accessControl: { access_level: 'private', owner_public_key: 'pk-alice' } },
    }),
    rec('p2', {
      recordType: 'post',
      name: 'Bob Diary',
      data: { accessControl: { access_level: 'private', created_by: 'pk-bob' } },
    }),
    rec('p3', {
      recordType: 'post',
      name: 'Alice Public',
      data: { accessControl: { access_level: 'public', owner_public_key: 'pk-alice' } },
    }),
    rec('d1', { recordType: 'post', name: 'Alice Diary' }),
    rec('n1', { recordType: 'post', name: '' }),
    rec('n2', { recordType: 'post', unnamed: true }),
  ];
}

export interface FilterRow {
  name: string;
  query: SearchQuery;
  /** Keys (lf:<key>) in result order; total defaults to their number. */
  expect: { keys: string[]; total?: number };
}

const byName = { field: 'name', order: 'asc' } as const;

/** Every row sorts by name asc (DID breaks ties) unless it says otherwise. */
const rows: FilterRow[] = [
  {
    name: 'exactMatch string',
    query: { recordType: 'recipe', exactMatch: { 'data.basic.language': 'en' } },
    expect: { keys: ['r2', 'r3', 'r1'] },
  },
  {
    name: 'exactMatch is case-sensitive',
    query: { exactMatch: { 'data.exercise.exercise_type': 'main' } },
    expect: { keys: [] },
  },
  {
    name: 'exactMatch string equal',
    query: { exactMatch: { 'data.exercise.exercise_type': 'Main' } },
    expect: { keys: ['ex1'] },
  },
  {
    name: 'exactMatch number',
    query: { exactMatch: { 'data.workout.total_duration_minutes': 45 } },
    expect: { keys: ['w1'] },
  },
  {
    name: 'exactMatch number vs string (type included)',
    query: { exactMatch: { 'data.workout.total_duration_minutes': '45' } },
    expect: { keys: [] },
  },
  {
    name: 'exactMatch boolean',
    query: { exactMatch: { 'data.exercise.is_bodyweight': true } },
    expect: { keys: ['ex2'] },
  },
  {
    name: 'exactMatch two pairs incl. oip path',
    query: { exactMatch: { 'oip.recordType': 'equipment', 'data.basic.name': 'Barbell' } },
    expect: { keys: ['eq1'] },
  },
  {
    name: 'fieldSearch partial (default), case-insensitive',
    query: { fieldName: 'recipe.cuisine', fieldSearch: 'THAI' },
    expect: { keys: ['r2', 'r3'] },
  },
  {
    name: 'fieldSearch exact, data. prefix',
    query: { fieldName: 'data.recipe.cuisine', fieldSearch: 'Thai', fieldMatchMode: 'exact' },
    expect: { keys: ['r2'] },
  },
  {
    name: 'fieldSearch exact is case-sensitive',
    query: { fieldName: 'recipe.cuisine', fieldSearch: 'thai', fieldMatchMode: 'exact' },
    expect: { keys: [] },
  },
  {
    name: 'fieldSearch pairs: every pair must match (legacy 4559-4569)',
    query: { fieldName: ['basic.name', 'recipe.cuisine'], fieldSearch: ['pad', 'fusion'] },
    expect: { keys: ['r3'] },
  },
  {
    name: 'fieldSearch pairs: a name past the last search takes the last one',
    query: { fieldName: ['basic.name', 'recipe.cuisine'], fieldSearch: ['thai'] },
    expect: { keys: ['r2', 'r3'] },
  },
  {
    name: 'noDuplicates keeps the first by sort',
    query: { recordType: 'recipe', noDuplicates: true },
    expect: { keys: ['r2', 'r1'] },
  },
  {
    name: 'noDuplicates keeps every unnamed record',
    query: { recordType: 'post', noDuplicates: true },
    expect: { keys: ['n1', 'd1', 'p3', 'p2', 'n2'] },
  },
  {
    name: 'noDuplicates pages over the deduplicated set',
    query: { recordType: 'post', noDuplicates: true, limit: 2, page: 2 },
    expect: { keys: ['p3', 'p2'], total: 5 },
  },
  {
    name: 'noDuplicates by name desc',
    query: { recordType: 'recipe', noDuplicates: true, sort: { field: 'name', order: 'desc' } },
    expect: { keys: ['r1', 'r2'] },
  },
  {
    name: 'without noDuplicates duplicates stay',
    query: { recordType: 'post' },
    expect: { keys: ['n1', 'd1', 'p1', 'p3', 'p2', 'n2'] },
  },
  { name: 'exerciseNames through a dref', query: { exerciseNames: ['back squat'] }, expect: { keys: ['w1'] } },
  { name: 'exerciseNames dref or plain string', query: { exerciseNames: ['PUSH UP'] }, expect: { keys: ['w1', 'w3'] } },
  {
    name: 'exerciseNames any of',
    query: { exerciseNames: ['bench press', 'back squat'] },
    expect: { keys: ['w2', 'w1'] },
  },
  { name: 'exerciseNames is equality, not substring', query: { exerciseNames: ['squat'] }, expect: { keys: [] } },
  { name: 'exerciseDIDs', query: { exerciseDIDs: [lf('ex3'), lf('none')] }, expect: { keys: ['w2'] } },
  {
    name: 'ingredientNames through a dref, substring',
    query: { ingredientNames: ['flour'] },
    expect: { keys: ['r1'] },
  },
  {
    name: 'ingredientNames plain strings and drefs, any',
    query: { ingredientNames: ['NOODLE', 'peanut'] },
    expect: { keys: ['r2'] },
  },
  { name: 'ingredientNames plain string', query: { ingredientNames: ['syrup'] }, expect: { keys: ['r1'] } },
  { name: 'equipmentRequired through a dref', query: { equipmentRequired: ['barbell'] }, expect: { keys: ['ex1'] } },
  {
    name: 'equipmentRequired AND over dref and string',
    query: { equipmentRequired: ['dumbbell', 'bench'] },
    expect: { keys: ['ex3'] },
  },
  {
    name: 'equipmentRequired AND needs every item',
    query: { equipmentRequired: ['barbell', 'bench'] },
    expect: { keys: [] },
  },
  {
    name: 'equipmentRequired OR keeps exercises without equipment',
    query: { equipmentRequired: ['barbell', 'bench'], equipmentMatchMode: 'OR' },
    expect: { keys: ['ex1', 'ex3', 'ex4', 'ex2'] },
  },
  { name: 'equipmentRequired no match', query: { equipmentRequired: ['kettlebell'] }, expect: { keys: [] } },
  {
    name: 'exerciseType warmup ≡ Warm-Up, either field',
    query: { exerciseType: ['warmup'] },
    expect: { keys: ['ex4', 'ex2'] },
  },
  {
    name: 'exerciseType any, case-insensitive',
    query: { exerciseType: ['Cool-Down', 'MAIN'] },
    expect: { keys: ['ex1', 'ex3'] },
  },
  { name: 'cuisine substring', query: { cuisine: ['thai'] }, expect: { keys: ['r2', 'r3'] } },
  { name: 'cuisine any', query: { cuisine: ['AMER', 'nordic'] }, expect: { keys: ['r1'] } },
  {
    name: 'scheduledOn workoutSchedule, UTC day end exclusive',
    query: { recordType: 'workoutSchedule', scheduledOn: '2024-11-05' },
    expect: { keys: ['s1'] },
  },
  {
    name: 'scheduledOn mealPlan, day start inclusive',
    query: { recordType: 'mealPlan', scheduledOn: '2024-11-05' },
    expect: { keys: ['s3'] },
  },
  {
    name: 'scheduledOn keeps other record types',
    query: { tags: ['plan'], scheduledOn: '2024-11-06' },
    expect: { keys: ['r1', 's2'] },
  },
  {
    name: 'access anonymous hides private',
    query: { recordType: 'post', access: { viewerPublicKey: null } },
    expect: { keys: ['n1', 'd1', 'p3', 'n2'] },
  },
  {
    name: 'access owner_public_key',
    query: { recordType: 'post', access: { viewerPublicKey: 'pk-alice' } },
    expect: { keys: ['n1', 'd1', 'p1', 'p3', 'n2'] },
  },
  {
    name: 'access created_by',
    query: { recordType: 'post', access: { viewerPublicKey: 'pk-bob' } },
    expect: { keys: ['n1', 'd1', 'p3', 'p2', 'n2'] },
  },
  {
    name: 'anyOfTags ANDed with tags',
    query: { tags: ['plan'], anyOfTags: ['BREAKFAST', 'nothing'] },
    expect: { keys: ['r1'] },
  },
  {
    name: 'filters combine',
    query: {
      recordType: 'workout',
      exerciseNames: ['push up'],
      exactMatch: { 'data.workout.total_duration_minutes': 45 },
    },
    expect: { keys: ['w1'] },
  },
];

export const legacyFilterTable: FilterRow[] = rows.map((row) => ({ ...row, query: { sort: byName, ...row.query } }));

/** Queries every store must refuse with STORE_ERR_INVALID. */
export const invalidFilterQueries: Array<[string, SearchQuery]> = [
  ['exactMatch path outside data/oip', { exactMatch: { 'meta.x': 'y' } }],
  ['exactMatch object value', { exactMatch: { 'data.basic.name': {} as unknown as string } }],
  [
    'exactMatch too many pairs',
    { exactMatch: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`data.basic.f${i}`, 'x'])) },
  ],
  ['fieldSearch without fieldName', { fieldSearch: 'x' }],
  ['fieldName with a bad path', { fieldName: 'recipe..course', fieldSearch: 'x' }],
  ['fieldName with a bad path among several', { fieldName: ['recipe.course', 'a..b'], fieldSearch: 'x' }],
  ['too many fieldName values', { fieldName: Array.from({ length: 9 }, (_, i) => `recipe.f${i}`), fieldSearch: 'x' }],
  ['fieldMatchMode unknown', { fieldName: 'recipe.course', fieldSearch: 'x', fieldMatchMode: 'fuzzy' as 'exact' }],
  ['scheduledOn not a day', { scheduledOn: '2024-02-30' }],
  ['equipmentMatchMode unknown', { equipmentRequired: ['x'], equipmentMatchMode: 'XOR' as 'AND' }],
  ['too many list items', { cuisine: Array.from({ length: 101 }, (_, i) => `c${i}`) }],
];
