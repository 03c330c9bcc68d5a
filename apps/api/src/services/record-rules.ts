// What a published record's `data` must look like: the basic category, and per FitnessAlly record
// type the fields the apps read (types checked, unknown fields allowed, as the legacy templates).
// Problems come back as paths + rules, so the 400 says which field is wrong.
import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Dref = Type.String({ pattern: '^did:(gun|arweave):.+', maxLength: 1100 });
const Drefs = Type.Union([Dref, Type.Array(Dref, { maxItems: 1000 })]);
const Text = (maxLength = 10_000) => Type.String({ maxLength });
const Texts = Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 1000 });
const Num = Type.Number({ minimum: 0 });
const Nums = Type.Array(Type.Number(), { maxItems: 1000 });
const Obj = (props: Record<string, TSchema>) =>
  Type.Object(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)])), {
    additionalProperties: true,
  });

const Basic = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 1000 }),
    description: Type.Optional(Text()),
    date: Type.Optional(Type.Integer({ minimum: 0 })),
    language: Type.Optional(Type.String({ maxLength: 16 })),
    tagItems: Type.Optional(Texts),
  },
  { additionalProperties: true },
);

/**
 * The category each FitnessAlly type must carry, and the types of its known fields. A Map, as the
 * key is the caller's recordType: a plain object would hand `constructor` or `toString` to
 * TypeBox as a schema.
 */
const TYPE_RULES: ReadonlyMap<string, TSchema> = new Map(
  Object.entries({
    workout: Obj({ exercise: Drefs, exercise_name: Texts, total_duration_minutes: Num, exercise_amount: Nums }),
    exercise: Obj({
      equipmentRequired: Type.Union([Texts, Drefs]),
      exercise_type: Text(100),
      instructions: Type.Union([Text(), Texts]),
    }),
    recipe: Obj({ ingredient: Type.Union([Texts, Drefs]), ingredient_amount: Nums, servings: Num, cuisine: Text(200) }),
    workoutSchedule: Type.Intersect([
      Obj({ workout: Drefs }),
      Type.Object({ scheduled_date: Type.Integer({ minimum: 0 }) }),
    ]),
    mealPlan: Type.Intersect([Obj({ meal: Drefs }), Type.Object({ scheduled_date: Type.Integer({ minimum: 0 }) })]),
    shoppingList: Obj({ item: Texts, item_amounts: Nums, item_units: Texts }),
    nutritionalInfo: Obj({ calories: Num, protein_g: Num, fat_g: Num, carbohydrates_g: Num }),
    post: Obj({ articleText: Type.Union([Text(1_000_000), Dref]) }),
  }),
);

export interface RecordProblem {
  path: string;
  rule: string;
}

/** Problems of `data` for `recordType` (at most 10); empty when it may be published. */
export function recordProblems(recordType: string, data: unknown): RecordProblem[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return [{ path: 'data', rule: 'must be an object of categories' }];
  const d = data as Record<string, unknown>;
  const out: RecordProblem[] = [];
  const check = (schema: TSchema, value: unknown, base: string) => {
    for (const e of Value.Errors(schema, value)) {
      if (out.length >= 10) return;
      out.push({ path: `${base}${e.path.replace(/\//g, '.')}`, rule: e.message });
    }
  };
  for (const [category, value] of Object.entries(d)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      out.push({ path: `data.${category}`, rule: 'a category must be an object of fields' });
  }
  if (!Object.hasOwn(d, 'basic') || d['basic'] === undefined) out.push({ path: 'data.basic', rule: 'is required' });
  else check(Basic, d['basic'], 'data.basic');
  const rule = TYPE_RULES.get(recordType);
  if (rule !== undefined) {
    if (!Object.hasOwn(d, recordType) || d[recordType] === undefined)
      out.push({ path: `data.${recordType}`, rule: `is required for a ${recordType}` });
    else check(rule, d[recordType], `data.${recordType}`);
  }
  return out.slice(0, 10);
}
