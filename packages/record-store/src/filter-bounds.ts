// Bounds and vocabularies of the legacy `/api/records` filters, shared by the query
// normaliser, both stores and the querystring schema.
import { SCHEDULE_DATE_PATHS } from '@oip/records';

/** Most `path: value` pairs in one exactMatch. */
export const MAX_EXACT_MATCH_PAIRS = 16;
/** Most fieldName/fieldSearch pairs in one query. */
export const MAX_FIELD_PAIRS = 8;
/** Most items in one list filter (exerciseNames, cuisine ...). */
export const MAX_LIST_ITEMS = 100;
/** Longest item of a list filter. */
export const MAX_LIST_ITEM_LENGTH = 200;
/** Longest fieldSearch / exactMatch string value. */
export const MAX_TEXT_LENGTH = 500;
/**
 * Most records a name-through-dref filter (exerciseNames, ingredientNames, equipmentRequired)
 * may reference, when a store resolves names to DIDs with a first query; more is STORE_ERR_INVALID.
 */
export const MAX_REFERENCED_DIDS = 1000;
/** Largest tagCount (tags per summary page). */
export const MAX_TAG_COUNT = 1000;
/** Deepest tag reachable by tagPage × tagCount. */
export const MAX_TAG_WINDOW = 10_000;

/**
 * Record types dated by a field of their own (@oip/records' per-type table): scheduledOn, and
 * dateStart/dateEnd when that type is asked for, filter that field instead of basic.date.
 */
export const SCHEDULED_DATE_FIELDS: ReadonlyMap<string, string> = SCHEDULE_DATE_PATHS;

/** The date path dateStart/dateEnd filter for a query of `recordType` (legacy helpers/elasticsearch.js:2664-2675). */
export function dateFilterPath(recordType: string | undefined): string {
  return (recordType === undefined ? undefined : SCHEDULE_DATE_PATHS.get(recordType)) ?? 'data.basic.date';
}

const EXERCISE_TYPE_GROUPS: readonly (readonly string[])[] = [
  ['warm-up', 'warmup', 'warm up'],
  ['main'],
  ['cool-down', 'cooldown', 'cool down'],
];

/** Every lower-cased spelling equivalent to a requested exercise type (legacy enum map, both ways). */
export function exerciseTypeAliases(type: string): string[] {
  const t = type.toLowerCase();
  return [...(EXERCISE_TYPE_GROUPS.find((g) => g.includes(t)) ?? [t])];
}
