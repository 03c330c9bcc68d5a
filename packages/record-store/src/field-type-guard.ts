// Field-type guard with Elasticsearch dynamic-mapping semantics, shared by both stores.
//
// The first type stored for a field path fixes it; a later record whose value for that path has
// an incompatible type is a permanent STORE_ERR_MAPPING, so the embedded SQLite default shows
// the failure class production ES shows (seed 000: `item_amounts` long → float,
// `messages` text → object). Rules, and where we knowingly differ from ES:
//
// - JSON integer → `long`, fractional → `float`, boolean → `boolean`, object → `object`.
// - Strings → `text`, or `date` when date detection is on (ES default) and the string matches
//   ES's default dynamic date formats (`strict_date_optional_time` with at least yyyy-MM-dd, or
//   `yyyy/MM/dd[ HH:mm:ss]`). Turn it off with `dateDetection: false`, and create the ES index
//   with `date_detection: false` to match.
// - Arrays take the type of their elements; null and empty arrays add nothing.
// - Within one record, long and float unify to float and strings absorb other scalars (text);
//   object mixed with a concrete value is a conflict (ES rejects those too).
// - Against a fixed type: text accepts any scalar (ES coerces to a string); float accepts long;
//   double (only from a widening or an explicit mapping) accepts long and float;
//   date accepts long (epoch); long does NOT accept float — ES would coerce when the mapping is
//   already settled, but the seed-000 failure came through a concurrent mapping update, and a
//   deterministic rejection is the safer model of it. Object vs concrete value is a conflict
//   both ways. Numeric strings into long/float fields are rejected (ES would coerce them).
// - Preset paths (the per-type table's quantities, DOUBLE_FIELD_PATHS in @oip/records; in ES the
//   index's path-matched dynamic templates) take their preset type at first sight instead of the
//   value's, so 1 then 1.5 stores whatever the order; a value the preset refuses (a string into
//   double) conflicts as it would against a fixed type.
// - ES's `total_fields` (text counts twice: it has a keyword sub-field) and `depth` limits apply.
import { StoreMappingError } from './errors.js';
import { sampleAt } from './field-conflict.js';
import type { FieldType } from './field-type-names.js';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_FIELDS } from './legacy-mapping.js';

export interface FieldTypeGuardOptions {
  /** Types already fixed (persisted table, ES mapping, the legacy base mapping). */
  initial?: Iterable<readonly [string, FieldType]>;
  /** Model ES date detection for strings. @defaultValue true */
  dateDetection?: boolean;
  /** Like `index.mapping.total_fields.limit`. @defaultValue 1000 */
  maxFields?: number;
  /** Like `index.mapping.depth.limit`. @defaultValue 20 */
  maxDepth?: number;
  /**
   * Types a path takes at first sight whatever its first value (ES dynamic templates matching one
   * exact path). A fixed type, persisted or mapped, wins over a preset.
   */
  presets?: Iterable<readonly [string, FieldType]>;
}

type EsErrorType = 'mapper_parsing_exception' | 'illegal_argument_exception';

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const SLASH_DATE = /^(\d{4})\/(\d{2})\/(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(?: ?(?:Z|[+-]\d{2}:?\d{2}))?)?$/;

/** True when ES's default dynamic date formats would detect `s` as a date. */
export function looksLikeDate(s: string): boolean {
  const m = ISO_DATE.exec(s) ?? SLASH_DATE.exec(s);
  if (m === null) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60 && second < 60;
}

/** Fields a type adds to ES's total-field count (dynamic text gets a keyword sub-field). */
function weight(type: FieldType): number {
  return type === 'text' ? 2 : 1;
}

function accepts(fixed: FieldType, incoming: FieldType): boolean {
  if (fixed === incoming) return true;
  switch (fixed) {
    case 'text':
      return incoming !== 'object';
    case 'float':
      return incoming === 'long';
    case 'double':
      return incoming === 'long' || incoming === 'float';
    case 'date':
      return incoming === 'long';
    default:
      return false;
  }
}

/** The type one record gives a path when it holds several values there (arrays), or null. */
function unify(a: FieldType, b: FieldType): FieldType | null {
  if (a === b) return a;
  if (a === 'object' || b === 'object') return null;
  if ((a === 'long' && b === 'float') || (a === 'float' && b === 'long')) return 'float';
  if (a === 'text' || b === 'text') return 'text';
  if ((a === 'date' && b === 'long') || (a === 'long' && b === 'date')) return 'date';
  return null;
}

