// A recipe's nutrition summary as legacy computes it (oip-arweave-indexer helpers/elasticsearch.js
// calculateRecipeNutrition 1692-1990, addRecipeNutritionalSummary 1993-2058): each ingredient's
// nutritionalInfo (proteinG, fatG, ... per standardAmount of standardUnit) scaled by the recipe's
// amount in that unit (unit-conversion.ts), summed, and divided by the servings. Ingredients marked
// optional, without an amount, without nutritionalInfo or in a unit legacy cannot convert are left
// out; with fewer than a quarter of the ingredients counted there is no summary.
import { convertUnits, convertToGrams, isCountUnit, normalizeUnit, parseUnit } from './unit-conversion.js';

/** The six values legacy sums, in its order. */
const NUTRIENTS = [
  ['calories', 0],
  ['proteinG', 1],
  ['fatG', 1],
  ['carbohydratesG', 1],
  ['sodiumMg', 0],
  ['cholesterolMg', 0],
] as const;

export type NutritionTotals = Record<(typeof NUTRIENTS)[number][0], number>;

export interface RecipeIngredient {
  amount: unknown;
  unit: unknown;
  comment: string;
  /** The ingredient's data.nutritionalInfo, when known. */
  nutritionalInfo: Record<string, unknown> | undefined;
}

export interface NutritionSummary {
  total: NutritionTotals;
  perServing: NutritionTotals;
  processedIngredients: number;
  totalIngredients: number;
}

const OPTIONAL = ['optional', 'as desired', 'to taste'];
const valid = (n: number | null): n is number => n !== null && !Number.isNaN(n);
const round = (n: number, decimals: number): number => Math.round(n * 10 ** decimals) / 10 ** decimals;

/** "(1 medium russet potato)" in a standard unit: how many items the standard amount is. */
function descriptorCount(standardUnit: string): number | undefined {
  const m = /\((\d+(?:\.\d+)?)\s+([^)]+)\)/.exec(standardUnit);
  return m ? parseFloat(m[1]!) : undefined;
}

/** "(≈170 g)" in a standard unit: the weight it names. */
function parentheticalWeight(standardUnit: string): { amount: number; unit: string } | undefined {
  const m = /\((?:≈|~)?(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\)/i.exec(standardUnit);
  return m ? { amount: parseFloat(m[1]!), unit: m[2]!.toLowerCase().trim() } : undefined;
}

/** How many standard amounts the recipe's amount is; undefined when legacy skips the ingredient. */
function multiplierOf(ing: RecipeIngredient, info: Record<string, unknown>): number | undefined {
  const amount = Number(ing.amount);
  if (!amount || amount <= 0) return undefined;
  const standardAmount = Number(info['standardAmount']);
  const rawStandardUnit = info['standardUnit'];
  const qty = Number(info['qtyInStandardAmount']) || 1;
  if (!standardAmount || standardAmount <= 0 || typeof rawStandardUnit !== 'string' || !rawStandardUnit)
    return undefined;
  // Legacy throws (and skips) on a unit that is not text.
  if (ing.unit && typeof ing.unit !== 'string') return undefined;
  const unit = typeof ing.unit !== 'string' || ing.unit.trim() === '' || ing.unit === 'unit' ? 'whole' : ing.unit;
  const recipeUnit = parseUnit(unit);
  const standardUnit = parseUnit(rawStandardUnit);
  const count = descriptorCount(rawStandardUnit);
  let converted = convertUnits(amount, recipeUnit, standardUnit);
  if (!valid(converted) && standardUnit !== rawStandardUnit)
    converted = convertUnits(amount, recipeUnit, normalizeUnit(rawStandardUnit));
  let multiplier: number | undefined;
  if (!valid(converted) && rawStandardUnit.includes('(')) {
    const weight = parentheticalWeight(rawStandardUnit);
    const inWeight = weight ? convertUnits(amount, recipeUnit, weight.unit) : null;
    if (weight && valid(inWeight)) multiplier = inWeight / (standardAmount === 1 ? weight.amount : standardAmount);
  }
  const recipeCounts = isCountUnit(recipeUnit);
  const standardCounts = isCountUnit(standardUnit);
  if (!multiplier && valid(converted)) multiplier = converted / standardAmount;
  else if (!multiplier && recipeCounts && qty > 0) multiplier = amount / qty;
  else if (!multiplier && count !== undefined && recipeCounts) multiplier = amount / count;
  // Legacy's fallback also runs when the parenthetical weight gave a multiplier, and replaces it.
  else if (recipeUnit.toLowerCase().trim() === standardUnit.toLowerCase().trim()) multiplier = amount / standardAmount;
  else if (recipeCounts && standardCounts) multiplier = amount / standardAmount;
  else if (recipeCounts) {
    if (count === undefined) return undefined;
    multiplier = amount / count;
  } else if (standardCounts) return undefined;
  else {
    const grams = convertToGrams(amount, recipeUnit);
    const standardGrams = convertToGrams(standardAmount, standardUnit);
    if (grams === null || standardGrams === null) return undefined;
    multiplier = grams / standardGrams;
  }
  return Number.isNaN(multiplier) || multiplier < 0 ? undefined : multiplier;
}

/** The summary, or undefined when fewer than max(1, ⌈25%⌉) of the ingredients could be counted. */
export function recipeNutrition(
  ingredients: readonly RecipeIngredient[],
  servings: number,
): NutritionSummary | undefined {
  const totals: NutritionTotals = {
    calories: 0,
    proteinG: 0,
    fatG: 0,
    carbohydratesG: 0,
    sodiumMg: 0,
    cholesterolMg: 0,
  };
  let processed = 0;
  for (const ing of ingredients) {
    const comment = ing.comment.toLowerCase();
    if (OPTIONAL.some((w) => comment.includes(w))) continue;
    const info = ing.nutritionalInfo;
    if (info === undefined) continue;
    const multiplier = multiplierOf(ing, info);
    if (multiplier === undefined) continue;
    for (const [k] of NUTRIENTS) totals[k] += Number(info[k] || 0) * multiplier;
    processed++;
  }
  if (processed < Math.max(1, Math.ceil(ingredients.length * 0.25))) return undefined;
  const total = {} as NutritionTotals;
  const perServing = {} as NutritionTotals;
  for (const [k, decimals] of NUTRIENTS) {
    total[k] = round(totals[k], decimals);
    perServing[k] = round(totals[k] / servings, decimals);
  }
  return { total, perServing, processedIngredients: processed, totalIngredients: ingredients.length };
}
