// The kitchen-unit conversions legacy's recipe nutrition summary uses (oip-arweave-indexer
// helpers/elasticsearch.js normalizeUnit 1306-1322, isCountUnit 1325-1340, convertToGrams
// 1343-1423, convertUnits 1426-1675, parseUnit 1678-1686). Legacy's quirks are kept on purpose, so
// a summary comes out as the legacy node computes it: a unit is its first word, and the base unit
// of a description is the first of cup, tbsp, tsp, pinch, dash, smidgen, g, kg, lb, oz, ml, l it
// contains ("kg" reads as g, "slice" and "whole" as l). Tables are Maps: units come from records.

const COUNT_UNITS = new Set([
  ...['unit', 'units', 'piece', 'pieces', 'item', 'items', 'large', 'medium', 'small', 'whole'],
  ...['clove', 'cloves', 'slice', 'slices', 'pickle', 'pickles', 'spear', 'spears', 'head', 'heads'],
  ...['bun', 'buns', 'roll', 'rolls', 'leaf', 'leaves', 'stalk', 'stalks', 'bunch', 'bunches'],
  ...['can', 'cans', 'bottle', 'bottles', 'jar', 'jars', 'packet', 'packets', 'bag', 'bags', 'box', 'boxes'],
  ...['fillet', 'fillets', 'breast', 'breasts', 'thigh', 'thighs', 'serving', 'servings', 'portion', 'portions'],
]);

const GRAMS: ReadonlyMap<string, number> = new Map([
  ...(['g', 'gram', 'grams', 'ml', 'milliliter', 'milliliters'] as const).map((u) => [u, 1] as const),
  ...(['kg', 'kilogram', 'kilograms', 'l', 'liter', 'liters'] as const).map((u) => [u, 1000] as const),
  ...(['lb', 'lbs', 'pound', 'pounds'] as const).map((u) => [u, 453.592] as const),
  ...(['oz', 'ounce', 'ounces'] as const).map((u) => [u, 28.3495] as const),
  ...(['cup', 'cups'] as const).map((u) => [u, 240] as const),
  ...(['tbsp', 'tablespoon', 'tablespoons'] as const).map((u) => [u, 15] as const),
  ...(['tsp', 'teaspoon', 'teaspoons'] as const).map((u) => [u, 5] as const),
  ...(['pinch', 'pinches'] as const).map((u) => [u, 0.3125] as const),
  ...(['dash', 'dashes'] as const).map((u) => [u, 0.625] as const),
  ...(['smidgen', 'smidgens', 'smidge'] as const).map((u) => [u, 0.15625] as const),
  // Two words: never the first word of a unit, so never matched (as legacy).
  ...(['fl oz', 'fluid ounce', 'fluid ounces'] as const).map((u) => [u, 30] as const),
  ...(['pint', 'pints'] as const).map((u) => [u, 473] as const),
  ...(['quart', 'quarts'] as const).map((u) => [u, 946] as const),
  ...(['gallon', 'gallons'] as const).map((u) => [u, 3785] as const),
]);

const ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    tablespoon: 'tbsp', tablespoons: 'tbsp', teaspoon: 'tsp', teaspoons: 'tsp', pinches: 'pinch',
    dashes: 'dash', smidgens: 'smidgen', smidge: 'smidgen', cups: 'cup', grams: 'g', gram: 'g',
    kilograms: 'kg', kilogram: 'kg', pounds: 'lb', pound: 'lb', ounces: 'oz', ounce: 'oz',
    milliliters: 'ml', milliliter: 'ml', liters: 'l', liter: 'l', slices: 'slice', units: 'unit',
    pieces: 'piece', items: 'item', spear: 'pickle', spears: 'pickle', pickles: 'pickle', roll: 'bun',
    rolls: 'bun', buns: 'bun', cloves: 'clove', heads: 'head', fillets: 'fillet', breasts: 'breast',
    thighs: 'thigh', leaves: 'leaf', stalks: 'stalk', bunches: 'bunch',
  }), // prettier-ignore
);

const BASE_UNITS = ['cup', 'tbsp', 'tsp', 'pinch', 'dash', 'smidgen', 'g', 'kg', 'lb', 'oz', 'ml', 'l'];

const VOLUME: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map(
  Object.entries({
    pinch: { tsp: 1 / 16, tbsp: 1 / 48, dash: 1 / 2 },
    dash: { tsp: 1 / 8, tbsp: 1 / 24, pinch: 2 },
    smidgen: { tsp: 1 / 32, tbsp: 1 / 96, pinch: 1 / 2 },
    tsp: { tbsp: 1 / 3, cup: 1 / 48, ml: 5, pinch: 16, dash: 8, smidgen: 32 },
    tbsp: { tsp: 3, cup: 1 / 16, ml: 15, pinch: 48, dash: 24 },
    cup: { tsp: 48, tbsp: 16, ml: 240 },
    ml: { tsp: 1 / 5, tbsp: 1 / 15, cup: 1 / 240 },
  }).map(([k, v]) => [k, new Map(Object.entries(v))]),
);

