// summarizeRecipe=true (oip-arweave-indexer helpers/elasticsearch.js getRecords 3526-3535, and
// helpers/utils.js resolveRecords 309-312, 358-361): each recipe of the answer gets its nutrition
// summary (recipe-nutrition.ts) in its data, `calculatedSummaryNutritionalInfo` and
// `…PerServing` on a listed recipe, `summaryNutritionalInfo` and `…PerServing` on a recipe resolved
// inside another record (a meal plan's meal_reference). An ingredient resolved in the answer gives its
// own nutritionalInfo; one left as a DID is looked up, all of an answer's in one store query (the
// dref resolver's lookup: the caller's access, the relay for a `did:gun:` the store lacks).
import type { OipRecord } from '@oip/record-store';
import { isObject } from '@oip/records';
import type { DrefResolverDeps } from './dref-resolver.js';
import { recipeNutrition, type RecipeIngredient } from './recipe-nutrition.js';

/** Most ingredient DIDs one answer looks up (a page of recipes with their ingredients). */
export const MAX_INGREDIENT_LOOKUPS = 5000;

type Obj = Record<string, unknown>;

interface Target {
  data: Obj;
  recipe: Obj;
  prefix: 'calculatedSummary' | 'summary';
}

const isDid = (v: unknown): v is string => typeof v === 'string' && v.startsWith('did:');
const isRecord = (v: unknown): v is Obj & { data: Obj; oip: Obj } => isObject(v) && isObject(v.data) && isObject(v.oip);
const at = (list: unknown, i: number): unknown =>
  Array.isArray(list) || typeof list === 'string' ? (list as ArrayLike<unknown>)[i] : undefined;

/** The recipe of `rec`, when legacy would summarise it (the ingredient lists it needs present). */
function recipeOf(rec: { data: Obj; oip: Obj }): Obj | undefined {
  const recipe = rec.data['recipe'];
  if (rec.oip['recordType'] !== 'recipe' || !isObject(recipe)) return undefined;
  if (!recipe['ingredient'] || !recipe['ingredient_amount'] || !recipe['ingredient_unit']) return undefined;
  // Legacy maps over the ingredients and gives up on anything else.
  return Array.isArray(recipe['ingredient']) ? recipe : undefined;
}

/** The recipes of the answer: the listed ones and those resolved inside any record of it. */
function targetsOf(records: readonly OipRecord[]): Target[] {
  const out: Target[] = [];
  const stack: Obj[] = [];
  for (const r of records) {
    const rec = r as unknown as { data: Obj; oip: Obj };
    const recipe = recipeOf(rec);
    if (recipe) out.push({ data: rec.data, recipe, prefix: 'calculatedSummary' });
    stack.push(rec.data);
  }
  // The resolved tree is bounded by the resolver's node limit; each data object is walked once.
  const seen = new WeakSet<Obj>();
  while (stack.length > 0) {
    const data = stack.pop()!;
    if (seen.has(data)) continue;
    seen.add(data);
    for (const fields of Object.values(data)) {
      if (!isObject(fields)) continue;
      for (const value of Object.values(fields)) {
        for (const v of Array.isArray(value) ? value : [value]) {
          if (!isRecord(v)) continue;
          const recipe = recipeOf(v);
          if (recipe && !seen.has(v.data)) out.push({ data: v.data, recipe, prefix: 'summary' });
          stack.push(v.data);
        }
      }
    }
  }
  return out;
}

async function lookUp(dids: string[], deps: DrefResolverDeps): Promise<Map<string, OipRecord>> {
  if (dids.length === 0) return new Map();
  const found = await deps.getMany(dids);
  const missing = dids.filter((d) => !found.has(d) && d.startsWith('did:gun:'));
  if (missing.length > 0 && deps.fetchMissing) {
    for (const [did, rec] of await deps.fetchMissing(missing)) found.set(did, rec);
  }
  return found;
}

/** Adds the summaries to the recipes of `records` (resolved as the answer is), in place. */
export async function summarizeRecipes(records: readonly OipRecord[], deps: DrefResolverDeps): Promise<void> {
  const targets = targetsOf(records);
  if (targets.length === 0) return;
  const wanted = new Set<string>();
  for (const t of targets) for (const ref of t.recipe['ingredient'] as unknown[]) if (isDid(ref)) wanted.add(ref);
  const found = await lookUp([...wanted].slice(0, MAX_INGREDIENT_LOOKUPS), deps);
  for (const { data, recipe, prefix } of targets) {
    const comments = recipe['ingredient_comment'];
    const ingredients = (recipe['ingredient'] as unknown[]).map((ref, i): RecipeIngredient => {
      const comment = at(comments, i) || '';
      const source = isDid(ref) ? found.get(ref) : isRecord(ref) ? ref : undefined;
      const info = source?.data['nutritionalInfo'];
      return {
        amount: at(recipe['ingredient_amount'], i),
        unit: at(recipe['ingredient_unit'], i),
        comment: typeof comment === 'string' ? comment : '',
        // A comment that is not text made legacy skip the ingredient (it threw on toLowerCase).
        nutritionalInfo: isObject(info) && typeof comment === 'string' ? info : undefined,
      };
    });
    const summary = recipeNutrition(ingredients, Number(recipe['servings'] || 1));
    if (!summary) continue;
    data[`${prefix}NutritionalInfo`] = summary.total;
    data[`${prefix}NutritionalInfoPerServing`] = summary.perServing;
  }
}
