// Which field-type changes `widenField` applies: only widenings the store takes without losing
// data or changing how the field is searched. Names are Elasticsearch's (the guard's vocabulary
// is a subset of them). Everything else is refused with STORE_ERR_WIDENING_REFUSED and a reason.
import { StoreInvalidError, StoreWideningRefusedError } from './errors.js';

/** from → the types it may be widened to. */
export const SAFE_WIDENINGS: Readonly<Record<string, readonly string[]>> = {
  byte: ['short', 'integer', 'long', 'float', 'double'],
  short: ['integer', 'long', 'float', 'double'],
  integer: ['long', 'float', 'double'],
  // float keeps 24 bits of mantissa: longs past 2^24 lose precision there; prefer double.
  long: ['float', 'double'],
  half_float: ['float', 'double'],
  float: ['double'],
  keyword: ['text'],
};

/** Type names a widening may name (targets and sources). */
export const KNOWN_FIELD_TYPES: ReadonlySet<string> = new Set([
  'object',
  'nested',
  'text',
  'keyword',
  'match_only_text',
  'wildcard',
  'boolean',
  'date',
  'date_nanos',
  'byte',
  'short',
  'integer',
  'long',
  'unsigned_long',
  'half_float',
  'float',
  'double',
  'scaled_float',
]);

const NUMERIC = new Set([
  'byte',
  'short',
  'integer',
  'long',
  'unsigned_long',
  'half_float',
  'float',
  'double',
  'scaled_float',
]);
const OBJECTS = new Set(['object', 'nested']);

export type WideningReason = 'object_mismatch' | 'narrowing' | 'not_a_widening';

/** The reason a change is refused, in words an operator can act on. */
function refusal(path: string, from: string, to: string): { reason: WideningReason; text: string } {
  if (OBJECTS.has(from) !== OBJECTS.has(to)) {
    return {
      reason: 'object_mismatch',
      text:
        `the stored documents hold ${OBJECTS.has(from) ? 'objects' : `${from} values`} at ${path}, which ${/^[aeiou]/.test(to) ? 'an' : 'a'} ${to} field cannot take; ` +
        'no mapping change converts them. Keep such records degraded (SYNC_ON_MAPPING_CONFLICT=degrade) or have the publisher use a new field name',
    };
  }
  if ((NUMERIC.has(from) && NUMERIC.has(to)) || (from === 'text' && to === 'keyword')) {
    return {
      reason: 'narrowing',
      text: `${to} cannot hold every ${from} value already stored at ${path}: data would be lost`,
    };
  }
  return {
    reason: 'not_a_widening',
    text: `${from} → ${to} changes how ${path} is stored or searched (e.g. range filters or full text); only ${describeWidenings()} are applied`,
  };
}

/** "long → float/double, …", for messages and docs. */
export function describeWidenings(): string {
  return Object.entries(SAFE_WIDENINGS)
    .map(([f, t]) => `${f} → ${t.join('/')}`)
    .join(', ');
}

/** 'unchanged' when from = to, 'widen' when allowed; throws StoreWideningRefusedError otherwise. */
export function checkWidening(path: string, from: string, to: string): 'unchanged' | 'widen' {
  if (!KNOWN_FIELD_TYPES.has(to)) {
    throw new StoreInvalidError(`unknown field type "${to}" (one of ${[...KNOWN_FIELD_TYPES].join(', ')})`, {
      details: { path, to },
    });
  }
  if (from === to) return 'unchanged';
  if (SAFE_WIDENINGS[from]?.includes(to)) return 'widen';
  const r = refusal(path, from, to);
  throw new StoreWideningRefusedError(`refusing to change ${path} from ${from} to ${to}: ${r.text}`, {
    details: { path, from, to, reason: r.reason },
  });
}
