// Values that have broken parsers, lookups and stores: prototype names as keys and values, NUL and
// control characters, unicode edge cases (lone surrogates, combining marks, bidi overrides), numbers
// JSON.parse turns into Infinity or loses precision on, deep nesting, huge strings (bounded so a
// body stays within the api's 1 MiB limit), and small arbitrary JSON.
import fc from 'fast-check';
import { jsonObject, type JsonTree } from './json-text.js';

/** Names that an object keyed by input would resolve on its prototype. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'prototype',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'isPrototypeOf',
] as const;

export const prototypeKey: fc.Arbitrary<string> = fc.constantFrom(...PROTOTYPE_KEYS);

const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\t',
  '\r\n',
  '\u001b[31m',
  '\u007f',
  '\u2028\u2029',
  '\uFEFF',
  '\uD800',
  'a\uDFFFb',
  '𝕏',
  'e\u0301',
  '\u202Eevil',
  '../../etc/passwd',
  '..',
  '.',
  '/',
  '//',
  '%',
  '%00',
  '%zz',
  '${x}',
  "'; DROP TABLE records; --",
  '"',
  '\\',
  '*',
  '?',
  '#',
  '&',
  '=',
  '[]',
  '{}',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e400',
  '-1e400',
  '0x10',
  '9007199254740993',
  'true',
  'did:',
  'did:gun:',
  'did:gun:../x',
  'did:arweave:',
] as const;

/** Strings built to hurt: prototype names, dotted and sorted forms of them, control characters, unicode edge cases. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SPECIAL_STRINGS),
  prototypeKey,
  fc
    .tuple(prototypeKey, fc.constantFrom('%s.x', 'x.%s', 'data.%s', '%s:asc', '%s:desc', 'basic.%s', '%s,%s'))
    .map(([k, f]) => f.replaceAll('%s', k)),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
);

/** Number tokens JSON.parse accepts but a store must not take as they come. */
export const hostileNumberToken: fc.Arbitrary<JsonTree> = fc
  .constantFrom(
    '1e400',
    '-1e400',
    '-0',
    '1e-400',
    '9007199254740993',
    '1.7976931348623157e309',
    '0.0000000000000000000000001',
    '123456789012345678901234567890',
  )
  .map((raw) => ({ raw }));

/** Nesting past any sane bound, as raw text (arrays or objects). */
export const deepNesting: fc.Arbitrary<JsonTree> = fc
  .tuple(fc.integer({ min: 65, max: 20_000 }), fc.boolean())
  .map(([n, arrays]) => ({ raw: arrays ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n) }));

/**
 * A long string of one repeated character whose JSON text is at most ~900 KB (under the api's 1 MiB
 * body limit): the cost of a character is the larger of its UTF-8 bytes and its JSON escape.
 */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom<[string, number]>(['a', 1], ['é', 2], ['\u0000', 6], ['𝕏', 4]),
    fc.integer({ min: 10_000, max: 900_000 }),
  )
  .map(([[c, cost], n]) => c.repeat(Math.floor(n / cost)));

/** Small JSON trees: the common scalars plus `extra` ones, arrays and objects with keys from `key`, a few levels deep. */
function jsonTree(extra: ReadonlyArray<fc.Arbitrary<JsonTree>>, key: fc.Arbitrary<string>): fc.Arbitrary<JsonTree> {
  return fc.letrec<{ value: JsonTree }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string({ maxLength: 16 }),
      hostileString,
      ...extra,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), key), tie('value')), { maxLength: 4 }).map(jsonObject),
    ),
  })).value;
}

/** Small arbitrary JSON: scalars (hostile ones among them), arrays and objects a few levels deep. */
export const anyJson: fc.Arbitrary<JsonTree> = jsonTree([hostileNumberToken], prototypeKey);

/**
 * Small JSON a route must take as it is: what anyJson holds minus what the api refuses by design
 * (numbers that overflow, a `__proto__` key); keys named like other prototype members stay.
 */
export const plainJson: fc.Arbitrary<JsonTree> = jsonTree(
  [],
  fc.constantFrom('constructor', 'toString', 'valueOf', 'hasOwnProperty'),
);

/** A value that is not of JSON type `type` (string, number, integer, boolean, array, object, null). */
export function wrongType(type: string | undefined): fc.Arbitrary<JsonTree> {
  const all: Record<string, fc.Arbitrary<JsonTree>> = {
    string: fc.oneof(fc.string({ maxLength: 8 }), hostileString),
    number: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), hostileNumberToken),
    boolean: fc.boolean(),
    array: fc.array(anyJson, { maxLength: 3 }),
    object: fc
      .array(fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), prototypeKey), anyJson), { maxLength: 3 })
      .map(jsonObject),
    null: fc.constant(null),
  };
  const excluded = type === 'integer' ? 'number' : type;
  return fc.oneof(
    ...Object.entries(all)
      .filter(([t]) => t !== excluded)
      .map(([, a]) => a),
  );
}
