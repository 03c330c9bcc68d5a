// The fields legacy getRecords adds to each record of an answer (oip-arweave-indexer
// helpers/elasticsearch.js, the post-processing after the query), computed here on the records the
// store matched: `score` (tags), `matchCount` (search), the exercise / ingredient / equipment /
// exercise-type / cuisine / model scores and matched counts. Names behind drefs (a workout's exercises, a
// recipe's ingredients, an exercise's equipment) come from one getMany of the referenced DIDs.
import type { OipRecord } from '@oip/record-store';
import { exerciseTypeAliases } from '@oip/record-store';

export interface ScoreParams {
  recordType?: string | undefined;
  tags?: string[] | undefined;
  search?: string | undefined;
  exerciseNames?: string[] | undefined;
  exerciseDIDs?: string[] | undefined;
  ingredientNames?: string[] | undefined;
  equipmentRequired?: string[] | undefined;
  equipmentMatchMode?: 'AND' | 'OR' | undefined;
  exerciseType?: string[] | undefined;
  cuisine?: string[] | undefined;
  /** The requested models, set only with recordType=modelProvider (as legacy scores them). */
  model?: string[] | undefined;
  /** fieldName (under data, `data.` optional) and fieldSearch: the pairs fieldSearchScore compares. */
  fieldName?: string | readonly string[] | undefined;
  fieldSearch?: string | readonly string[] | undefined;
}

export type Scored = OipRecord & Record<string, unknown>;

const isDid = (v: unknown): v is string => typeof v === 'string' && /^did:(gun|arweave):/.test(v);
const lower = (v: unknown): string => (typeof v === 'string' ? v.toLowerCase() : '');
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const ratio = (n: number, of: number): string => (of === 0 ? '0.000' : (n / of).toFixed(3));

/** The DIDs whose names the scores of `records` need (bounded by the caller's page or window). */
export function referencedDids(records: readonly OipRecord[], p: ScoreParams): string[] {
  const out = new Set<string>();
  for (const r of records) {
    if (p.exerciseNames && p.recordType === 'workout') asList(r.data['workout']?.['exercise']).forEach(add);
    if (p.ingredientNames && p.recordType === 'recipe') asList(r.data['recipe']?.['ingredient']).forEach(add);
    if (p.equipmentRequired && p.recordType === 'exercise') {
      asList(r.data['exercise']?.['equipmentRequired']).forEach(add);
      asList(r.data['exercise']?.['equipment']).forEach(add);
    }
  }
  for (const eq of p.equipmentRequired ?? []) add(eq);
  return [...out];
  function add(v: unknown): void {
    if (isDid(v)) out.add(v);
  }
}

/** Order similarity of legacy's exerciseNames / ingredientNames / exerciseDIDs (3437-3492): matched ratio plus 0.1 per requested item found in order. */
function orderScore(have: readonly string[], wanted: readonly string[]): { score: number; matched: number } {
  let matched = 0;
  let bonus = 0;
  let last = -1;
  for (const w of wanted) {
    const i = have.indexOf(w);
    if (i >= 0) matched++;
    if (i > last) {
      bonus += 0.1;
      last = i;
    }
  }
  return { score: matched / wanted.length + bonus / wanted.length, matched };
}

/** Longest strings legacy's edit-distance fallback is run on here (it never is on a value the store matched). */
const MAX_EDIT_DISTANCE_LENGTH = 256;

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! : Math.min(prev[j - 1]!, prev[j]!, row[j - 1]!) + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * 2939-2972: legacy's similarity of a field's value to fieldSearch: equal 1000, prefix 900, suffix
 * 800, a whole word 700, inside 600, else by edit distance up to 500. The search is matched as text
 * (legacy built a RegExp from it, so `(` answered 500 and `.` matched any character).
 */
