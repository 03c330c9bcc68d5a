// The legacy `GET /api/records` querystring as one TypeBox schema: every value is a string
// (the api parses and bounds them, naming the parameter in its 400), unknown parameters pass
// and are ignored, as on legacy nodes. The api uses it as its route schema, so the OpenAPI
// document describes each legacy parameter.
import { Type, type Static } from '@sinclair/typebox';
import {
  MAX_LIST_ITEMS,
  MAX_LIST_ITEM_LENGTH,
  MAX_TAG_COUNT,
  MAX_TEXT_LENGTH,
  MAX_FIELD_PAIRS,
} from './filter-bounds.js';
import { MAX_LIMIT, MAX_TAGS } from './query.js';
import { MAX_PARAM_LENGTH } from './legacy-params.js';

const LIST_MAX = MAX_LIST_ITEMS * (MAX_LIST_ITEM_LENGTH + 1);
const str = (description: string, maxLength = 256) => Type.Optional(Type.String({ description, maxLength }));
/** A parameter legacy also takes repeated (`?fieldName=a&fieldName=b`). */
const strOrRepeated = (description: string, maxLength: number) =>
  Type.Optional(
    Type.Union([Type.String({ maxLength }), Type.Array(Type.String({ maxLength }), { maxItems: MAX_FIELD_PAIRS })], {
      description,
    }),
  );
const list = (description: string, maxLength = LIST_MAX) =>
  Type.Optional(Type.String({ description: `${description} Comma-separated.`, maxLength }));
const bool = (description: string) =>
  Type.Optional(Type.String({ description: `${description} true/false/1/0.`, maxLength: 5 }));
const int = (description: string) => Type.Optional(Type.String({ description, maxLength: 10 }));

