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
    rec(`${P}:p1`, 'post', {}, { name: 'Kettlebell swings', date: at('2024-11-05T12:00:00Z') }),
    rec(`${P}:p2`, 'post', {}, { name: 'Tempo run', date: at('2024-11-08T12:00:00Z') }),
    rec(`${P}:p3`, 'post', {}, { name: 'Morning stretch', description: 'gentle mobility', tagItems: ['yoga'] }),
  ];
}

type Row = [legacy: string, query: string, keys: string[], envelope?: Record<string, unknown>];

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

    it.each(rows)('legacy %s: %s', async (_legacy, query, keys, envelope) => {
      const res = await fetch(`${api.baseUrl}/api/records?${query}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown> & { records: Array<{ oip: { did: string } }> };
      expect(body.records.map((r) => r.oip.did)).toEqual(keys.map(did));
      for (const [k, v] of Object.entries(envelope ?? {})) expect(body[k], k).toEqual(v);
    });
  });
}
