// The one per-type table, read by publish (recordProblems) and sync (validateRecord), and the
// disagreements the two copies had before it (each resolved one way, see record-types.ts).
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  BASIC_RULE,
  CATEGORY_RULES,
  DOUBLE_FIELD_PATHS,
  KNOWN_RECORD_TYPES,
  recordProblems,
  validateRecord,
} from '../src/index.js';
import { legacyRecord } from '@oip/test-kit';

/** A synced record of `recordType` whose own category is `category`. */
function synced(recordType: string, category: Record<string, unknown>) {
  const r = legacyRecord('t');
  r.oip['recordType'] = recordType;
  r.data = { basic: { name: 'n' }, [recordType]: category };
  return r;
}
const publish = (recordType: string, category: Record<string, unknown>) =>
  recordProblems(recordType, { basic: { name: 'n' }, [recordType]: category });

const SAMPLES: unknown[] = [
  'text',
  '',
  'did:gun:647f79c2a338:a',
  'did:arweave:Xy12',
  'x'.repeat(20_000),
  0,
  5,
  -1,
  1.5,
  null,
  true,
  {},
  [],
  ['a', 'b'],
  ['did:gun:647f79c2a338:a'],
  [null],
  [1, 2],
  [{ a: 1 }],
];

describe('the per-type table', () => {
  it('has a rule for every type the legacy node indexes, and no other', () => {
    expect([...CATEGORY_RULES.keys()].sort()).toEqual([...KNOWN_RECORD_TYPES].sort());
  });

  it('syncs whatever it lets this node publish: every strict form lies within its lenient one', () => {
    const checked: string[] = [];
    for (const [type, rule] of [['basic', BASIC_RULE] as const, ...CATEGORY_RULES]) {
      for (const [name, field] of Object.entries(rule.fields)) {
        for (const v of SAMPLES) {
          if (!Value.Check(field.publish, v)) continue;
          checked.push(`${type}.${name}`);
          expect(Value.Check(field.sync, v), `${type}.${name} = ${JSON.stringify(v).slice(0, 40)}`).toBe(true);
        }
      }
    }
    expect(new Set(checked).size).toBeGreaterThan(40);
  });
});

describe('mealPlan: legacy shape (meal_date, meal_reference) on both sides', () => {
  it('publishes a meal plan with meal_date and refuses the shape publish used to require (meal + scheduled_date)', () => {
    expect(publish('mealPlan', { meal_date: 1730764800, meal_reference: ['did:arweave:recipe1'] })).toEqual([]);
    const old = publish('mealPlan', { meal: ['did:gun:647f79c2a338:m'], scheduled_date: 1730764800 });
    expect([...new Set(old.map((p) => p.path))]).toEqual(['data.mealPlan.meal_date']);
    expect(publish('mealPlan', { meal_date: '2024-11-05' })[0]?.path).toBe('data.mealPlan.meal_date');
  });

  it('syncs legacy meal plans (meal_date as a number or, in old data, a string) and checks meal_reference as drefs', () => {
    expect(validateRecord(synced('mealPlan', { meal_date: 1730764800, meal_reference: 'did:arweave:r' }))).toEqual({
      ok: true,
    });
    expect(validateRecord(synced('mealPlan', { meal_date: '1730764800' }))).toEqual({ ok: true });
    const bad = validateRecord(synced('mealPlan', { meal_date: { day: 1 } }));
    expect(bad.ok ? '' : bad.message).toMatch(/\/data\/mealPlan\/meal_date/);
    const notDref = validateRecord(synced('mealPlan', { meal_reference: 'chicken salad' }));
    expect(notDref.ok ? '' : notDref.message).toMatch(/\/data\/mealPlan\/meal_reference/);
  });
});