function conflictError(root: unknown, path: string, fixed: FieldType, incoming: FieldType): StoreMappingError {
  let esType: EsErrorType;
  let reason: string;
  if (fixed === 'object') {
    esType = 'mapper_parsing_exception';
    reason = `object mapping for [${path}] tried to parse field [${path}] as object, but found a concrete value`;
  } else if (fixed === 'long' && incoming === 'float') {
    esType = 'illegal_argument_exception';
    reason = `mapper [${path}] cannot be changed from type [long] to [float]`;
  } else {
    esType = 'mapper_parsing_exception';
    reason = `failed to parse field [${path}] of type [${fixed}]`;
  }
  return new StoreMappingError(`${esType}: ${reason}`, {
    details: { path, fixedType: fixed, incomingType: incoming, esType },
    conflict: { path, fixedType: fixed, incomingType: incoming, sample: sampleAt(root, path) },
  });
}

export class FieldTypeGuard {
  readonly #types = new Map<string, FieldType>();
  readonly #presets = new Map<string, FieldType>();
  readonly #dateDetection: boolean;
  #maxFields: number;
  #maxDepth: number;
  #fieldCount = 0;

  constructor(options: FieldTypeGuardOptions = {}) {
    this.#dateDetection = options.dateDetection ?? true;
    this.#maxFields = options.maxFields ?? DEFAULT_MAX_FIELDS;
    this.#maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    for (const [path, type] of options.initial ?? []) this.learn(path, type);
    for (const [path, type] of options.presets ?? []) this.preset(path, type);
  }

  /**
   * Gives `path` the type it takes when first seen (see FieldTypeGuardOptions.presets). Bounded by
   * its callers: a fixed table, or the dynamic templates of one index.
   */
  preset(path: string, type: FieldType): void {
    this.#presets.set(path, type);
  }

  presetOf(path: string): FieldType | undefined {
    return this.#presets.get(path);
  }

  /** Number of paths with a fixed type. */
  get size(): number {
    return this.#types.size;
  }

  /** ES-style total field count of the fixed paths. */
  get fieldCount(): number {
    return this.#fieldCount;
  }

  typeOf(path: string): FieldType | undefined {
    return this.#types.get(path);
  }

  entries(): IterableIterator<[string, FieldType]> {
    return this.#types.entries();
  }

  /**
   * Replaces the fixed type of a path (a widening applied by widenField, here or in another
   * process). Returns true when the type changed.
   */
  set(path: string, type: FieldType): boolean {
    const old = this.#types.get(path);
    if (old === type) return false;
    if (old !== undefined) this.#fieldCount -= weight(old);
    this.#types.set(path, type);
    this.#fieldCount += weight(type);
    return true;
  }

  /** Records a type fixed elsewhere; the first type for a path wins. Returns true when new. */
  learn(path: string, type: FieldType): boolean {
    if (this.#types.has(path)) return false;
    this.#types.set(path, type);
    this.#fieldCount += weight(type);
    return true;
  }

  /** Starts a batch: checks see the types added by earlier records of the same batch. */
  batch(): FieldTypeBatch {
    return new FieldTypeBatch(this);
  }

  /** Checks one document alone; its new paths are not kept. */
  check(doc: unknown): StoreMappingError | null {
    return this.batch().add(doc);
  }

  /** The path → type map one document implies, or the conflict inside it. */
  infer(doc: unknown): Map<string, FieldType> | StoreMappingError {
    const out = new Map<string, FieldType>();
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      return new StoreMappingError('mapper_parsing_exception: a document must be a JSON object');
    }
    const err = this.#walkObject(doc, doc as Record<string, unknown>, '', 0, out);
    return err ?? out;
  }

