/**
 * The field types the guard tracks: the types Elasticsearch's dynamic mapping picks for JSON
 * values (`text` for strings, with a `keyword` sub-field we don't track separately), plus
 * `double`, which only a widening (`widenField`) or an explicit ES mapping gives a path.
 */
export type FieldType = 'object' | 'text' | 'long' | 'float' | 'double' | 'boolean' | 'date';

export const FIELD_TYPES: readonly FieldType[] = ['object', 'text', 'long', 'float', 'double', 'boolean', 'date'];

export function isFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);
}
