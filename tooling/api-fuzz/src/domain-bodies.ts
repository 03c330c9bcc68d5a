// Bodies that mean something to the routes whose documented schema is loose on purpose (newRecord
// takes any object, register and login take unknown email and password so the account service
// names the rule): records of every FitnessAlly type and access level with drefs to the stack's
// records (mostly valid, so most publishes go through; a tenth of the fields near misses), credentials
// strong, weak and taken, deletions of the stack's deletable records.
import fc from 'fast-check';
import { anyJson, hostileString, plainJson, prototypeKey } from './hostile-values.js';
import { jsonObject, type JsonTree } from './json-text.js';
import { fixture, gunDid, RECORD_TYPES } from './param-hints.js';

/** Passes the api's strength check (zxcvbn). */
export const STRONG_PASSWORD = 'correct horse battery staple 42';

/** `good` nine times in ten, `near` (a value the record rules refuse, or a hostile one) the tenth. */
const mostly = <T>(good: fc.Arbitrary<T>, near: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ weight: 9, arbitrary: good }, { weight: 1, arbitrary: near });
const text = (max: number) => fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: max }) }, hostileString);
const names = fc.array(fc.oneof(fc.constantFrom('squat', 'lunge', 'flour', 'eggs', 'mat'), hostileString), {
  maxLength: 3,
});
const dref = mostly(
  fc.oneof({ weight: 2, arbitrary: fixture('did') }, fc.stringMatching(/^did:gun:[0-9a-f]{12}:[a-z0-9-]{1,12}$/)),
  gunDid,
);
const drefs = fc.array(dref, { minLength: 1, maxLength: 3 });
const amounts = fc.array(
  fc.oneof(fc.integer({ min: 0, max: 500 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
  { maxLength: 3 },
);
/** An object of the given fields, each there or not; those named in `required` always there. */
const obj = (pairs: Array<[string, fc.Arbitrary<JsonTree>]>, required: readonly string[] = []) =>
  fc
    .tuple(
      ...pairs.map(([k, a]) =>
        required.includes(k)
          ? a.map((v) => [[k, v] as const])
          : fc.option(a, { nil: undefined }).map((v) => (v === undefined ? [] : [[k, v] as const])),
      ),
    )
    .map((xs) => jsonObject(xs.flat()));

const basic = fc
  .tuple(
    mostly(fc.string({ minLength: 1, maxLength: 40 }), hostileString),
    obj([
      ['description', text(200)],
      ['date', mostly(fc.integer({ min: 0, max: 4_102_444_800 }), fc.integer({ min: -10, max: -1 }))],
      ['language', mostly(fc.constantFrom('en', 'de'), fc.constant('xx-very-long-language-tag'))],
      ['tagItems', fc.array(text(20), { maxLength: 4 })],
      ['nsfw', fc.boolean()],
    ]),
  )
  .map(([name, rest]) => jsonObject([['name', name], ...rest.obj]));

const CATEGORY: Record<string, fc.Arbitrary<JsonTree>> = {
  post: obj([['articleText', fc.oneof(text(400), dref)]]),
  workout: obj([
    ['exercise', drefs],
    ['exercise_name', names],
    ['total_duration_minutes', mostly(fc.integer({ min: 0, max: 300 }), fc.constant(-1))],
    ['exercise_amount', amounts],
  ]),
  exercise: obj([
    ['equipmentRequired', fc.oneof(names, drefs)],
    ['exercise_type', text(20)],
    ['instructions', text(100)],
  ]),
  recipe: obj([
    ['ingredient', fc.oneof(names, drefs)],
    ['ingredient_amount', amounts],
    ['servings', fc.integer({ min: 0, max: 12 })],
    ['cuisine', text(20)],
  ]),
  workoutSchedule: obj(
    [
      ['workout', drefs],
      ['scheduled_date', fc.integer({ min: 0, max: 4_102_444_800 })],
    ],
    ['scheduled_date'],
  ),
  mealPlan: obj(
    [
      ['meal_reference', drefs],
      ['meal_date', fc.integer({ min: 0, max: 4_102_444_800 })],
    ],
    ['meal_date'],
  ),
  shoppingList: obj([
    ['item', names],
    ['item_amounts', amounts],
    ['item_units', names],
  ]),
  nutritionalInfo: obj([
    ['calories', fc.integer({ min: 0, max: 5000 })],
    ['proteinG', fc.double({ min: 0, max: 500, noNaN: true })],
  ]),
  conversationSession: obj([
    ['is_private', fc.boolean()],
    ['owner_public_key', fc.oneof(fixture('pubkey'), text(70))],
    ['messages', fc.array(text(40), { maxLength: 3 })],
  ]),
  organization: obj([
    ['org_handle', text(20)],
    ['membership_policy', fc.constantFrom('Open Join', 'Auto-Enroll App Users', 'Invite Only', 'Token-Gated', 'x')],
    ['webUrl', fc.constantFrom('https://example.org', 'example.org', 'not a url')],
  ]),
};

const accessControl = obj([
  ['access_level', mostly(fc.constantFrom('public', 'private', 'shared', 'organization'), hostileString)],
  [
    'shared_with',
    fc.oneof(fc.array(fc.oneof(fixture('pubkey'), fixture('did'), text(20)), { maxLength: 3 }), fixture('pubkey')),
  ],
  ['owner_public_key', fixture('pubkey')],
]);

/** A newRecord query's record type and a body for it (types match most of the time). */
export const recordPublication: fc.Arbitrary<{ recordType: string; body: JsonTree }> = fc
  .tuple(
    fc.constantFrom(...RECORD_TYPES),
    fc.nat({ max: 9 }),
    basic,
    fc.option(accessControl, { nil: undefined }),
    // More categories beside the type's own (objects, as every category; some named like prototype members).
    fc.array(
      fc.tuple(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 8 }),
          prototypeKey.filter((k) => k !== '__proto__'),
        ),
        fc.array(fc.tuple(fc.string({ maxLength: 8 }), plainJson), { maxLength: 3 }).map(jsonObject),
      ),
      { maxLength: 2 },
    ),
  )
  .chain(([type, mismatch, b, access, extra]) => {
    const cat = CATEGORY[type] ?? obj([['field', plainJson]]);
    return cat.map((c) => {
      const pairs: Array<readonly [string, JsonTree]> = [['basic', b]];
      // One in ten carries no category of its type (a 400 naming the field).
      if (mismatch > 0) pairs.push([type, c]);
      if (access !== undefined) pairs.push(['accessControl', access]);
      return { recordType: type, body: jsonObject([...pairs, ...extra]) };
    });
  });

