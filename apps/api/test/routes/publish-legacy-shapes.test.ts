// POST /api/records/newRecord with the legacy shapes of every FitnessAlly type and legacy's storage /
// localId / accessControl inputs, over the api's real HTTP port (real SQLite, real Redis for the
// rate limit, a relay on loopback); each answer in legacy's fields and the record readable back.
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { publisherHash } from '@oip/records';
import { call, listen } from '../account-http.js';
import { publisherKey, rec, useApi, usePurgedPrefixes } from '../helpers.js';
import { signToken } from '../jwt.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'publish-legacy-secret-0123456789';
const PK = publisherKey();
const token = signToken({ userId: 'u-fit', email: 'fit@example.org', publicKey: PK }, SECRET);
const other = signToken({ userId: 'u-other', email: 'other@example.org', publicKey: publisherKey() }, SECRET);
const start = useApi({ accountsFor: [`Bearer ${token}`, `Bearer ${other}`] });
const prefixes = usePurgedPrefixes(REDIS_URL);

let base: string;
beforeEach(async () => {
  const prefix = `t-publegacy-${randomUUID().slice(0, 8)}`;
  prefixes.push(prefix);
  const { app } = await start(
    [
      rec('ex:squat', 'exercise', { exercise_type: 'Main' }),
      rec('ni:oats', 'nutritionalInfo', { calories: 150 }),
      rec('rc:oats', 'recipe', { servings: 1 }),
      rec('wo:legs', 'workout', { total_duration_minutes: 20 }),
      rec('im:oats', 'image', { width: 10 }),
    ],
    { redisUrl: REDIS_URL, queuePrefix: prefix, jwtSecret: SECRET, writeRateLimit: 1000 },
  );
  base = await listen(app);
});

const basic = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  description: `${name} description`,
  date: 1762372800,
  language: 'en',
  nsfw: false,
  webUrl: '',
  tagItems: ['fitnessally'],
  ...extra,
});

// value (a legacy body) → answer → the record read back
const SHAPES: Array<{ type: string; body: Record<string, unknown>; source: string }> = [
  {
    // routes/publish.js:1389-1418 (newWorkout's workoutData)
    type: 'workout',
    source: 'publish.js:1389',
    body: {
      basic: basic('Leg day'),
      workout: {
        total_duration_minutes: 30,
        estimated_calories_burned: 250,
        includesWarmup: true,
        includesMain: true,
        includesCooldown: false,
        nonStandardWorkout: false,
        exercise_amount: [3],
        exercise_unit: ['sets'],
        exercise: ['did:gun:ex:squat'],
        exercise_comment: [''],
        instructions: '',
        author: '',
        authorDRef: null,
        notes: '',
      },
    },
  },
  {
    // publish.js:1103-1127 (newRecipe's recipeData: empty lists sent as null, avatar a dref)
    type: 'recipe',
    source: 'publish.js:1103',
    body: {
      basic: basic('Overnight oats', { language: 'En', avatar: 'did:gun:im:oats' }),
      recipe: {
        prep_time_mins: 5,
        cook_time_mins: 0,
        total_time_mins: 5,
        servings: 1,
        ingredient_amount: null,
        ingredient_unit: null,
        ingredient: ['did:gun:ni:oats'],
        ingredient_comment: null,
        instructions: 'Soak overnight.',
        notes: '',
        cuisine: 'American',
        course: 'Breakfast',
        author: '',
      },
      blockchain: 'gun',
    },
  },
  {
    // publish.js:2590-2625 (newNutritionalInfo: camelCase fields as the template names them)
    type: 'nutritionalInfo',
    source: 'publish.js:2590',
    body: {
      basic: basic('Oats'),
      nutritionalInfo: {
        standardAmount: 1,
        standardUnit: 'cup',
        calories: 300,
        proteinG: 10,
        fatG: 5,
        carbohydratesG: 54,
        allergens: [],
        glutenFree: false,
        organic: true,
      },
    },
  },
  {
    // exercise records as the legacy exercise template holds them (instructions and muscleGroups lists)
    type: 'exercise',
    source: 'publish.js:2078 (template field names)',
    body: {
      basic: basic('Squat'),
      exercise: {
        instructions: ['Stand', 'Squat'],
        muscleGroups: ['legs'],
        equipmentRequired: ['none'],
        exercise_type: 'Main',
        est_duration_minutes: 5,
      },
    },
  },
  {
    // workoutSchedule: scheduled_date unix seconds (docs/_archive/.../SCHEDULED_ON_BUG_FIX.md), private as FitnessAlly publishes it
    type: 'workoutSchedule',
    source: 'SCHEDULED_ON_BUG_FIX.md:27-38',
    body: {
      basic: basic('Monday legs'),
      workoutSchedule: { scheduled_date: 1762372800, workout: 'did:gun:wo:legs' },
      accessControl: { access_level: 'private', owner_public_key: PK },
    },
  },
  {
    // mealPlan: meal_date + meal_reference (helpers/elasticsearch.js mealPlan filters; API_RECORDS_ENDPOINT_DOCUMENTATION.md:1099)
    type: 'mealPlan',
    source: 'API_RECORDS_ENDPOINT_DOCUMENTATION.md:1099',
    body: {
      basic: basic('Monday breakfast'),
      mealPlan: { meal_date: 1762372800, meal_reference: ['did:gun:rc:oats'], meal_type: 'breakfast' },
      accessControl: { access_level: 'private' },
    },
  },
  {
    type: 'shoppingList',
    source: 'record-types.ts shoppingList (legacy item / item_amounts / item_units)',
    body: {
      basic: basic('Groceries'),
      shoppingList: { item: ['did:gun:ni:oats', 'milk'], item_amounts: [1, 2], item_units: ['cup', 'l'] },
      storage: 'gun',
      localId: 'groceries-week-45',
    },
  },
  {
    type: 'post',
    source: 'publish.js:2656',
    body: { basic: basic('Progress'), post: { articleText: 'Week one done.', bylineWriter: 'fit' } },
  },
  {
    type: 'image',
    source: 'publish.js:1551',
    body: {
      basic: basic('Before'),
      image: { webUrl: 'https://example.org/a.jpg', contentType: 'image/jpeg', width: 10 },
    },
  },
];