/** Grams of one counted food item (a garlic clove, a cheese slice, ...). */
const FOOD_ITEM_GRAMS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    pat: 10, pats: 10, clove: 3, cloves: 3, wedge: 7, wedges: 7, stalk: 40, stalks: 40, slice: 28,
    slices: 28, medium: 18, sprig: 1, sprigs: 1, piece: 8, pieces: 8,
  }), // prettier-ignore
);

const WEIGHT_GRAMS: ReadonlyMap<string, number> = new Map(
  Object.entries({ g: 1, gram: 1, grams: 1, kg: 1000, oz: 28.3495, lb: 453.592 }),
);

const KNOWN_UNITS = new Set([
  ...GRAMS.keys(),
  ...COUNT_UNITS,
  ...['pat', 'pats', 'wedge', 'wedges', 'sprig', 'sprigs'],
]);

/** The unit's first word, lower-cased ("tsp or 1 packet" → tsp, "cups shredded" → cups). */
export function normalizeUnit(unit: string | undefined): string {
  if (!unit) return '';
  const u = unit.toLowerCase().trim();
  if (u.includes(' or ')) return u.split(' or ')[0]!.trim();
  return u.split(' ')[0]!;
}

export const isCountUnit = (unit: string): boolean => COUNT_UNITS.has(normalizeUnit(unit));

/** `amount` of `unit` in grams (volumes as water); null for a count or unknown unit. */
export function convertToGrams(amount: number, unit: string): number | null {
  const factor = GRAMS.get(normalizeUnit(unit));
  return factor ? amount * factor : null;
}

/** "4 oz, cooked" → "4 oz"; "tsp (1g)" → "tsp". */
export function parseUnit(unit: string): string {
  const first = unit.includes(',') ? unit.split(',')[0]!.trim() : unit;
  return first.replace(/\(.*?\)/g, '').trim();
}

const baseUnit = (u: string): string => BASE_UNITS.find((b) => u.includes(b)) ?? u;

/** Grams of one `unit` of a food counted by the item, from hints in the unit's text. */
function contextualGrams(fromUnit: string): number | null {
  const u = fromUnit.toLowerCase();
  if (u.includes('bacon')) return 16;
  if (u.includes('bread') || u.includes('sandwich')) return 40;
  if (u.includes('scallion') || u.includes('green onion')) return 15;
  if (u.includes('thyme')) return 0.64;
  return null;
}

/** `fromAmount` of `fromUnit` expressed in `toUnit`, or null when legacy cannot convert them. */
export function convertUnits(fromAmount: number, fromUnit: string, toUnit: string): number | null {
  const from = normalizeUnit(fromUnit);
  const to = normalizeUnit(toUnit);
  if (from === to) return fromAmount;
  const aliasFrom = ALIASES.get(from) ?? from;
  const aliasTo = ALIASES.get(to) ?? to;
  if (aliasFrom === aliasTo) return fromAmount;
  const baseFrom = baseUnit(aliasFrom);
  const baseTo = baseUnit(aliasTo);
  if (baseFrom === baseTo) return fromAmount;
  const volume = VOLUME.get(baseFrom)?.get(baseTo);
  if (volume !== undefined) return fromAmount * volume;
  const itemGrams = FOOD_ITEM_GRAMS.get(from);
  const toWeight = WEIGHT_GRAMS.get(to);
  if (itemGrams !== undefined && toWeight !== undefined) {
    return (fromAmount * (contextualGrams(fromUnit) || itemGrams)) / toWeight;
  }
  const toItemGrams = FOOD_ITEM_GRAMS.get(to);
  const fromWeight = WEIGHT_GRAMS.get(from);
  if (toItemGrams !== undefined && fromWeight !== undefined) return (fromAmount * fromWeight) / toItemGrams;
  const fromIsCount = isCountUnit(fromUnit);
  const toIsCount = isCountUnit(toUnit);
  // An unknown standard unit counts like "whole".
  if (!KNOWN_UNITS.has(to) && (fromIsCount || !KNOWN_UNITS.has(from))) return fromAmount;
  if (fromIsCount !== toIsCount) return null;
  if (fromIsCount) return fromAmount;
  const fromGrams = convertToGrams(fromAmount, baseFrom);
  const toGrams = convertToGrams(1, baseTo);
  if (fromGrams === null || toGrams === null || Number.isNaN(fromGrams) || Number.isNaN(toGrams)) return null;
  return fromGrams / toGrams;
}
