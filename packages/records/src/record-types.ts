// What a record's categories hold, as ONE table read two ways. Publishing (the api's newRecord) is
// strict: exact types, bounds, required fields, and the type's own category required for the types
// marked so. Syncing (records other nodes wrote, legacy ones included) is lenient: it refuses only
// what would corrupt the index (wrong types in fields queries rely on) and accepts null and the
// looser forms legacy publishers write. Each field's strict form lies within its lenient one, so
// what this node publishes every node syncs. Unknown fields pass both ways, as in legacy templates.
import { Type, type TSchema } from '@sinclair/typebox';

/**
 * The record types the legacy node keeps a registry index for (`<root>:index:<type>`): what the
 * sync-worker discovers and gun-proxy catches up on by default.
 */
export const KNOWN_RECORD_TYPES = [
  'post',
  'image',
  'video',
  'audio',
  'workout',
  'exercise',
  'recipe',
  'nutritionalInfo',
  'shoppingList',
  'workoutSchedule',
  'mealPlan',
  'conversationSession',
  'creatorRegistration',
] as const;

/**
 * The record types dated by a field of their own (unix seconds) rather than basic.date, and that
 * field's path: legacy getRecords filters dateStart/dateEnd and scheduledOn and sorts
 * sortBy=scheduleDate on it when that type is asked for (oip-arweave-indexer
 * helpers/elasticsearch.js:2664-2675, 4205-4260, 3395-3419). A Map: the key is the caller's recordType.
 */
export const SCHEDULE_DATE_PATHS: ReadonlyMap<string, string> = new Map([
  ['workoutSchedule', 'data.workoutSchedule.scheduled_date'],
  ['mealPlan', 'data.mealPlan.meal_date'],
]);

/** One field of a category: its strict (publish) and lenient (sync) schema. */
export interface FieldRule {
  publish: TSchema;
  sync: TSchema;
  /** Publishing refuses the category without it. */
  required: boolean;
  /**
   * The stores fix this field as `double` before any record arrives, so a whole number first and
   * a fraction later (ingredient_amount 1 then 1.5) both store, in either order: legacy's
   * Elasticsearch coerced them into whatever type came first (see DOUBLE_FIELD_PATHS).
   */
  double?: true;
}

export interface CategoryRule {
  fields: Readonly<Record<string, FieldRule>>;
  /** Publishing refuses a record of this type without the category (`data.<recordType>`). */
  requiredAtPublish: boolean;
}

const nullable = (t: TSchema): TSchema => Type.Union([t, Type.Null()]);

// Lenient forms (sync).
const AnyStr = nullable(Type.String());
const AnyNum = nullable(Type.Number());
const AnyStrList = Type.Union([Type.Array(nullable(Type.String())), Type.String(), Type.Null()]);
const AnyDrefList = Type.Union([Type.String({ pattern: '^did:' }), Type.Array(Type.String()), Type.Null()]);
const AnyArray = nullable(Type.Array(Type.Unknown()));
const AnyDay = Type.Union([Type.String(), Type.Number(), Type.Null()]);

// Strict forms (publish).
const Dref = Type.String({ pattern: '^did:(gun|arweave):.+', maxLength: 1100 });
const Drefs = Type.Union([Dref, Type.Array(Dref, { maxItems: 1000 })]);
const Text = (maxLength = 10_000): TSchema => Type.String({ maxLength });
const Texts = Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 1000 });
const Nums = Type.Array(Type.Number(), { maxItems: 1000 });
/** Unix seconds, as legacy's scheduledOn filter reads them. */
const Day = Type.Integer({ minimum: 0 });

const field = (publish: TSchema, sync: TSchema, required = false): FieldRule => ({ publish, sync, required });
const text = (maxLength?: number): FieldRule => field(Text(maxLength), AnyStr);
const num = (): FieldRule => field(Type.Number({ minimum: 0 }), AnyNum);
/** A quantity that may be whole or fractional (minutes, grams, servings): stored as double. */
const qty = (): FieldRule => ({ ...num(), double: true });
const texts = (): FieldRule => field(Texts, AnyStrList);
/** A list of quantities, one per item (ingredient_amount, item_amounts): stored as double. */
const amounts = (): FieldRule => ({ ...field(Nums, AnyArray), double: true });
const flag = (): FieldRule => field(Type.Boolean(), nullable(Type.Boolean()));
const drefs = (): FieldRule => field(Drefs, AnyDrefList);
const day = (): FieldRule => field(Day, AnyDay, true);
const textOrTexts = (): FieldRule => field(Type.Union([Text(), Texts]), AnyStrList);

/** The `basic` category every record carries (required when publishing, with its name). */
export const BASIC_RULE: CategoryRule = {
  requiredAtPublish: true,
  fields: {
    name: field(Type.String({ minLength: 1, maxLength: 1000 }), AnyStr, true),
    description: text(),
    date: field(Type.Integer({ minimum: 0 }), AnyNum),
    language: field(Type.String({ maxLength: 16 }), AnyStr),
    tagItems: texts(),
  },
};

