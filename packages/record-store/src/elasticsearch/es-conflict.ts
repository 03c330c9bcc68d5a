// The structured conflict behind an Elasticsearch bulk item error. ES gives the error `type`
// and a `reason` text, nested through `caused_by`, and nothing structured about the field, so
// the path and the fixed type are read from the reason of a mapping-error type (the only place
// ES states them) and the incoming type and sample from the document we sent at that path.
import { boundedSample, sampleAt, valuesAt, type FieldConflict } from '../field-conflict.js';
import { valueType } from '../field-type-guard.js';

export interface EsCause {
  type?: string;
  reason?: string | null;
  caused_by?: EsCause;
}

/** ES error types whose reason names a field of the mapping. */
const FIELD_ERROR_TYPES = new Set([
  'mapper_parsing_exception',
  'document_parsing_exception',
  'illegal_argument_exception',
  'strict_dynamic_mapping_exception',
]);

interface Pattern {
  re: RegExp;
  /** path, fixed type and (when the reason says it) incoming type from the match. */
  read(m: RegExpExecArray): { path: string; fixedType: string; incomingType?: string };
}

// Reasons as ES 6 to 9 write them (a `[line:col] ` prefix and an ` in document with id ...`
// suffix come and go between versions; the patterns do not anchor on either).
const PATTERNS: Pattern[] = [
  {
    re: /mapper \[([^\]]+)\] cannot be changed from type \[([^\]]+)\] to \[([^\]]+)\]/,
    read: (m) => ({ path: m[1]!, fixedType: m[2]!, incomingType: m[3]! }),
  },
  {
    re: /mapper \[([^\]]+)\] of different type, current_type \[([^\]]+)\], merged_type \[([^\]]+)\]/,
    read: (m) => ({ path: m[1]!, fixedType: m[2]!, incomingType: m[3]! }),
  },
  { re: /failed to parse field \[([^\]]+)\] of type \[([^\]]+)\]/, read: (m) => ({ path: m[1]!, fixedType: m[2]! }) },
  {
    re: /object mapping for \[([^\]]+)\] tried to parse field \[[^\]]*\] as object, but found a concrete value/,
    read: (m) => ({ path: m[1]!, fixedType: 'object' }),
  },
  {
    re: /can't merge a non object mapping \[([^\]]+)\] with an object mapping/,
    read: (m) => ({ path: m[1]!, fixedType: 'concrete', incomingType: 'object' }),
  },
];

/** The causes from the outermost in, bounded (ES nests a few levels at most). */
function chain(error: EsCause | undefined): EsCause[] {
  const out: EsCause[] = [];
  for (let c = error, i = 0; c !== undefined && c !== null && i < 8; c = c.caused_by, i++) out.push(c);
  return out;
}

/** What the innermost cause says about the incoming value when the document cannot. */
function incomingFromCause(causes: EsCause[]): string | undefined {
  const text = causes.map((c) => c.reason ?? '').join(' ');
  if (/START_OBJECT/.test(text)) return 'object';
  if (/START_ARRAY/.test(text)) return 'array';
  if (/For input string|VALUE_STRING/.test(text)) return 'text';
  return undefined;
}

/** `Preview of field's value: '...'` (ES 7.14+), the sample when the document has no value there. */
function previewOf(causes: EsCause[]): string | undefined {
  for (const c of causes) {
    const m = /Preview of field's value: '(.*)'\s*$/s.exec(c.reason ?? '');
    if (m) return boundedSample([m[1]!]);
  }
  return undefined;
}

/**
 * The field conflict an ES bulk item error describes, or null when it names no field (limits,
 * strict mapping of an unknown field name, other failures). `doc` is the document that was sent.
 */
export function parseEsConflict(error: EsCause | undefined, doc?: unknown): FieldConflict | null {
  const causes = chain(error);
  for (const c of causes) {
    if (!FIELD_ERROR_TYPES.has(c.type ?? '')) continue;
    for (const p of PATTERNS) {
      const m = p.re.exec(c.reason ?? '');
      if (!m) continue;
      const { path, fixedType, incomingType } = p.read(m);
      const sample = doc === undefined ? '' : sampleAt(doc, path);
      const fromDoc = doc === undefined ? null : valueType(valuesAt(doc, path));
      return {
        path,
        fixedType,
        incomingType: incomingType ?? fromDoc ?? incomingFromCause(causes) ?? 'unknown',
        sample: sample !== '' ? sample : (previewOf(causes) ?? ''),
      };
    }
  }
  return null;
}
