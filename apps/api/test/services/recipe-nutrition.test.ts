// recipeNutrition against legacy's calculateRecipeNutrition (oip-arweave-indexer
// helpers/elasticsearch.js 1692-1990 with its unit conversions 1305-1690): every expected summary
// below is what the legacy function returned for the same ingredients, quirks included (line
// numbers are that file's).
import { describe, expect, it } from 'vitest';
import { recipeNutrition, type NutritionTotals, type RecipeIngredient } from '../../src/services/recipe-nutrition.js';

type Info = Record<string, unknown>;
const info = (standardAmount: number, standardUnit: string, n: number[], extra: Info = {}): Info => ({
  standardAmount,
  standardUnit,
  calories: n[0],
  proteinG: n[1],
  fatG: n[2],
  carbohydratesG: n[3],
  sodiumMg: n[4],
  cholesterolMg: n[5],
  ...extra,
});
const oats = info(100, 'g', [380, 13, 7, 68, 6, 0]);
const milk = info(1, 'cup', [150, 8, 8, 12, 105, 24]);
const honey = info(1, 'tbsp', [64, 0.1, 0, 17.3, 1, 0]);
const banana = info(1, 'medium', [105, 1.3, 0.4, 27, 1, 0], { qtyInStandardAmount: 1 });

const ing = (nutritionalInfo: Info | undefined, amount: unknown, unit: unknown, comment = ''): RecipeIngredient => ({
  nutritionalInfo,
  amount,
  unit,
  comment,
});
const totals = (n: number[]): NutritionTotals => ({
  calories: n[0]!,
  proteinG: n[1]!,
  fatG: n[2]!,
  carbohydratesG: n[3]!,
  sodiumMg: n[4]!,
  cholesterolMg: n[5]!,
});

type Row = [name: string, servings: number, ingredients: RecipeIngredient[], total?: number[], perServing?: number[]];
const rows: Row[] = [
  // 1907-1923 contributions, 1946-1975 rounding; 'to taste' left out (1715-1723); '' reads as whole (1759-1763)
  [
    'g, cups as cup, an optional one, a count',
    2,
    [ing(oats, 80, 'g'), ing(milk, 0.5, 'cups'), ing(honey, 2, 'tsp', 'to taste'), ing(banana, 1, '')],
    [484, 15.7, 10, 87.4, 58, 12],
    [242, 7.9, 5, 43.7, 29, 6],
  ],
  // 1509-1523: tsp to tbsp by the volume table
  ['tsp as tbsp', 1, [ing(honey, 3, 'tsp')], [64, 0.1, 0, 17.3, 1, 0]],
  // 1658-1668: through grams
  ['oz as g', 1, [ing(oats, 4, 'oz')], [431, 14.7, 7.9, 77.1, 7, 0]],
  // 1491-1507: the base unit of "kg" is g (g comes first), so 1 kg counts as 1 g
  ['kg reads as g', 1, [ing(oats, 1, 'kg')], [4, 0.1, 0.1, 0.7, 0, 0]],
  // 1845-1852: a counted amount over qtyInStandardAmount
  [
    'count with qtyInStandardAmount',
    1,
    [ing(info(1, 'cup', [240, 3, 22, 12, 10, 0], { qtyInStandardAmount: 2 }), 2, 'whole')],
    [240, 3, 22, 12, 10, 0],
  ],
  // 1759-1763 + 1845-1852: 'unit' reads as whole
  [
    'unit with a "(1 medium potato)" standard',
    1,
    [ing(info(173, 'g (1 medium russet potato)', [164, 4.3, 0.2, 37, 13, 0]), 2, 'unit')],
    [328, 8.6, 0.4, 74, 26, 0],
  ],
  // 1804-1840 then 1861-1884: the parenthetical weight's multiplier is replaced by the fallback, which skips it
  ['"(≈170 g)" standard, skipped as legacy', 2, [ing(info(1, 'fillet (≈170 g)', [350, 34, 22, 0, 100, 95]), 24, 'oz')]],
  // 1633-1644: an unknown standard unit counts like whole
  ['unknown standard unit', 1, [ing(info(0.5, 'wheel', [100, 1, 1, 1, 1, 1]), 1, 'whole')], [200, 2, 2, 2, 2, 2]],
  // 1545-1585: a bacon slice is 16 g
  [
    'slice bacon',
    1,
    [ing(info(100, 'g', [540, 37, 42, 1.4, 1700, 110]), 3, 'slice bacon')],
    [259, 17.8, 20.2, 0.7, 816, 53],
  ],
  // 1715-1745 skips; 1609-1630 g to "medium" (18 g); 2020-2024: 1 of 4 counted meets max(1, ⌈25%⌉)
  [
    'skips and the 25% threshold met',
    1,
    [ing(banana, 100, 'g'), ing(oats, 0, 'g'), ing(undefined, 1, 'cup'), ing(milk, 1, 'cup', 'optional')],
    [583, 7.2, 2.2, 150, 6, 0],
  ],
  // 2020-2024: 1 of 5 is under max(1, ⌈25%⌉): no summary
  [
    'below the 25% threshold',
    1,
    [
      ing(oats, 0, 'g'),
      ing(undefined, 1, 'cup'),
      ing(milk, 1, 'cup', 'optional'),
      ing(honey, 1, 'cup', 'as desired'),
      ing(oats, 10, 'g'),
    ],
  ],
  // 1587-1607: cloves to grams (3 g each)
  ['cloves as g', 1, [ing(info(10, 'g', [15, 0.6, 0, 3.3, 2, 0]), 2, 'cloves')], [9, 0.4, 0, 2, 1, 0]],
  [
    'ml as cup, per serving of 3',
    3,
    [ing(milk, 120, 'ml'), ing(oats, 50, 'g')],
    [265, 10.5, 7.5, 40, 56, 12],
    [88, 3.5, 2.5, 13.3, 19, 4],
  ],
  ['pinch as tsp', 1, [ing(info(1, 'tsp', [0, 0, 0, 0, 2325, 0]), 1, 'pinch')], [0, 0, 0, 0, 145, 0]],
];

describe('recipeNutrition as legacy calculateRecipeNutrition', () => {
  it.each(rows)('%s', (_name, servings, ingredients, total, perServing) => {
    const out = recipeNutrition(ingredients, servings);
    const want =
      total === undefined
        ? undefined
        : { total: totals(total), perServing: totals(perServing ?? total.map((n) => n / servings)) };
    expect(out && { total: out.total, perServing: out.perServing }).toEqual(want);
  });
});
