// TypeBox schemas of a synced record (oip-legacy-reference.md, "Record shape"): the common
// envelope plus light shape checks per record type. They reject what would corrupt the index
// (wrong types in fields queries rely on), not what is merely unusual: unknown fields pass.
import { Type, type TSchema } from '@sinclair/typebox';

const Category = Type.Record(Type.String(), Type.Unknown());
const Dref = Type.String({ pattern: '^did:' });
const DrefList = Type.Union([Dref, Type.Array(Type.String())]);
const Num = Type.Union([Type.Number(), Type.Null()]);
const Str = Type.Union([Type.String(), Type.Null()]);
const StrList = Type.Union([Type.Array(Type.Union([Type.String(), Type.Null()])), Type.String(), Type.Null()]);

const Creator = Type.Object({ publicKey: Type.String({ minLength: 1 }), didAddress: Type.String({ minLength: 1 }) });

/** The `oip` block as publishers send it; the creator may be nested or flattened. */
export const OipBlockSchema = Type.Object({
  ver: Type.String({ pattern: '^0\\.8' }),
  recordType: Type.String({ minLength: 1, maxLength: 100 }),
  creator: Type.Optional(
    Type.Union([
      Type.Object({ publicKey: Type.Optional(Type.String()), didAddress: Type.Optional(Type.String()) }),
      Type.Null(),
    ]),
  ),
  creator_publicKey: Type.Optional(Type.String()),
  creator_didAddress: Type.Optional(Type.String()),
});

export const BasicSchema = Type.Object({
  name: Type.Optional(Str),
  description: Type.Optional(Str),
  date: Type.Optional(Num),
  language: Type.Optional(Str),
  tagItems: Type.Optional(StrList),
});

export const RecordEnvelopeSchema = Type.Object({
  data: Type.Record(Type.String(), Category),
  oip: OipBlockSchema,
});

export { Creator as CreatorSchema };

/** Per-type checks of the record type's own category (`data.<recordType>`), when present. */
export const CategorySchemas: Record<string, TSchema> = {
  post: Type.Object({
    articleText: Type.Optional(Type.Union([Str, DrefList])),
    webUrl: Type.Optional(Str),
    bylineWriter: Type.Optional(Str),
  }),
  image: Type.Object({
    width: Type.Optional(Num),
    height: Type.Optional(Num),
    size: Type.Optional(Num),
    contentType: Type.Optional(Str),
  }),
  video: Type.Object({
    duration: Type.Optional(Num),
    width: Type.Optional(Num),
    height: Type.Optional(Num),
    contentType: Type.Optional(Str),
  }),
  audio: Type.Object({ duration: Type.Optional(Num), contentType: Type.Optional(Str) }),
  workout: Type.Object({
    total_duration_minutes: Type.Optional(Num),
    exercise: Type.Optional(DrefList),
    exercise_amount: Type.Optional(Type.Array(Type.Unknown())),
  }),
  exercise: Type.Object({
    instructions: Type.Optional(StrList),
    muscleGroups: Type.Optional(StrList),
    equipmentRequired: Type.Optional(StrList),
    exercise_type: Type.Optional(Str),
  }),
  recipe: Type.Object({
    ingredient: Type.Optional(DrefList),
    ingredient_amount: Type.Optional(Type.Array(Type.Unknown())),
    instructions: Type.Optional(Type.Union([Str, Type.Array(Type.Unknown())])),
    servings: Type.Optional(Num),
    cuisine: Type.Optional(Str),
  }),
  nutritionalInfo: Type.Object({
    calories: Type.Optional(Num),
    protein_g: Type.Optional(Num),
    fat_g: Type.Optional(Num),
    carbohydrates_g: Type.Optional(Num),
  }),
  shoppingList: Type.Object({
    item: Type.Optional(Type.Array(Type.Unknown())),
    item_amounts: Type.Optional(Type.Array(Type.Unknown())),
  }),
  workoutSchedule: Type.Object({
    scheduled_date: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Null()])),
    workout: Type.Optional(DrefList),
  }),
  mealPlan: Type.Object({
    meal_date: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Null()])),
    meals: Type.Optional(Type.Unknown()),
  }),
  conversationSession: Type.Object({ messages: Type.Optional(Type.Unknown()), session_id: Type.Optional(Str) }),
  creatorRegistration: Type.Object({ handle: Type.Optional(Str), publicKey: Type.Optional(Str) }),
};
