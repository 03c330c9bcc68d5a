// Values that mean something to a parameter, by its name. The records routes take every filter as
// a string (the legacy parameters, parsed by the api), so values drawn from the schema alone would
// almost never reach past the parse; these dictionaries, written from the parameters' documented
// forms, reach the store queries, the sort, the dref resolver and the tag summary. Each mixes
// well-formed values, near misses and the stack's own records and accounts.
import fc from 'fast-check';
import { hostileString, prototypeKey } from './hostile-values.js';
import { ref, type FixtureKind } from './fuzz-request.js';

export const RECORD_TYPES = [
  'post',
  'image',
  'video',
  'audio',
  'recipe',
  'workout',
  'exercise',
  'shoppingList',
  'mealPlan',
  'workoutSchedule',
  'nutritionalInfo',
  'organization',
  'conversationSession',
] as const;

/** A reference to one of the first `n` fixtures of `kind`. */
export const fixture = (kind: FixtureKind, n = 16): fc.Arbitrary<string> =>
  fc.nat({ max: n - 1 }).map((i) => ref(kind, i));

const word = fc.constantFrom(
  'fuzz',
  'hill',
  'sprints',
  'cardio',
  'Private',
  'shared',
  'recipe',
  'pasta',
  'e2e',
  'a',
  'ünïcödé',
  '😀',
);
const words = (max: number) =>
  fc.array(fc.oneof({ weight: 4, arbitrary: word }, hostileString), { minLength: 1, maxLength: max });
const list = (item: fc.Arbitrary<string>, max = 5) =>
  fc.array(item, { minLength: 1, maxLength: max }).map((xs) => xs.join(','));

export const recordType: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...RECORD_TYPES) },
  prototypeKey,
  hostileString,
);

export const gunDid: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fixture('did') },
  fixture('deletable'),
  fc.stringMatching(/^did:gun:[0-9a-f]{12}:[a-z0-9-]{1,12}$/),
  fc.stringMatching(/^did:arweave:[A-Za-z0-9_-]{43}$/),
  fc.constantFrom('did:gun:', 'did:gun:x', 'did:arweave:', 'did:web:example.org', 'did:gun:__proto__:constructor'),
);

/** The documented values, most of the time; near misses the rest. */
const mostly = (good: string[], near: string[]) =>
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...good) }, fc.constantFrom(...near));
const numeric = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 100 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 1200 }).map(String) },
  fc.constantFrom(
    '',
    '0',
    '1.5',
    '1e3',
    '0x10',
    ' 5',
    '5 ',
    '+3',
    '-0',
    'abc',
    '99999999999999999999',
    'NaN',
    'Infinity',
  ),
);
const flag = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('true', 'false', '1', '0') },
  fc.constantFrom('TRUE', 'yes', '', 'null'),
);
const isoDay = fc
  .date({ min: new Date('1969-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const dateForm = fc.oneof(
  { weight: 3, arbitrary: isoDay },
  fc
    .date({ min: new Date('1969-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.integer({ min: -1, max: 4_102_444_800 }).map(String),
  fc.integer({ min: 0, max: 4_102_444_800_000 }).map(String),
  fc.constantFrom('2024-13-45', '2024-02-30', '1e20', 'yesterday', '0000-00-00', '-1', '2024-01-01T25:61:00Z'),
);
const sortField = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('inArweaveBlock', 'date', 'indexedAt', 'recordType', 'name') },
  prototypeKey,
  hostileString,
);
const sortBy = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(sortField, fc.constantFrom('asc', 'desc')).map(([f, d]) => `${f}:${d}`) },
  fc.tuple(sortField, fc.constantFrom('ASC', 'up', '', 'desc:asc')).map(([f, d]) => `${f}:${d}`),
  sortField,
);
const exactMatchKey = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'data.basic.name',
      'oip.recordType',
      'data.post.articleText',
      'data.basic.language',
      'oip.creator.creatorHandle',
      'data.accessControl.access_level',
    ),
  },
  prototypeKey.map((k) => `data.${k}.x`),
  prototypeKey,
  hostileString,
);
const exactMatchValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant({ nested: 1 }),
  fc.constant([1, 2]),
);
const exactMatch = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(fc.tuple(exactMatchKey, exactMatchValue), { maxLength: 3 })
      .map((pairs) => JSON.stringify(Object.fromEntries(pairs))),
  },
  fc.constantFrom('{', '[]', 'null', '"x"', '{"data.basic.name":1e400}', '{"__proto__":{"x":1}}', '{"a":1,"a":2}', '1'),
);
const fieldName = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'recipe.course',
      'data.recipe.course',
      'basic.name',
      'data.basic.tagItems',
      'post.articleText',
      'basic',
    ),
  },
  prototypeKey.map((k) => `${k}.x`),
  fc.constantFrom('a..b', '.x', 'x.', 'data.', '__proto__.polluted', 'constructor.prototype'),
  hostileString,
);