describe('the other disagreements, resolved', () => {
  it('checks at publish the fields sync checks (publish accepted what every node then dead-lettered)', () => {
    expect(publish('image', { width: 'wide' })[0]?.path).toBe('data.image.width');
    expect(publish('post', { articleText: 'a', webUrl: 42 })[0]?.path).toBe('data.post.webUrl');
    expect(publish('recipe', { instructions: [{ step: 1 }] })[0]?.path).toBe('data.recipe.instructions');
    expect(publish('exercise', { muscleGroups: 'chest' })[0]?.path).toBe('data.exercise.muscleGroups');
    expect(publish('creatorRegistration', { handle: 7 })[0]?.path).toBe('data.creatorRegistration.handle');
    // A type whose category publish never required still does not require it.
    expect(recordProblems('image', { basic: { name: 'n' } })).toEqual([]);
  });

  it('checks at sync, leniently, the fields only publish checked (exercise_name, item_units)', () => {
    expect(validateRecord(synced('workout', { exercise_name: ['Squat', null] }))).toEqual({ ok: true });
    const w = validateRecord(synced('workout', { exercise_name: { first: 'Squat' } }));
    expect(w.ok ? '' : w.message).toMatch(/exercise_name/);
    expect(validateRecord(synced('shoppingList', { item_units: ['cup', 2] }))).toEqual({ ok: true });
    const s = validateRecord(synced('shoppingList', { item_units: 'cups' }));
    expect(s.ok ? '' : s.message).toMatch(/item_units/);
  });

  it('syncs the null list fields legacy records carry (ingredient_amount, exercise, item: null)', () => {
    expect(validateRecord(synced('recipe', { ingredient: null, ingredient_amount: null }))).toEqual({ ok: true });
    expect(validateRecord(synced('workout', { exercise: null, exercise_amount: null }))).toEqual({ ok: true });
    expect(validateRecord(synced('shoppingList', { item: null, item_amounts: null }))).toEqual({ ok: true });
    // Still refused: a list field holding an object would corrupt the index's mapping.
    expect(validateRecord(synced('recipe', { ingredient_amount: { a: 1 } })).ok).toBe(false);
  });

  it('keeps recipe ingredients as names or drefs at publish, drefs or any list at sync', () => {
    expect(publish('recipe', { ingredient: ['flour', 'eggs'] })).toEqual([]);
    expect(publish('recipe', { ingredient: 'did:arweave:flour' })).toEqual([]);
    expect(publish('recipe', { ingredient: 'flour' })[0]?.path).toBe('data.recipe.ingredient');
    expect(validateRecord(synced('recipe', { ingredient: ['flour', 'did:gun:647f79c2a338:e'] }))).toEqual({ ok: true });
    expect(validateRecord(synced('recipe', { ingredient: 'flour' })).ok).toBe(false);
  });

  it('requires scheduled_date when publishing a workoutSchedule, as unix seconds; sync takes legacy strings', () => {
    expect(publish('workoutSchedule', { workout: ['did:gun:647f79c2a338:w'] })[0]).toMatchObject({
      path: 'data.workoutSchedule.scheduled_date',
    });
    expect(publish('workoutSchedule', { scheduled_date: 1730764800 })).toEqual([]);
    expect(validateRecord(synced('workoutSchedule', { scheduled_date: '2024-11-05' }))).toEqual({ ok: true });
  });

  it('names the category a typed record lacks, and every category that is not an object', () => {
    expect(recordProblems('workout', { basic: { name: 'n' } })).toEqual([
      { path: 'data.workout', rule: 'is required for a workout' },
    ]);
    expect(recordProblems('post', { basic: { name: 'n' }, post: {}, extra: 'x' })).toEqual([
      { path: 'data.extra', rule: 'a category must be an object of fields' },
    ]);
    expect(recordProblems('constructor', { basic: { name: 'n' } })).toEqual([]);
    expect(recordProblems('post', [])).toEqual([{ path: 'data', rule: 'must be an object of categories' }]);
  });
});

describe("nutritionalInfo under legacy's names, and the quantities the stores fix as double", () => {
  // Legacy writes nutritionalInfo as helpers/nutritional-helper-openai.js:280-306 asks for it and
  // reads it in calculateRecipeNutrition (helpers/elasticsearch.js:1749-1751, 1908-1915).
  const legacyNutrition = {
    standardAmount: 100,
    standardUnit: 'g',
    qtyInStandardAmount: 1,
    calories: 389,
    proteinG: 16.9,
    fatG: 6.9,
    carbohydratesG: 66.3,
    sodiumMg: 2,
    cholesterolMg: 0,
    allergens: ['gluten'],
    glutenFree: false,
    organic: true,
  };

  it("publishes and syncs legacy's nutritionalInfo, and checks its fields under those names", () => {
    expect(publish('nutritionalInfo', legacyNutrition)).toEqual([]);
    expect(validateRecord(synced('nutritionalInfo', legacyNutrition))).toEqual({ ok: true });
    expect(publish('nutritionalInfo', { ...legacyNutrition, proteinG: '16.9' })[0]?.path).toBe(
      'data.nutritionalInfo.proteinG',
    );
    expect(publish('nutritionalInfo', { ...legacyNutrition, standardUnit: 100 })[0]?.path).toBe(
      'data.nutritionalInfo.standardUnit',
    );
    const bad = validateRecord(synced('nutritionalInfo', { ...legacyNutrition, sodiumMg: { mg: 2 } }));
    expect(bad.ok ? '' : bad.message).toMatch(/\/data\/nutritionalInfo\/sodiumMg/);
    expect(Object.keys(CATEGORY_RULES.get('nutritionalInfo')!.fields)).not.toContain('protein_g');
  });

  it('lists the quantities of every FitnessAlly type as double paths, and no text, date or dref field', () => {
    for (const path of [
      'data.recipe.ingredient_amount',
      'data.recipe.servings',
      'data.nutritionalInfo.proteinG',
      'data.nutritionalInfo.standardAmount',
      'data.nutritionalInfo.qtyInStandardAmount',
      'data.workout.total_duration_minutes',
      'data.workout.exercise_amount',
      'data.exercise.recommended_sets',
      'data.exercise.recommended_reps',
      'data.shoppingList.item_amounts',
      'data.mealPlan.servings',
    ]) {
      expect(DOUBLE_FIELD_PATHS, path).toContain(path);
    }
    for (const path of [
      'data.nutritionalInfo.standardUnit',
      'data.recipe.ingredient',
      'data.mealPlan.meal_date',
      'data.workoutSchedule.scheduled_date',
      'data.basic.date',
    ]) {
      expect(DOUBLE_FIELD_PATHS, path).not.toContain(path);
    }
  });
});