export const RecordsQuerystringSchema = Type.Object(
  {
    recordType: str('Only records of this type (oip.recordType).'),
    did: str('Only the record with this DID (did:gun:… or did:arweave:…).', 1100),
    didTx: str('Legacy alias of did.', 1100),
    source: str('all (default), gun or arweave.', 16),
    storage: str('Alias of source.', 16),
    search: str('Full text over basic.name, description and tagItems.', 1000),
    searchMatchMode: str('AND (default): every term; OR: any term.', 8),
    tags: list(`basic.tagItems, exact and case-insensitive (at most ${MAX_TAGS}).`),
    tagsMatchMode: str('OR (default): any tag; AND: every tag.', 8),
    creatorHandle: str('oip.creator.creatorHandle.'),
    creator_did_address: str('oip.creator.didAddress.', 1100),
    dateStart: str(
      'Lower date bound, inclusive: unix seconds or milliseconds, YYYY-MM-DD or ISO time. On workoutSchedule.scheduled_date / mealPlan.meal_date when recordType is that type, basic.date otherwise.',
      64,
    ),
    dateEnd: str('basic.date upper bound, inclusive; same forms as dateStart.', 64),
    sortBy: str(
      '<field>:<asc|desc>, default inArweaveBlock:desc. Store fields inArweaveBlock, date, indexedAt, recordType, name; computed over the first 1000 matches: score and tags (with tags), matchCount (with search), exerciseScore, ingredientScore, equipmentScore, exerciseTypeScore, cuisineScore (with their filter), scheduleDate (recordType workoutSchedule or mealPlan), ver, creatorHandle. Anything else: the default order, named in the x-oip-sort-fallback header.',
      64,
    ),
    limit: int(`Page size, 1 to ${MAX_LIMIT}; default 20.`),
    page: int('1-based page; default 1.'),
    exactTotal: bool(
      "Count every match for searchResults; by default the count stops past the node's cap (API_RECORDS_TOTAL_CAP, 1000) and searchResultsRelation says gte.",
    ),
    resolveDepth: int('Levels of drefs to resolve; 0 (default) = none.'),
    resolveNamesOnly: bool('Deepest resolved level replaced by the referenced basic.name.'),
    resolveFieldName: list(
      'Dref fields to resolve, at every level: data.workout.exercise or workout.exercise, a whole category (data.workout or workout), or data for all; default all.',
    ),
    summarizeRecipe: bool(
      "Recipes get their nutrition summary from their ingredients' nutritionalInfo: data.calculatedSummaryNutritionalInfo(PerServing) on a listed recipe, data.summaryNutritionalInfo(PerServing) on one resolved inside another record.",
    ),
    hideNullValues: bool('Drop null fields from the answer.'),
    hideDateReadable: bool('No basic.dateReadable (added to each record with a basic.date by default).'),
    noDuplicates: bool('One record per basic.name (the first by sortBy); records without a name are kept.'),
    exactMatch: str(
      'JSON object of data./oip. path → string, number or boolean; every pair must equal (type included).',
      4096,
    ),
    fieldName: strOrRepeated(
      'Path under data (recipe.course or data.recipe.course) searched by fieldSearch; repeated (at most 8), every pair must match.',
      205,
    ),
    fieldSearch: strOrRepeated(
      'Value searched in fieldName; repeated, one per fieldName in order (the last one serves the fieldNames past it).',
      MAX_TEXT_LENGTH,
    ),
    fieldMatchMode: str('partial (default): case-insensitive substring; exact: case-sensitive equality.', 8),
    summarizeTags: bool(
      'Adds tagSummary/tagCount (tag counts over the matching records) and, with tags, keeps records carrying a tag of the summary page.',
    ),
    tagCount: int(`Tags per tagSummary page, 1 to ${MAX_TAG_COUNT}; default 20.`),
    tagPage: int('1-based tagSummary page; default 1.'),
    exerciseNames: list('Workouts with an exercise of any of these names (case-insensitive).'),
    exerciseDIDs: list('Workouts whose data.workout.exercise holds any of these DIDs.'),
    ingredientNames: list('Recipes with an ingredient whose name contains any of these (case-insensitive).'),
    equipmentRequired: list('Exercises whose equipment names contain these (case-insensitive).'),
    equipmentMatchMode: str('AND (default): every item; OR: any (exercises without equipment kept).', 8),
    exerciseType: list('Exercises of any of these types (warmup, main, cooldown or as stored).'),
    cuisine: list('Recipes whose data.recipe.cuisine contains any of these (case-insensitive).'),
    scheduledOn: str(
      'YYYY-MM-DD (UTC day) or unix seconds (the UTC day they fall in): workoutSchedule/mealPlan records of that day; other types kept.',
      12,
    ),
    hasAudio: bool('true: records with data.post.audioItems or data.basic.audioItems; false: records with neither.'),
    inArweaveBlock: str('Records of this Arweave block height; bad: records without one.', 16),
    template: str('Records with a data category whose name contains this (case-insensitive).', MAX_PARAM_LENGTH),
    didTxRef: str(
      'Records holding a string under data that starts with this DID (or DID prefix, did:…).',
      MAX_PARAM_LENGTH,
    ),
    url: str('data.basic.url or data.basic.webUrl equals this.', MAX_PARAM_LENGTH),
    model: list(
      'With recordType=modelProvider: providers whose data.modelProvider.supported_models contains these (case-insensitive).',
    ),
    modelMatchMode: str('OR (default): any model; AND: every one.', 8),
    exerciseTypeMatchMode: str('OR (default): any exerciseType; AND: every one.', 8),
    cuisineMatchMode: str('OR (default): any cuisine; AND: every one.', 8),
    includeSigs: bool('false: no oip.signature (nor oip.sigScheme) in the records listed; default true.'),
    includePubKeys: bool('false: no oip.creator.publicKey in the records listed; default true.'),
    includeDeleteMessages: bool(
      'false: leaves out deletion records (recordType deleteMessage, delete, deleteTemplate); default true (kept).',
    ),
  },
  { additionalProperties: true },
);

export type RecordsQuerystring = Static<typeof RecordsQuerystringSchema> & Partial<Record<string, string>>;