export function similarity(value: string, search: string): number {
  const v = value.toLowerCase().trim();
  const s = search.toLowerCase().trim();
  if (v === s) return 1000;
  if (v.startsWith(s)) return 900;
  if (v.endsWith(s)) return 800;
  if (new RegExp(`\\b${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(v)) return 700;
  if (v.includes(s)) return 600;
  if (v.length > MAX_EDIT_DISTANCE_LENGTH || s.length > MAX_EDIT_DISTANCE_LENGTH) return 0;
  return Math.floor((1 - editDistance(v, s) / Math.max(v.length, s.length)) * 500);
}

/** 2979-2990: the value at a dotted path under data, or undefined. */
function dataAt(r: OipRecord, path: string): unknown {
  let v: unknown = r.data;
  for (const seg of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

/** 2993-3000: each fieldName (`data.` dropped) with the fieldSearch of its position, or the last one. */
function pairs(
  name: string | readonly string[] | undefined,
  search: string | readonly string[] | undefined,
): Array<[string, string]> {
  const names = typeof name === 'string' ? [name] : (name ?? []);
  const searches = typeof search === 'string' ? [search] : (search ?? []);
  if (searches.length === 0) return [];
  return names.map((n, i) => [n.startsWith('data.') ? n.slice(5) : n, searches[Math.min(i, searches.length - 1)]!]);
}

/** `records` with legacy's added fields; `names` maps a referenced DID to its lower-cased basic.name. */
export function addScores(records: readonly OipRecord[], p: ScoreParams, names: ReadonlyMap<string, string>): Scored[] {
  const nameOf = (v: unknown): string => (isDid(v) ? (names.get(v) ?? '') : lower(v));
  const searchTerms = p.search === undefined ? [] : p.search.toLowerCase().split(' ').filter(Boolean);
  const tags = p.tags?.map((t) => t.toLowerCase());
  const requiredEquipment = p.equipmentRequired?.map(nameOf);
  const types = p.exerciseType?.map((t) => exerciseTypeAliases(t));
  const cuisine = p.cuisine?.map((c) => c.toLowerCase());
  const models = p.model?.map((m) => m.toLowerCase());
  const fieldPairs = pairs(p.fieldName, p.fieldSearch);
  return records.map((r) => {
    const out: Scored = { ...r };
    const basic = r.data['basic'] ?? {};
    // 2737-2751: tags score, the share of the requested tags the record carries, 3 decimals
    if (tags) {
      const mine = asList(basic['tagItems']).map(lower);
      out['score'] = ratio(tags.filter((t) => mine.includes(t)).length, tags.length);
    }
    // 2753-2771: matchCount, the search terms found (substring) in the name, description or a tag
    if (p.search !== undefined) {
      const texts = [lower(basic['name']), lower(basic['description']), ...asList(basic['tagItems']).map(lower)];
      out['matchCount'] = searchTerms.filter((t) => texts.some((s) => s.includes(t))).length;
    }
    // 2774-2883: equipmentScore / equipmentMatchedCount (names either way round; none held: all in OR mode)
    if (requiredEquipment && p.recordType === 'exercise') {
      const ex = r.data['exercise'] ?? {};
      const held = [...asList(ex['equipmentRequired']), ...asList(ex['equipment'])].map(nameOf).filter(Boolean);
      const n =
        held.length === 0 && p.equipmentMatchMode === 'OR'
          ? requiredEquipment.length
          : requiredEquipment.filter((want) => held.some((h) => h.includes(want) || want.includes(h))).length;
      out['equipmentScore'] = ratio(n, requiredEquipment.length);
      out['equipmentMatchedCount'] = n;
    }
    // 2885-2902: exerciseTypeScore / exerciseTypeMatchedCount
    if (types && p.recordType === 'exercise') {
      const t = lower(r.data['exercise']?.['exercise_type'] ?? r.data['exercise']?.['exerciseType']);
      const n = types.filter((aliases) => aliases.includes(t)).length;
      out['exerciseTypeScore'] = ratio(n, types.length);
      out['exerciseTypeMatchedCount'] = n;
    }
    // 2904-2917: cuisineScore / cuisineMatchedCount (substring of the recipe's cuisine)
    if (cuisine && p.recordType === 'recipe') {
      const c = lower(r.data['recipe']?.['cuisine']);
      const n = c === '' ? 0 : cuisine.filter((want) => c.includes(want)).length;
      out['cuisineScore'] = ratio(n, cuisine.length);
      out['cuisineMatchedCount'] = n;
    }
    // 2915-2937: modelScore / modelMatchedCount, the requested models the provider supports (either
    // name inside the other; supported_models a list or a comma-separated string)
    if (models && p.recordType === 'modelProvider') {
      const held = r.data['modelProvider']?.['supported_models'];
      const supported = (typeof held === 'string' ? held.split(',').map((m) => m.trim()) : asList(held))
        .map(lower)
        // An empty name would be inside every request (legacy counted it so; a list item that is no
        // string made legacy answer 500): neither counts here.
        .filter(Boolean);
      const n = models.filter((want) => supported.some((s) => s.includes(want) || want.includes(s))).length;
      out['modelScore'] = ratio(n, models.length);
      out['modelMatchedCount'] = n;
    }
    // 2975-3021: fieldSearchScore (the mean over the pairs whose field holds a value) and
    // fieldSearchMatchedCount (how many do)
    if (fieldPairs.length > 0) {
      let total = 0;
      let matched = 0;
      for (const [path, search] of fieldPairs) {
        const v = dataAt(r, path);
        if (v === undefined || v === null) continue;
        total += similarity(String(v), search);
        matched++;
      }
      if (matched > 0) {
        out['fieldSearchScore'] = total / matched;
        out['fieldSearchMatchedCount'] = matched;
      }
    }
    // 3539-3626: exerciseScore / exerciseMatchedCount by exercise name, in order
    if (p.exerciseNames && p.recordType === 'workout') {
      const have = asList(r.data['workout']?.['exercise']).map(nameOf).filter(Boolean);
      const { score, matched } = orderScore(have, p.exerciseNames.map(lower));
      out['exerciseScore'] = score;
      out['exerciseMatchedCount'] = matched;
    } else if (p.exerciseDIDs && p.recordType === 'workout') {
      // 3628-3713: the same by exercise DID
      const have = asList(r.data['workout']?.['exercise']).filter(isDid);
      const { score, matched } = orderScore(have, p.exerciseDIDs);
      out['exerciseScore'] = score;
      out['exerciseMatchedCount'] = matched;
    }
    // 3715-3800: ingredientScore / ingredientMatchedCount by ingredient name, in order
    if (p.ingredientNames && p.recordType === 'recipe') {
      const have = asList(r.data['recipe']?.['ingredient']).map(nameOf).filter(Boolean);
      const { score, matched } = orderScore(have, p.ingredientNames.map(lower));
      out['ingredientScore'] = score;
      out['ingredientMatchedCount'] = matched;
    }
    return out;
  });
}