/** A record as /api/records/index takes it (admin): data, oip with did and recordType, and more. */
export const indexBody: fc.Arbitrary<JsonTree> = fc
  .tuple(
    recordPublication,
    fc.oneof(fc.stringMatching(/^did:gun:[0-9a-f]{12}:fz-[0-9]{1,3}$/), gunDid),
    fc.option(fixture('creator'), { nil: undefined }),
  )
  .map(([{ recordType, body }, did, creator]) =>
    jsonObject([
      ['data', body],
      [
        'oip',
        jsonObject([
          ['did', did],
          ['recordType', recordType],
          ...(creator ? ([['creator', jsonObject([['didAddress', creator]])]] as const) : []),
        ]),
      ],
    ]),
  );

const badEmail = fc.oneof(
  fc.constantFrom(
    'not-an-email',
    '@example.org',
    'a@b',
    'UPPER@EXAMPLE.ORG',
    ' spaced@example.org ',
    'a@@b.org',
    `${'x'.repeat(300)}@example.org`,
  ),
  hostileString,
);
const badPassword = fc.oneof(
  fc.constantFrom('password', '12345678', 'short', '', 'correct horse battery staple 43', 'x'.repeat(5000)),
  fc.string({ maxLength: 40 }),
  hostileString,
);
const credentialsOf = (email: fc.Arbitrary<string>, password: fc.Arbitrary<string>): fc.Arbitrary<JsonTree> =>
  obj([
    ['email', fc.oneof({ weight: 8, arbitrary: email }, anyJson)],
    ['password', fc.oneof({ weight: 8, arbitrary: password }, anyJson)],
  ]);

/** Register bodies: fresh and taken addresses (40 fresh ones, so most runs register some), strong and weak passwords, wrong types. */
export const registration: fc.Arbitrary<JsonTree> = credentialsOf(
  fc.oneof(
    { weight: 4, arbitrary: fc.nat({ max: 39 }).map((n) => `fuzz-${n}@example.org`) },
    fixture('email'),
    badEmail,
  ),
  fc.oneof({ weight: 3, arbitrary: fc.constant(STRONG_PASSWORD) }, badPassword),
);

/** Login bodies: the stack's accounts and the fuzz's registrations with the right and wrong passwords, and garbage. */
export const login: fc.Arbitrary<JsonTree> = credentialsOf(
  fc.oneof(
    { weight: 4, arbitrary: fixture('email') },
    { weight: 2, arbitrary: fc.nat({ max: 39 }).map((n) => `fuzz-${n}@example.org`) },
    badEmail,
  ),
  fc.oneof({ weight: 4, arbitrary: fc.constant(STRONG_PASSWORD) }, badPassword),
);

/** deleteRecord bodies (legacy `{ delete: { did } }` and `{ did }`), aimed at the deletable records first. */
export const deletion: fc.Arbitrary<JsonTree> = fc
  .tuple(fc.oneof({ weight: 3, arbitrary: fixture('deletable') }, gunDid), fc.boolean())
  .map(([did, legacy]) => (legacy ? jsonObject([['delete', jsonObject([['did', did]])]]) : jsonObject([['did', did]])));

/** A media record for an uploaded file (or a made-up id of the right shape). */
export const mediaRecordBody: fc.Arbitrary<JsonTree> = fc
  .tuple(
    fc.oneof({ weight: 3, arbitrary: fixture('media') }, fc.stringMatching(/^[0-9a-f]{64}$/)),
    fc.constantFrom('image', 'video', 'audio'),
    obj([
      [
        'basicInfo',
        obj([
          ['name', fc.string({ minLength: 1, maxLength: 30 })],
          ['tagItems', fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 })],
        ]),
      ],
      ['accessControl', obj([['access_level', fc.constantFrom('public', 'private')]])],
      ['width', fc.integer({ min: 0, max: 4000 })],
      ['duration', fc.double({ min: 0, max: 600, noNaN: true })],
    ]),
  )
  .map(([mediaId, type, rest]) => jsonObject([['mediaId', mediaId], ['recordType', type], ...rest.obj]));
