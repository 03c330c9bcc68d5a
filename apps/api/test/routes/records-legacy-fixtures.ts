// The records of records-legacy-query.test.ts: every FitnessAlly type its rows filter, sort and
// summarise, with the dates, drefs and quantities each row needs.
import type { OipRecord } from '@oip/record-store';
import { rec } from '../helpers.js';

export const P = 'q1a2b3c4d5e6';
export const did = (k: string): string => `did:gun:${P}:${k}`;
export const at = (iso: string): number => Date.parse(iso) / 1000;

export function fixtures() {
  return [
    // basic.date far from the scheduled date, so a row shows which one was filtered.
    rec(`${P}:s1`, 'workoutSchedule', { scheduled_date: at('2024-11-05T23:59:59Z') }, { date: at('2030-01-01') }),
    rec(`${P}:s2`, 'workoutSchedule', { scheduled_date: at('2024-11-06T00:00:00Z') }, { date: at('2000-01-01') }),
    rec(`${P}:m1`, 'mealPlan', { meal_date: at('2024-11-05T08:00:00Z') }, { date: at('2030-01-01') }),
    rec(`${P}:m2`, 'mealPlan', { meal_date: at('2024-11-07T08:00:00Z') }, { date: at('2000-01-01') }),
    rec(
      `${P}:p1`,
      'post',
      {},
      { name: 'Kettlebell swings', date: at('2024-11-05T12:00:00Z'), tagItems: ['kb', 'strength'] },
    ),
    rec(`${P}:p2`, 'post', {}, { name: 'Tempo run', date: at('2024-11-08T12:00:00Z'), tagItems: ['strength'] }),
    rec(`${P}:p3`, 'post', {}, { name: 'Morning stretch', description: 'gentle mobility', tagItems: ['yoga'] }),
    rec(`${P}:x1`, 'exercise', { exercise_type: 'Main', equipmentRequired: ['Barbell'] }, { name: 'Back Squat' }),
    rec(`${P}:x2`, 'exercise', { exercise_type: 'Warm-Up', equipmentRequired: ['Mat'] }, { name: 'Push Up' }),
    // Equipment by dref (named by the referenced record) and by name.
    rec(`${P}:e1`, 'equipment', {}, { name: 'Dumbbell' }),
    rec(`${P}:e2`, 'equipment', {}, { name: 'Flat Bench' }),
    rec(`${P}:x3`, 'exercise', { equipmentRequired: [did('e1'), did('e2')] }, { name: 'Goblet Lunge' }),
    rec(`${P}:x4`, 'exercise', { equipmentRequired: ['Dumbbell'] }, { name: 'Biceps Curl' }),
    // wa matches fewer of the requested exercises than wb: the DID order (wa first) is not the score order.
    rec(`${P}:wa`, 'workout', { exercise: [did('x2')] }, { name: 'Quick' }),
    rec(`${P}:wb`, 'workout', { exercise: [did('x1'), did('x2')] }, { name: 'Full' }),
    // Ingredients (legacy's nutritionalInfo fields, per standardAmount of standardUnit) and recipes.
    // Their quantities are double from the start in both stores (DOUBLE_FIELD_PATHS), whatever comes first.
    rec(`${P}:i0`, 'nutritionalInfo', nutrition(28.5, 'g', [138.5, 4.7, 8.7, 11.9, 5.3, 0.5]), { name: 'Chia Seeds' }),
    rec(
      `${P}:r0`,
      'recipe',
      { ingredient: ['Salt'], ingredient_amount: [0.5], ingredient_unit: ['tsp'] },
      { name: 'Brine' },
    ),
    rec(`${P}:i1`, 'nutritionalInfo', nutrition(100, 'g', [380, 13, 7, 68, 6, 0]), { name: 'Rolled Oats' }),
    rec(`${P}:i2`, 'nutritionalInfo', nutrition(1, 'cup', [150, 8, 8, 12, 105, 24]), { name: 'Whole Milk' }),
    rec(`${P}:i3`, 'nutritionalInfo', nutrition(1, 'tbsp', [64, 0.1, 0, 17.3, 1, 0]), { name: 'Honey' }),
    rec(`${P}:i4`, 'nutritionalInfo', nutrition(1, 'medium', [105, 1.3, 0.4, 27, 1, 0]), { name: 'Banana' }),
    rec(
      `${P}:r1`,
      'recipe',
      {
        ingredient: [did('i1'), did('i2'), did('i3'), did('i4')],
        ingredient_amount: [80, 0.5, 2, 1],
        ingredient_unit: ['g', 'cups', 'tsp', ''],
        ingredient_comment: ['', '', 'to taste', ''],
        servings: 2,
        cuisine: 'American',
      },
      { name: 'Overnight Oats' },
    ),
    // One of two ingredients known (a name, not a dref): still a summary (at least 25%).
    rec(
      `${P}:r2`,
      'recipe',
      {
        ingredient: [did('i2'), 'Rice noodles'],
        ingredient_amount: [1, 200],
        ingredient_unit: ['cup', 'g'],
        cuisine: 'Thai',
      },
      { name: 'Pad Thai' },
    ),
    // No ingredient with nutritionalInfo: no summary.
    rec(
      `${P}:r3`,
      'recipe',
      {
        ingredient: ['Bread', 'Butter'],
        ingredient_amount: [2, 1],
        ingredient_unit: ['slices', 'tbsp'],
        cuisine: 'Thai Fusion Street',
      },
      { name: 'Plain Toast' },
    ),
    // Two dref fields, one of them to a recipe, for resolveFieldName and the nested summary.
    rec(`${P}:mn`, 'menu', { dish: [did('r1')], drink: did('i2') }, { name: 'Weekend menu' }),
    // Model providers: supported_models a list or a comma-separated string, for model and modelScore.
    rec(`${P}:mp1`, 'modelProvider', { supported_models: ['GPT-4o', 'claude-3'] }, { name: 'Provider Alpha' }),
    rec(`${P}:mp2`, 'modelProvider', { supported_models: 'llama3, mistral' }, { name: 'Provider Beta' }),
    rec(
      `${P}:mp3`,
      'modelProvider',
      { supported_models: ['claude-3-opus', 'llama3', 'gpt-4o'] },
      { name: 'Provider Gamma' },
    ),
    // oip.ver and the creator's handle differ, for sortBy=ver and sortBy=creatorHandle.
    versioned(rec(`${P}:n1`, 'note', {}, { name: 'Note alpha' }), '2', 'zed'),
    versioned(rec(`${P}:n2`, 'note', {}, { name: 'Note beta' }), '10', 'amy'),
    versioned(rec(`${P}:n3`, 'note', {}, { name: 'Note gamma' }), '3', 'Bob'),
  ];
}

function nutrition(standardAmount: number, standardUnit: string, n: number[]) {
  const [calories, proteinG, fatG, carbohydratesG, sodiumMg, cholesterolMg] = n;
  return { standardAmount, standardUnit, calories, proteinG, fatG, carbohydratesG, sodiumMg, cholesterolMg };
}

function versioned(r: OipRecord, ver: string, creatorHandle: string): OipRecord {
  return { ...r, oip: { ...r.oip, ver, creator: { ...r.oip.creator, creatorHandle } } };
}

/** Legacy's six summed values, in its order (helpers/elasticsearch.js 1946-1975). */
export function totals(n: number[]) {
  const [calories, proteinG, fatG, carbohydratesG, sodiumMg, cholesterolMg] = n;
  return { calories, proteinG, fatG, carbohydratesG, sodiumMg, cholesterolMg };
}
