// GET /api/records answers as the legacy node's getRecords does (issue 25), one table run on BOTH
// stores through the api's real HTTP port: value → records in order → envelope. Each row names the
// legacy line it follows (oip-arweave-indexer helpers/elasticsearch.js unless said otherwise).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rec } from '../helpers.js';
import { listeningApi, STORE_KINDS, type ListeningApi } from '../records-both-stores.js';

const P = 'q1a2b3c4d5e6';
const did = (k: string): string => `did:gun:${P}:${k}`;
const at = (iso: string): number => Date.parse(iso) / 1000;

function fixtures() {
  return [
    // basic.date far from the scheduled date, so a row shows which one was filtered.
    rec(`${P}:s1`, 'workoutSchedule', { scheduled_date: at('2024-11-05T23:59:59Z') }, { date: at('2030-01-01') }),
    rec(`${P}:s2`, 'workoutSchedule', { scheduled_date: at('2024-11-06T00:00:00Z') }, { date: at('2000-01-01') }),
    rec(`${P}:m1`, 'mealPlan', { meal_date: at('2024-11-05T08:00:00Z') }, { date: at('2030-01-01') }),
    rec(`${P}:m2`, 'mealPlan', { meal_date: at('2024-11-07T08:00:00Z') }, { date: at('2000-01-01') }),
    rec(
      `${P}:p1`,
      'post',
      {},
      { name: 'Kettlebell swings', date: at('2024-11-05T12:00:00Z'), tagItems: ['kb', 'strength'] },
    ),
    rec(`${P}:p2`, 'post', {}, { name: 'Tempo run', date: at('2024-11-08T12:00:00Z'), tagItems: ['strength'] }),
    rec(`${P}:p3`, 'post', {}, { name: 'Morning stretch', description: 'gentle mobility', tagItems: ['yoga'] }),
    rec(`${P}:x1`, 'exercise', { exercise_type: 'Main' }, { name: 'Back Squat' }),
    rec(`${P}:x2`, 'exercise', { exercise_type: 'Warm-Up' }, { name: 'Push Up' }),
    // wa matches fewer of the requested exercises than wb: the DID order (wa first) is not the score order.
    rec(`${P}:wa`, 'workout', { exercise: [did('x2')] }, { name: 'Quick' }),
    rec(`${P}:wb`, 'workout', { exercise: [did('x1'), did('x2')] }, { name: 'Full' }),
  ];
}

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
