// Index settings and mappings for the `records` index, shaped like what legacy nodes have:
// the legacy GUN-era node let dynamic mapping create almost everything (its queries use
// `oip.did.keyword`, `oip.didTx.keyword`), so the filter fields here are `text` with a
// `keyword` sub-field, exactly what dynamic mapping would have produced for them. Only the
// fields the legacy index declared explicitly (indexedAt: date, inArweaveBlock: long) and
// `basic.date` (unix seconds) are typed differently.
import { DOUBLE_FIELD_PATHS } from '@oip/records';
import type { FieldType } from './field-type-names.js';

/** Default index name, as in legacy. */
export const DEFAULT_RECORDS_INDEX = 'records';

const textKeyword = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } } as const;

/** Names our dynamic templates so the setup can tell them from an operator's own. */
const DOUBLE_TEMPLATE_PREFIX = 'oip_double_';

/**
 * One dynamic template per quantity of the per-type table (DOUBLE_FIELD_PATHS): the path is
 * mapped `double` when it first arrives, whole number or fraction, instead of `long` for a first
 * `1`. Templates rather than properties: a path costs a field of the index's total_fields budget
 * only once a record carries it.
 */
export function doubleFieldTemplates(): Array<Record<string, { path_match: string; mapping: { type: 'double' } }>> {
  return DOUBLE_FIELD_PATHS.map((path) => ({
    [`${DOUBLE_TEMPLATE_PREFIX}${path}`]: { path_match: path, mapping: { type: 'double' } },
  }));
}

/**
 * The guard presets an index's dynamic templates imply: each template matching one exact path
 * (no wildcard, no match_mapping_type) with a type the guard knows. Others are left to ES alone.
 */
export function presetsFromDynamicTemplates(templates: unknown): Array<[string, FieldType]> {
  const out: Array<[string, FieldType]> = [];
  if (!Array.isArray(templates)) return out;
  for (const entry of templates) {
    if (entry === null || typeof entry !== 'object') continue;
    for (const raw of Object.values(entry as Record<string, unknown>)) {
      const t = raw as { path_match?: unknown; match_mapping_type?: unknown; mapping?: { type?: unknown } } | null;
      if (t === null || typeof t.path_match !== 'string' || t.path_match.includes('*')) continue;
      if (t.match_mapping_type !== undefined && t.match_mapping_type !== '*') continue;
      const type = esTypeToFieldType(typeof t.mapping?.type === 'string' ? t.mapping.type : undefined);
      if (type !== undefined) out.push([t.path_match, type]);
    }
  }
  return out;
}

/** The `mappings` body used when the adapter creates the index. */
export const recordsIndexMappings = {
  dynamic: true,
  // Matches the guard's default (ES default too): ISO-looking strings become `date` fields.
  date_detection: true,
  dynamic_templates: doubleFieldTemplates(),
  properties: {
    oip: {
      properties: {
        ver: textKeyword,
        recordType: textKeyword,
        did: textKeyword,
        didTx: textKeyword,
        storage: textKeyword,
        indexedAt: { type: 'date' },
        inArweaveBlock: { type: 'long' },
        creator: {
          properties: {
            creatorHandle: textKeyword,
            didAddress: textKeyword,
            publicKey: textKeyword,
          },
        },
      },
    },
    data: {
      properties: {
        basic: {
          properties: {
            name: textKeyword,
            description: textKeyword,
            language: textKeyword,
            tagItems: textKeyword,
            date: { type: 'long' },
          },
        },
      },
    },
  },
} as const;

/** Default total-field limit, as ES's `index.mapping.total_fields.limit`. */
export const DEFAULT_MAX_FIELDS = 1000;
/** Default object depth limit, as ES's `index.mapping.depth.limit`. */
export const DEFAULT_MAX_DEPTH = 20;

interface MappingNode {
  type?: string;
  properties?: Record<string, MappingNode>;
}

/**
 * Flattens an ES `properties` tree into guard entries (`path → type`), so the embedded store
 * starts with the same fixed types the ES index is created with. ES types outside the guard's
 * vocabulary collapse to their dynamic-mapping equivalent (keyword → text, integer → long ...).
 */
export function mappingToFieldTypes(properties: Record<string, unknown>, prefix = ''): Array<[string, FieldType]> {
  const out: Array<[string, FieldType]> = [];
  for (const [name, raw] of Object.entries(properties)) {
    const node = raw as MappingNode;
    const path = prefix === '' ? name : `${prefix}.${name}`;
    if (node.properties !== undefined || node.type === 'object' || node.type === 'nested') {
      out.push([path, 'object']);
      if (node.properties !== undefined) out.push(...mappingToFieldTypes(node.properties, path));
      continue;
    }
    const t = esTypeToFieldType(node.type);
    if (t !== undefined) out.push([path, t]);
  }
  return out;
}

function esTypeToFieldType(type: string | undefined): FieldType | undefined {
  switch (type) {
    case 'text':
    case 'keyword':
    case 'match_only_text':
    case 'wildcard':
      return 'text';
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'unsigned_long':
      return 'long';
    case 'float':
    case 'half_float':
    case 'scaled_float':
      return 'float';
    case 'double':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'date':
    case 'date_nanos':
      return 'date';
    default:
      return undefined;
  }
}

/** The guard's presets for a store whose index is created here: the templates above. */
export function doubleFieldPresets(): Array<[string, FieldType]> {
  return presetsFromDynamicTemplates(recordsIndexMappings.dynamic_templates);
}

/** The guard's starting types: the legacy-compatible mapping above. */
export function legacyFieldTypes(): Array<[string, FieldType]> {
  return mappingToFieldTypes(recordsIndexMappings.properties);
}