  /** Current limits. */
  limits(): { maxFields: number; maxDepth: number } {
    return { maxFields: this.#maxFields, maxDepth: this.#maxDepth };
  }

  /** Adopts limits found elsewhere (e.g. an ES index's raised `total_fields.limit`). */
  setLimits(limits: { maxFields?: number; maxDepth?: number }): void {
    if (limits.maxFields !== undefined && limits.maxFields > 0) this.#maxFields = limits.maxFields;
    if (limits.maxDepth !== undefined && limits.maxDepth > 0) this.#maxDepth = limits.maxDepth;
  }

  #walkObject(
    root: unknown,
    obj: Record<string, unknown>,
    prefix: string,
    depth: number,
    out: Map<string, FieldType>,
  ): StoreMappingError | null {
    // ES depth: fields of the root object are at depth 1, each inner object adds one.
    if (depth + 1 > this.#maxDepth) {
      return new StoreMappingError(
        `illegal_argument_exception: Limit of mapping depth [${this.#maxDepth}] has been exceeded due to object field [${prefix}]`,
        { details: { path: prefix, esType: 'illegal_argument_exception' } },
      );
    }
    for (const [key, value] of Object.entries(obj)) {
      if (key.trim() === '') {
        return new StoreMappingError(
          `mapper_parsing_exception: field name cannot be an empty string (under [${prefix}])`,
          {
            details: { path: prefix, esType: 'mapper_parsing_exception' },
          },
        );
      }
      const path = prefix === '' ? key : `${prefix}.${key}`;
      const err = this.#walkValue(root, value, path, depth + 1, out);
      if (err !== null) return err;
    }
    return null;
  }

  #walkValue(
    root: unknown,
    value: unknown,
    path: string,
    depth: number,
    out: Map<string, FieldType>,
  ): StoreMappingError | null {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) {
      for (const item of value) {
        const err = this.#walkValue(root, item, path, depth, out);
        if (err !== null) return err;
      }
      return null;
    }
    const type = valueType(value, this.#dateDetection);
    if (type === null) return null;
    const seen = out.get(path);
    if (seen === undefined) {
      out.set(path, type);
    } else {
      const merged = unify(seen, type);
      if (merged === null) return conflictError(root, path, seen, type);
      out.set(path, merged);
    }
    if (type === 'object') return this.#walkObject(root, value as Record<string, unknown>, path, depth, out);
    return null;
  }
}

/**
 * The dynamic-mapping type of one JSON value (an array's: its first typed element's), or null
 * for values that add nothing (null, empty arrays, non-JSON values).
 */
export function valueType(value: unknown, dateDetection = true): FieldType | null {
  if (Array.isArray(value)) {
    for (const item of value) {
      const t = valueType(item, dateDetection);
      if (t !== null) return t;
    }
    return null;
  }
  switch (typeof value) {
    case 'object':
      return value === null ? null : 'object';
    case 'number':
      // JSON cannot carry a non-finite number; JSON.stringify writes null.
      if (!Number.isFinite(value)) return null;
      return Number.isInteger(value) ? 'long' : 'float';
    case 'boolean':
      return 'boolean';
    case 'string':
      return dateDetection && looksLikeDate(value) ? 'date' : 'text';
    default:
      return null; // functions, symbols, bigint: not representable in JSON
  }
}

/** Types added by the accepted records of one bulk, applied to the guard on commit. */
export class FieldTypeBatch {
  readonly #guard: FieldTypeGuard;
  readonly #additions = new Map<string, FieldType>();
  #addedWeight = 0;

  constructor(guard: FieldTypeGuard) {
    this.#guard = guard;
  }

  /** Checks a document against fixed and batch types; on success keeps its new paths. */
  add(doc: unknown): StoreMappingError | null {
    const inferred = this.#guard.infer(doc);
    if (inferred instanceof StoreMappingError) return inferred;
    const fresh: Array<[string, FieldType]> = [];
    let freshWeight = 0;
    for (const [path, type] of inferred) {
      const fixed = this.#guard.typeOf(path) ?? this.#additions.get(path);
      if (fixed === undefined) {
        const preset = this.#guard.presetOf(path);
        if (preset !== undefined && !accepts(preset, type)) return conflictError(doc, path, preset, type);
        const first = preset ?? type;
        fresh.push([path, first]);
        freshWeight += weight(first);
      } else if (!accepts(fixed, type)) {
        return conflictError(doc, path, fixed, type);
      }
    }
    const { maxFields } = this.#guard.limits();
    if (this.#guard.fieldCount + this.#addedWeight + freshWeight > maxFields) {
      return new StoreMappingError(
        `illegal_argument_exception: Limit of total fields [${maxFields}] has been exceeded`,
        { details: { esType: 'illegal_argument_exception', newFields: fresh.map(([p]) => p).slice(0, 20) } },
      );
    }
    for (const [path, type] of fresh) this.#additions.set(path, type);
    this.#addedWeight += freshWeight;
    return null;
  }

  /** Paths this batch would fix, in first-seen order. */
  additions(): ReadonlyMap<string, FieldType> {
    return this.#additions;
  }

  /** Applies the additions to the guard (call after the writes are durable). */
  commit(): void {
    for (const [path, type] of this.#additions) this.#guard.learn(path, type);
  }
}