/** newRecord's localId: the end of the record's soul, so soul rules apply (whitespace, separators, unicode). */
export const localId: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,16}$/) },
  fc.string({ minLength: 1, maxLength: 16 }),
  hostileString.filter((x) => x.length > 0),
);

const HINTS: ReadonlyMap<string, fc.Arbitrary<string>> = new Map([
  ['localId', localId],
  ['recordType', recordType],
  ['did', gunDid],
  ['didTx', gunDid],
  ['didAddress', fc.oneof({ weight: 3, arbitrary: fixture('creator') }, gunDid)],
  ['creator_did_address', fc.oneof({ weight: 3, arbitrary: fixture('creator') }, gunDid)],
  ['creatorHandle', fc.oneof({ weight: 3, arbitrary: fixture('handle') }, hostileString)],
  ['source', mostly(['all', 'gun', 'arweave'], ['GUN', 'x', ''])],
  ['storage', mostly(['all', 'gun', 'arweave'], ['irys', 'x', ''])],
  ['search', words(4).map((w) => w.join(' '))],
  ['fieldSearch', words(2).map((w) => w.join(' '))],
  ['searchMatchMode', mostly(['AND', 'OR'], ['and', 'xor', ''])],
  ['tagsMatchMode', mostly(['AND', 'OR'], ['or', 'xor', ''])],
  ['equipmentMatchMode', mostly(['AND', 'OR'], ['nand', ''])],
  ['fieldMatchMode', mostly(['partial', 'exact'], ['regex', ''])],
  ['tags', list(fc.oneof(word, fc.constant('')))],
  ['exerciseNames', list(word)],
  ['ingredientNames', list(word)],
  ['equipmentRequired', list(word)],
  ['exerciseType', list(word)],
  ['cuisine', list(word)],
  [
    'resolveFieldName',
    list(
      fc.oneof(fc.constantFrom('data.workout.exercise', 'data.post.articleText', 'data.recipe.ingredient'), fieldName),
    ),
  ],
  ['exerciseDIDs', list(gunDid, 3)],
  ['dateStart', dateForm],
  ['dateEnd', dateForm],
  ['scheduledOn', fc.oneof(isoDay, fc.constantFrom('2024-02-30', 'today', '20240101'))],
  ['sortBy', sortBy],
  ['limit', numeric],
  ['page', numeric],
  ['tagCount', numeric],
  ['tagPage', numeric],
  ['resolveDepth', fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }).map(String) }, numeric)],
  ['exactTotal', flag],
  ['resolveNamesOnly', flag],
  ['hideNullValues', flag],
  ['noDuplicates', flag],
  ['summarizeTags', flag],
  ['exactMatch', exactMatch],
  ['fieldName', fieldName],
]);

/** Meaningful values of the parameter `name`, or undefined when it has none. */
export function hintFor(name: string): fc.Arbitrary<string> | undefined {
  return HINTS.get(name);
}
