// GET /api/records answers as the legacy node's getRecords does (issue 25), one table run on BOTH
// stores through the api's real HTTP port: value → records in order → envelope. Each row names the
// legacy line it follows (oip-arweave-indexer helpers/elasticsearch.js unless said otherwise).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, did, fixtures, totals } from './records-legacy-fixtures.js';
import { listeningApi, STORE_KINDS, type ListeningApi } from '../records-both-stores.js';

/** envelope: body fields, and `header:<name>` for a response header; fields: per record, in order. */
type Row = [
  legacy: string,
  query: string,
  keys: string[],
  envelope?: Record<string, unknown>,
  fields?: Record<string, unknown[]>,
];

const rows: Row[] = [
  // 2656-2691: the range is on scheduled_date when recordType=workoutSchedule, inclusive, unix seconds
  ['2664-2666', `recordType=workoutSchedule&dateStart=${at('2024-11-06')}`, ['s2'], { searchResults: 1 }],
  ['2664-2666', `recordType=workoutSchedule&dateEnd=${at('2024-11-05T23:59:59Z')}`, ['s1']],
  // 2667-2669: on meal_date when recordType=mealPlan
  ['2667-2669', `recordType=mealPlan&dateStart=${at('2024-11-05')}&dateEnd=${at('2024-11-06')}`, ['m1']],
  // 2670-2672: basic.date otherwise (the schedules' basic.date is 2000 or 2030)
  ['2670-2672', `dateStart=${at('2024-11-05')}&dateEnd=${at('2024-11-06')}`, ['p1']],
  ['2670-2672', `recordType=post&dateStart=${at('2024-11-06')}`, ['p2']],
  // 2657: digits are unix seconds; ours also takes YYYY-MM-DD (the UTC midnight)
  ['2657', `recordType=mealPlan&dateStart=2024-11-06`, ['m2']],
  // 4205-4236: scheduledOn a YYYY-MM-DD day, or unix seconds naming the day they fall in
  ['4222-4230', 'recordType=workoutSchedule&scheduledOn=2024-11-05', ['s1']],
  ['4209-4221', `recordType=workoutSchedule&scheduledOn=${at('2024-11-06T15:00:00Z')}`, ['s2']],
  ['4209-4221', `recordType=mealPlan&scheduledOn=${at('2024-11-07T00:00:00Z')}`, ['m2']],
  // 4363-4400: search is fuzzy (multi_match fuzziness AUTO over name, description, tagItems)
  ['4380', 'search=kettlebel', ['p1']],
  ['4380', 'search=ketlebell', ['p1']],
  ['4380', 'search=kettlebell%20swimgs', ['p1']],
  ['4380', 'search=mobilty', ['p3']],
  ['4380', 'search=yogi', ['p3']],
  // AUTO: no edit in a term of 1-2 characters
  ['4380', 'search=ru', []],
  ['4374-4386', 'search=tempo%20strech', []],
  ['4388-4400', 'search=tempo%20strech&searchMatchMode=OR', ['p2', 'p3']],
  // 3282-3296: sortBy=tags orders by the tags score legacy adds (2737-2751: matched share, 3 decimals)
  ['3282-3296', 'tags=kb,strength&sortBy=tags:asc', ['p2', 'p1'], {}, { score: ['0.500', '1.000'] }],
  ['3270-3280', 'tags=kb,strength&sortBy=score:desc', ['p1', 'p2'], {}, { score: ['1.000', '0.500'] }],
  // 3292-3294: sortBy=tags without tags is skipped (default order), and ours says so
  [
    '3292-3294',
    'recordType=post&sortBy=tags:desc',
    ['p1', 'p2', 'p3'],
    { 'header:x-oip-sort-fallback': 'sortBy=tags:desc needs tags; inArweaveBlock:desc' },
  ],
  // 4757-4760: an unknown sortBy falls back to the default order, no 400
  [
    '4757-4760',
    'recordType=post&sortBy=bogus:up',
    ['p1', 'p2', 'p3'],
    { 'header:x-oip-sort-fallback': 'sortBy=bogus:up is not a sort legacy knows; inArweaveBlock:desc' },
  ],
  // 3378-3393 + 2753-2771: matchCount, the search terms found in name, description or tags
  [
    '3378-3393',
    'search=tempo%20run%20morning&searchMatchMode=OR&sortBy=matchCount:asc',
    ['p3', 'p2'],
    { 'header:x-oip-sort': 'matchCount:asc' },
    { matchCount: [1, 2] },
  ],
  // 3395-3419: scheduleDate on the type's own date
  ['3395-3419', 'recordType=workoutSchedule&sortBy=scheduleDate:desc', ['s2', 's1']],
  ['3395-3419', 'recordType=mealPlan&sortBy=scheduleDate:asc', ['m1', 'm2']],
  // 3539-3546: exerciseNames sorts by exerciseScore (matched share + order bonus), adding the scores
  [
    '3437-3546',
    'recordType=workout&exerciseNames=Push%20Up,back%20squat',
    ['wb', 'wa'],
    {},
    { exerciseScore: [1.05, 0.55], exerciseMatchedCount: [2, 1] },
  ],
  // 2885-2902: exerciseTypeScore with exerciseType (warmup is legacy's Warm-Up)
  [
    '2885-2902',
    'recordType=exercise&exerciseType=warmup,main&sortBy=exerciseTypeScore:desc',
    ['x1', 'x2'],
    {},
    { exerciseTypeScore: ['0.500', '0.500'], exerciseTypeMatchedCount: [1, 1] },
  ],
  // 2774-2883: equipmentScore / equipmentMatchedCount, equipment named in the exercise or by dref;
  // AND keeps the exercises holding every item (2867-2873)
  [
    '2774-2873',
    'recordType=exercise&equipmentRequired=dumbbell,bench',
    ['x3'],
    { searchResults: 1 },
    { equipmentScore: ['1.000'], equipmentMatchedCount: [2] },
  ],
  [
    '2774-2876',
    'recordType=exercise&equipmentRequired=dumbbell,bench&equipmentMatchMode=OR&sortBy=equipmentScore:asc',
    ['x4', 'x3'],
    { 'header:x-oip-sort': 'equipmentScore:asc' },
    { equipmentScore: ['0.500', '1.000'], equipmentMatchedCount: [1, 2] },
  ],
  [
    '2774-2876',
    'recordType=exercise&equipmentRequired=dumbbell,bench&equipmentMatchMode=OR&sortBy=equipmentScore:desc',
    ['x3', 'x4'],
  ],
  // 2904-2917: cuisineScore / cuisineMatchedCount, the requested cuisines the recipe's contains
  [
    '2904-2917',
    'recordType=recipe&cuisine=thai,fusion&sortBy=cuisineScore:desc',
    ['r3', 'r2'],
    { searchResults: 2, 'header:x-oip-sort': 'cuisineScore:desc' },
    { cuisineScore: ['1.000', '0.500'], cuisineMatchedCount: [2, 1] },
  ],
  ['2904-2917', 'recordType=recipe&cuisine=thai,fusion&sortBy=cuisineScore:asc', ['r2', 'r3']],
  // 2915-2937: modelScore / modelMatchedCount, the requested models a provider supports (3 decimals);
  // 3358-3371: sortBy=modelScore sorts by it
  [
    '2915-2937, 3358-3371',
    'recordType=modelProvider&model=gpt-4o,claude,llama&sortBy=modelScore:desc',
    ['mp3', 'mp1', 'mp2'],
    { searchResults: 3, 'header:x-oip-sort': 'modelScore:desc' },
    { modelScore: ['1.000', '0.667', '0.333'], modelMatchedCount: [3, 2, 1] },
  ],
  ['3358-3371', 'recordType=modelProvider&model=gpt-4o,claude,llama&sortBy=modelScore:asc', ['mp2', 'mp1', 'mp3']],
  // 2923-2931: either name inside the other (gpt-4o-mini asked, gpt-4o held); the filter (4523-4556)
  // keeps the providers holding a name containing one asked for, and modelScore comes with any sortBy
  [
    '2923-2931',
    'recordType=modelProvider&model=claude&sortBy=name:asc',
    ['mp1', 'mp3'],
    {},
    { modelScore: ['1.000', '1.000'], modelMatchedCount: [1, 1] },
  ],
  // 3360-3370: sortBy=modelScore without model keeps the default order, and ours says so
  [
    '3360-3370',
    'recordType=modelProvider&sortBy=modelScore:desc',
    ['mp1', 'mp2', 'mp3'],
    { 'header:x-oip-sort-fallback': 'sortBy=modelScore:desc needs model; inArweaveBlock:desc' },
    { modelScore: [undefined, undefined, undefined] },
  ],
  // 2916: model scores modelProvider records only; elsewhere modelScore is not added, and sorts nothing
  [
    '2916',
    'recordType=post&model=gpt&sortBy=modelScore:desc',
    ['p1', 'p2', 'p3'],
    { 'header:x-oip-sort-fallback': 'sortBy=modelScore:desc needs model; inArweaveBlock:desc' },
    { modelScore: [undefined, undefined, undefined] },
  ],
  // 2939-3021: fieldSearchScore, the field's similarity to fieldSearch (equal 1000, prefix 900,
  // suffix 800, a whole word 700, inside 600), and fieldSearchMatchedCount
  [
    '2939-3021',
    'recordType=recipe&fieldName=recipe.cuisine&fieldSearch=thai&sortBy=name:asc',
    ['r2', 'r3'],
    { searchResults: 2 },
    { fieldSearchScore: [1000, 900], fieldSearchMatchedCount: [1, 1] },
  ],
  ['2946', 'fieldName=data.recipe.cuisine&fieldSearch=STREET', ['r3'], {}, { fieldSearchScore: [800] }],
  ['2948-2949', 'fieldName=recipe.cuisine&fieldSearch=fusion', ['r3'], {}, { fieldSearchScore: [700] }],
  ['2950', 'fieldName=recipe.cuisine&fieldSearch=ai%20fu', ['r3'], {}, { fieldSearchScore: [600] }],
  ['2944', 'fieldName=recipe.cuisine&fieldSearch=Thai&fieldMatchMode=exact', ['r2'], {}, { fieldSearchScore: [1000] }],
  // 4559-4569 + 2993-3019: repeated fieldName/fieldSearch are pairs, all to match; the last search serves
  // the names past it; the score is the mean over the pairs (Pad Thai: name suffix 800, cuisine equal 1000)
  [
    '4559-4569',
    'fieldName=basic.name&fieldName=recipe.cuisine&fieldSearch=toast&fieldSearch=street',
    ['r3'],
    { searchResults: 1 },
    { fieldSearchScore: [800], fieldSearchMatchedCount: [2] },
  ],
  [
    '2993-3019',
    'fieldName=basic.name&fieldName=recipe.cuisine&fieldSearch=thai',
    ['r2'],
    {},
    { fieldSearchScore: [900], fieldSearchMatchedCount: [2] },
  ],
  // 3715-3799: ingredientNames sorts by ingredientScore (matched share + 0.1 per ingredient in order)
  [
    '3717-3799',
    'recordType=recipe&ingredientNames=whole%20milk,rolled%20oats',
    ['r1', 'r2'],
    { 'header:x-oip-sort': 'ingredientScore:desc' },
    { ingredientScore: [1.05, 0.55], ingredientMatchedCount: [2, 1] },
  ],
  [
    '3749-3760',
    'recordType=recipe&ingredientNames=rolled%20oats,whole%20milk',
    ['r1', 'r2'],
    {},
    { ingredientScore: [1.1, 0.55] },
  ],
  // 3208-3216: sortBy=ver compares oip.ver as numbers (10 after 3, not as text)
  ['3208-3216', 'recordType=note&sortBy=ver:asc', ['n1', 'n3', 'n2'], { 'header:x-oip-sort': 'ver:asc' }],
  ['3208-3216', 'recordType=note&sortBy=ver:desc', ['n2', 'n3', 'n1']],
  // 3228-3236: sortBy=creatorHandle by localeCompare (amy, Bob, zed)
  [
    '3228-3236',
    'recordType=note&sortBy=creatorHandle:asc',
    ['n2', 'n3', 'n1'],
    { 'header:x-oip-sort': 'creatorHandle:asc' },
  ],
  ['3228-3236', 'recordType=note&sortBy=creatorHandle:desc', ['n1', 'n3', 'n2']],
  // utils.js 243-258: resolveFieldName as data.cat.field, cat.field, a category (data.cat or cat) or data
  ...(
    [
      [undefined, did('r1'), did('i2')],
      ['data.menu.dish', did('r1'), undefined],
      ['menu.dish', did('r1'), undefined],
      ['data.menu.drink', undefined, did('i2')],
      ['menu.drink,menu.dish', did('r1'), did('i2')],
      ['data.menu', did('r1'), did('i2')],
      ['menu', did('r1'), did('i2')],
      ['data', did('r1'), did('i2')],
      ['basic', undefined, undefined],
      ['menu.dish.oip', undefined, undefined],
    ] as const
  ).map(([names, dish, drink]): Row => [
    'utils.js 243-258',
    `did=${did('mn')}&resolveDepth=1${names === undefined ? '' : `&resolveFieldName=${names}`}`,
    ['mn'],
    {},
    { 'data.menu.dish.0.oip.did': [dish], 'data.menu.drink.oip.did': [drink] },
  ]),
  // utils.js 267-270: the selection applies at every level (the recipe's ingredients only when named)
  [
    'utils.js 267-270',
    `did=${did('mn')}&resolveDepth=2&resolveFieldName=menu.dish`,
    ['mn'],
    {},
    { 'data.menu.dish.0.data.recipe.ingredient.0': [did('i1')] },
  ],
  [
    'utils.js 267-270',
    `did=${did('mn')}&resolveDepth=2&resolveFieldName=menu.dish,recipe`,
    ['mn'],
    {},
    { 'data.menu.dish.0.data.recipe.ingredient.0.oip.did': [did('i1')] },
  ],
  // 3526-3535 + 1993-2058: summarizeRecipe puts the recipe's summary in its data (calculatedSummary…);
  // ingredients left as drefs are looked up, 'to taste' is left out, servings divide
  [
    '3526-3535',
    `did=${did('r1')}&summarizeRecipe=true`,
    ['r1'],
    { searchResults: 1 },
    {
      'data.calculatedSummaryNutritionalInfo': [totals([484, 15.7, 10, 87.4, 58, 12])],
      'data.calculatedSummaryNutritionalInfoPerServing': [totals([242, 7.9, 5, 43.7, 29, 6])],
    },
  ],
  // the same from ingredients resolved in the answer (their data.nutritionalInfo, 2011-2012)
  [
    '2003-2013',
    `did=${did('r1')}&summarizeRecipe=true&resolveDepth=1`,
    ['r1'],
    {},
    { 'data.calculatedSummaryNutritionalInfo': [totals([484, 15.7, 10, 87.4, 58, 12])] },
  ],
  ['3528', `did=${did('r1')}`, ['r1'], {}, { 'data.calculatedSummaryNutritionalInfo': [undefined] }],
  // 2020-2024: one ingredient of two counted is enough (max(1, ⌈25%⌉)); none is no summary
  [
    '2020-2024',
    'recordType=recipe&cuisine=thai&summarizeRecipe=true&sortBy=cuisineScore:desc',
    ['r2', 'r3'],
    {},
    {
      'data.calculatedSummaryNutritionalInfo': [totals([150, 8, 8, 12, 105, 24]), undefined],
      'data.summaryNutritionalInfo': [undefined, undefined],
    },
  ],
  // utils.js 309-312: a recipe resolved inside another record gets summaryNutritionalInfo
  [
    'utils.js 309-312',
    `did=${did('mn')}&summarizeRecipe=true&resolveDepth=1`,
    ['mn'],
    {},
    {
      'data.menu.dish.0.data.summaryNutritionalInfo': [totals([484, 15.7, 10, 87.4, 58, 12])],
      'data.menu.dish.0.data.summaryNutritionalInfoPerServing': [totals([242, 7.9, 5, 43.7, 29, 6])],
      'data.calculatedSummaryNutritionalInfo': [undefined],
    },
  ],
  // 3171-3179: basic.dateReadable from basic.date unless hideDateReadable=true
  ['3171-3179', 'search=kettlebell', ['p1'], {}, { 'data.basic.dateReadable': ['Tue Nov 05 2024'] }],
  ['3174', 'search=kettlebell&hideDateReadable=true', ['p1'], {}, { 'data.basic.dateReadable': [undefined] }],
];

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip !== undefined)(`GET /api/records as legacy getRecords (${kind})`, () => {
    let api: ListeningApi;
    beforeAll(async () => {
      api = await listeningApi(kind, fixtures());
    }, 60_000);
    afterAll(async () => {
      await api?.close();
    });

    it.each(rows)('legacy %s: %s', async (_legacy, query, keys, envelope, fields) => {
      const res = await fetch(`${api.baseUrl}/api/records?${query}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown> & {
        records: Array<Record<string, unknown> & { oip: { did: string } }>;
      };
      expect(body.records.map((r) => r.oip.did)).toEqual(keys.map(did));
      for (const [k, v] of Object.entries(envelope ?? {})) {
        if (k.startsWith('header:')) expect(res.headers.get(k.slice(7)), k).toBe(v);
        else expect(body[k], k).toEqual(v);
      }
      const at = (r: unknown, path: string): unknown =>
        path.split('.').reduce<unknown>((v, seg) => (v as Record<string, unknown> | undefined)?.[seg], r);
      for (const [k, v] of Object.entries(fields ?? {}))
        expect(
          body.records.map((r) => at(r, k)),
          k,
        ).toEqual(v);
    });
  });
}