const category = (requiredAtPublish: boolean, fields: Record<string, FieldRule>): CategoryRule => ({
  requiredAtPublish,
  fields,
});

/**
 * Each known type's own category. A Map, as the key is the caller's recordType: a plain object
 * would hand `constructor` or `toString` to TypeBox as a rule.
 */
export const CATEGORY_RULES: ReadonlyMap<string, CategoryRule> = new Map<string, CategoryRule>([
  [
    'post',
    category(true, {
      articleText: field(Type.Union([Text(1_000_000), Dref]), Type.Union([AnyStr, AnyDrefList])),
      webUrl: text(),
      bylineWriter: text(),
    }),
  ],
  ['image', category(false, { width: num(), height: num(), size: num(), contentType: text() })],
  ['video', category(false, { duration: num(), width: num(), height: num(), contentType: text() })],
  ['audio', category(false, { duration: num(), contentType: text() })],
  // FitnessAlly's types, with the fields legacy publishes (routes/publish.js: the newRecipe and
  // newWorkout schemas 255-390, the Kaggle exercise shape 160-176; nutritionalInfo as
  // helpers/nutritional-helper-openai.js 178-199 and 280-306 writes it, and as
  // helpers/elasticsearch.js calculateRecipeNutrition 1692-1980 reads it). Every quantity is a
  // `qty`/`amounts`: stored as double.
  [
    'workout',
    category(true, {
      total_duration_minutes: qty(),
      estimated_calories_burned: qty(),
      exercise: drefs(),
      exercise_amount: amounts(),
      exercise_unit: texts(),
      exercise_name: texts(),
    }),
  ],
  [
    'exercise',
    category(true, {
      instructions: textOrTexts(),
      muscleGroups: texts(),
      equipmentRequired: field(Type.Union([Texts, Drefs]), AnyStrList),
      exercise_type: text(100),
      est_duration_minutes: qty(),
      target_duration_seconds: qty(),
      recommended_sets: qty(),
      recommended_reps: qty(),
    }),
  ],
  [
    'recipe',
    category(true, {
      ingredient: field(Type.Union([Texts, Drefs]), AnyDrefList),
      ingredient_amount: amounts(),
      ingredient_unit: texts(),
      instructions: field(Type.Union([Text(), Texts]), Type.Union([AnyStr, AnyArray])),
      servings: qty(),
      prep_time_mins: qty(),
      cook_time_mins: qty(),
      total_time_mins: qty(),
      cuisine: text(200),
    }),
  ],
  [
    'nutritionalInfo',
    category(true, {
      standardAmount: qty(),
      standardUnit: text(100),
      qtyInStandardAmount: qty(),
      calories: qty(),
      proteinG: qty(),
      fatG: qty(),
      saturatedFatG: qty(),
      transFatG: qty(),
      cholesterolMg: qty(),
      sodiumMg: qty(),
      carbohydratesG: qty(),
      dietaryFiberG: qty(),
      sugarsG: qty(),
      addedSugarsG: qty(),
      potassiumMg: qty(),
      calciumMg: qty(),
      ironMg: qty(),
      vitaminAMcg: qty(),
      vitaminCMg: qty(),
      vitaminDMcg: qty(),
      allergens: texts(),
      glutenFree: flag(),
      organic: flag(),
    }),
  ],
  [
    'shoppingList',
    category(true, { item: field(Texts, AnyArray), item_amounts: amounts(), item_units: field(Texts, AnyArray) }),
  ],
  ['workoutSchedule', category(true, { scheduled_date: day(), workout: drefs() })],
  // Legacy's shape (helpers/elasticsearch.js reads data.mealPlan.meal_date, resolves meal_reference).
  ['mealPlan', category(true, { meal_date: day(), meal_reference: drefs(), servings: qty() })],
  ['conversationSession', category(false, { session_id: text() })],
  ['creatorRegistration', category(false, { handle: text(), publicKey: text() })],
]);

/**
 * The document paths (`data.<recordType>.<field>`) both stores fix as `double` before any record
 * arrives, so the order whole numbers and fractions come in no longer matters. Every other field
 * keeps the dynamic rule: its first value fixes its type.
 */
export const DOUBLE_FIELD_PATHS: readonly string[] = [...CATEGORY_RULES].flatMap(([type, rule]) =>
  Object.entries(rule.fields)
    .filter(([, f]) => f.double === true)
    .map(([name]) => `data.${type}.${name}`),
);

/** The schema of a category under `mode`: its fields optional except, when publishing, the required ones. */
export function categorySchema(rule: CategoryRule, mode: 'publish' | 'sync'): TSchema {
  const props: Record<string, TSchema> = {};
  for (const [name, f] of Object.entries(rule.fields)) {
    const schema = mode === 'publish' ? f.publish : f.sync;
    props[name] = mode === 'publish' && f.required ? schema : Type.Optional(schema);
  }
  return Type.Object(props, { additionalProperties: true });
}