const publish = (body: unknown, query: string, who = token) =>
  call(base, `/api/records/newRecord?${query}`, { body, token: who });

describe('newRecord takes every FitnessAlly type in its legacy shape', () => {
  it.each(SHAPES)('$type ($source)', async ({ type, body }) => {
    const res = await publish(body, `recordType=${type}&storage=gun`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // records.js:168-180: recordToIndex, storage, then did, soul, encrypted for gun
    expect(Object.keys(res.body)).toEqual(['recordToIndex', 'storage', 'did', 'soul', 'encrypted']);
    const restricted = (body['accessControl'] as { access_level?: string } | undefined)?.access_level === 'private';
    expect(res.body).toMatchObject({ storage: 'gun', encrypted: restricted });
    const did = String(res.body['did']);
    const read = await call(base, `/api/records?did=${encodeURIComponent(did)}`, { token });
    const [record] = read.body['records'] as Array<{
      data: Record<string, Record<string, unknown>>;
      oip: { recordType: string };
    }>;
    expect(record?.oip.recordType).toBe(type);
    expect(record?.data['basic']).toMatchObject({ name: (body['basic'] as { name: string }).name });
    // Publish options are not record data; null fields are left out.
    for (const key of ['storage', 'blockchain', 'localId']) expect(record?.data).not.toHaveProperty(key);
    for (const [field, value] of Object.entries(body[type] as Record<string, unknown>)) {
      if (value === null) expect(record?.data[type]).not.toHaveProperty(field);
      else expect(record?.data[type]?.[field]).toEqual(value);
    }
  });
});

describe("newRecord takes legacy's storage / localId / accessControl inputs (records.js:139-154)", () => {
  const rows: Array<{ name: string; query: string; body: Record<string, unknown>; status: number; soulEnd?: string }> =
    [
      // records.js:141: storage from the body before the query
      { name: 'storage in the body', query: 'recordType=post', body: { storage: 'gun' }, status: 200 },
      {
        name: 'storage=arweave in the body',
        query: 'recordType=post&storage=gun',
        body: { storage: 'arweave' },
        status: 400,
      },
      // records.js:140-141: blockchain when no storage is given
      { name: 'blockchain=arweave', query: 'recordType=post&blockchain=arweave', body: {}, status: 400 },
      { name: 'irys in the query', query: 'recordType=post&storage=irys', body: {}, status: 400 },
      // Differs on purpose: no storage at all is gun here (legacy: arweave)
      { name: 'no storage', query: 'recordType=post', body: {}, status: 200 },
      // records.js:152: localId from the query before the body
      {
        name: 'localId in the body',
        query: 'recordType=post',
        body: { localId: 'from-body' },
        status: 200,
        soulEnd: ':from-body',
      },
      {
        name: 'localId in query and body',
        query: 'recordType=post&localId=from-query',
        body: { localId: 'from-body' },
        status: 200,
        soulEnd: ':from-query',
      },
      { name: 'a localId that is not a string', query: 'recordType=post', body: { localId: 7 }, status: 400 },
    ];
  it.each(rows)('$name → $status', async ({ query, body, status, soulEnd }) => {
    const res = await publish({ basic: basic('p'), post: { articleText: 'x' }, ...body }, query);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status === 400) {
      const code = (res.body['error'] as { code: string }).code;
      expect(['API_ERR_STORAGE_NOT_SUPPORTED', 'API_ERR_INVALID_RECORD']).toContain(code);
      return;
    }
    if (soulEnd !== undefined) expect(String(res.body['soul'])).toBe(`${publisherHash(PK)}${soulEnd}`);
  });

  // templateHelper.js:937-949: accessControl from the body or the query; owner_public_key and
  // created_by filled with the publisher's key when absent; private / shared / organization encrypted.
  const access: Array<{
    name: string;
    query: string;
    body: Record<string, unknown>;
    encrypted: boolean;
    owner: string | null;
  }> = [
    {
      name: 'private in the body, no owner',
      query: '',
      body: { accessControl: { access_level: 'private' } },
      encrypted: true,
      owner: PK,
    },
    {
      name: 'private in the query',
      query: `&accessControl=${encodeURIComponent(JSON.stringify({ access_level: 'private' }))}`,
      body: {},
      encrypted: true,
      owner: PK,
    },
    {
      name: 'the body wins over the query',
      query: `&accessControl=${encodeURIComponent(JSON.stringify({ access_level: 'private' }))}`,
      body: { accessControl: { access_level: 'public' } },
      encrypted: false,
      owner: PK,
    },
    { name: 'public', query: '', body: { accessControl: { access_level: 'public' } }, encrypted: false, owner: PK },
    { name: 'none', query: '', body: {}, encrypted: false, owner: null },
  ];
  it.each(access)('accessControl: $name', async ({ query, body, encrypted, owner }) => {
    const res = await publish({ basic: basic('a'), post: { articleText: 'x' }, ...body }, `recordType=post${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body['encrypted']).toBe(encrypted);
    const did = encodeURIComponent(String(res.body['did']));
    const mine = (
      (await call(base, `/api/records?did=${did}`, { token })).body['records'] as Array<{
        data: Record<string, Record<string, unknown>>;
      }>
    )[0];
    expect(mine?.data['accessControl']?.['owner_public_key'] ?? null).toBe(owner);
    if (owner !== null) expect(mine?.data['accessControl']?.['created_by']).toBe(owner);
    // A private record is its publisher's only.
    const theirs = (await call(base, `/api/records?did=${did}`, { token: other })).body['records'] as unknown[];
    expect(theirs).toHaveLength(encrypted ? 0 : 1);
  });

  it('an accessControl query that is not a JSON object is a 400 naming it', async () => {
    for (const value of ['{nope', '"private"', '[1]']) {
      const res = await publish(
        { basic: basic('b'), post: {} },
        `recordType=post&accessControl=${encodeURIComponent(value)}`,
      );
      expect([res.status, (res.body['error'] as { code: string }).code]).toEqual([400, 'API_ERR_INVALID_QUERY']);
      expect((res.body['error'] as { message: string }).message).toContain('accessControl');
    }
  });
});
