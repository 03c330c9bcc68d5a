// Each legacy /api/records filter parameter through app.inject() on the real SQLite store:
// value → records (in order) and envelope counts; bad values → 400 naming the parameter.
import { describe, expect, it } from 'vitest';
import { rec, useApi } from '../helpers.js';

const start = useApi();
const P = 'a1b2c3d4e5f6';
const did = (k: string): string => `did:gun:${P}:${k}`;
const day = (iso: string): number => Date.parse(iso) / 1000;

function fixtures() {
  return [
    rec(`${P}:eq1`, 'equipment', {}, { name: 'Barbell' }),
    rec(`${P}:ex1`, 'exercise', { equipmentRequired: [did('eq1')], exercise_type: 'Main' }, { name: 'Back Squat' }),
    rec(`${P}:ex2`, 'exercise', { equipmentRequired: [], exercise_type: 'Warm-Up' }, { name: 'Push Up' }),
    rec(`${P}:ex3`, 'exercise', { equipment: 'Adjustable Bench', exercise_type: 'Cool-Down' }, { name: 'Bench Press' }),
    rec(
      `${P}:w1`,
      'workout',
      { exercise: [did('ex1'), did('ex2')], total_duration_minutes: 45 },
      { name: 'Leg Day', tagItems: ['legs', 'strength'] },
    ),
    rec(
      `${P}:w2`,
      'workout',
      { exercise: [did('ex3')], total_duration_minutes: 30 },
      { name: 'Chest Day', tagItems: ['strength'] },
    ),
    rec(`${P}:w3`, 'workout', { exercise: ['push up'] }, { name: 'Leg Day', tagItems: ['quick'] }),
    rec(`${P}:ing1`, 'nutritionalInfo', {}, { name: 'Whole Wheat Flour' }),
    rec(
      `${P}:r1`,
      'recipe',
      { ingredient: [did('ing1'), 'maple syrup'], cuisine: 'American', course: 'Breakfast' },
      { name: 'Pancakes' },
    ),
    rec(
      `${P}:r2`,
      'recipe',
      { ingredient: ['rice noodles'], cuisine: 'Thai', course: 'Main' },
      { name: 'Pad Thai', language: 'th' },
    ),
    rec(`${P}:s1`, 'workoutSchedule', { scheduled_date: day('2024-11-05T23:59:59Z') }, { name: 'Tuesday' }),
    rec(`${P}:s2`, 'workoutSchedule', { scheduled_date: day('2024-11-06T00:00:00Z') }, { name: 'Wednesday' }),
    rec(`${P}:m1`, 'mealPlan', { meal_date: day('2024-11-05T08:00:00Z') }, { name: 'Tuesday meals' }),
  ];
}

type Row = [query: string, keys: string[], counts?: { searchResults?: number; totalPages?: number }];

const tables: Record<string, Row[]> = {
  exactMatch: [
    ['recordType=recipe&exactMatch=' + encodeURIComponent('{"data.basic.language":"th"}'), ['r2']],
    ['exactMatch=' + encodeURIComponent('{"data.workout.total_duration_minutes":45}'), ['w1']],
    ['exactMatch=' + encodeURIComponent('{"data.workout.total_duration_minutes":"45"}'), []],
    ['exactMatch=' + encodeURIComponent('{"oip.recordType":"exercise","data.exercise.exercise_type":"Main"}'), ['ex1']],
  ],
  fieldSearch: [
    ['fieldName=recipe.course&fieldSearch=BREAK', ['r1']],
    ['fieldName=data.recipe.course&fieldSearch=Main&fieldMatchMode=EXACT', ['r2']],
    ['fieldName=recipe.course&fieldSearch=main&fieldMatchMode=exact', []],
  ],
  noDuplicates: [
    ['recordType=workout&noDuplicates=true', ['w2', 'w1'], { searchResults: 2, totalPages: 1 }],
    ['recordType=workout&noDuplicates=1&sortBy=name:desc', ['w1', 'w2']],
    ['recordType=workout&noDuplicates=false', ['w2', 'w1', 'w3'], { searchResults: 3 }],
    ['recordType=workout&noDuplicates=true&limit=1&page=2', ['w1'], { searchResults: 2, totalPages: 2 }],
  ],
  exerciseNames: [
    ['exerciseNames=back%20squat', ['w1']],
    ['exerciseNames=Push%20Up', ['w1', 'w3']],
    ['exerciseNames=squat', []],
  ],
  exerciseDIDs: [[`exerciseDIDs=${did('ex3')},${did('nope')}`, ['w2']]],
  ingredientNames: [
    ['ingredientNames=flour', ['r1']],
    ['ingredientNames=NOODLE,syrup', ['r2', 'r1']],
  ],
  equipmentRequired: [
    ['equipmentRequired=barbell', ['ex1']],
    ['equipmentRequired=barbell,bench', []],
    ['equipmentRequired=barbell,bench&equipmentMatchMode=or', ['ex1', 'ex3', 'ex2']],
  ],
  exerciseType: [
    ['exerciseType=warmup', ['ex2']],
    ['exerciseType=cooldown,MAIN', ['ex1', 'ex3']],
  ],
  cuisine: [
    ['cuisine=thai', ['r2']],
    ['cuisine=amer,nordic', ['r1']],
  ],
  scheduledOn: [
    ['recordType=workoutSchedule&scheduledOn=2024-11-05', ['s1']],
    ['recordType=mealPlan&scheduledOn=2024-11-05', ['m1']],
    ['recordType=workoutSchedule&scheduledOn=2024-11-06', ['s2']],
  ],
};

describe('GET /api/records legacy filter parameters', () => {
  for (const [param, rows] of Object.entries(tables)) {
    it(`${param}: value → records, order and counts`, async () => {
      const { app } = await start(fixtures());
      for (const [query, keys, counts] of rows) {
        const sort = query.includes('sortBy=') ? '' : '&sortBy=name:asc';
        const res = await app.inject(`/api/records?${query}${sort}`);
        expect(res.statusCode, query).toBe(200);
        const body = res.json();
        expect(
          body.records.map((r: { oip: { did: string } }) => r.oip.did),
          query,
        ).toEqual(keys.map(did));
        expect(body.searchResults, query).toBe(counts?.searchResults ?? keys.length);
        if (counts?.totalPages !== undefined) expect(body.totalPages, query).toBe(counts.totalPages);
        // totalRecords counts the store (of the recordType, when given), as legacy.
        if (!query.includes('recordType=')) expect(body.totalRecords, query).toBe(13);
      }
    });
  }

  it('summarizeTags adds tagSummary and tagCount; with tags the records carry a tag of the summary page', async () => {
    const { app } = await start(fixtures());
    const all = (await app.inject('/api/records?recordType=workout&summarizeTags=true&sortBy=name:asc')).json();
    expect(all.tagSummary).toEqual([
      { tag: 'strength', count: 2 },
      { tag: 'legs', count: 1 },
      { tag: 'quick', count: 1 },
    ]);
    expect(all.tagCount).toBe(3);
    expect(all.searchResults).toBe(3);
    const paged = (
      await app.inject(
        '/api/records?recordType=workout&summarizeTags=true&tagCount=1&tagPage=2&tags=legs,quick&sortBy=name:asc',
      )
    ).json();
    expect(paged.tagSummary).toEqual([{ tag: 'quick', count: 1 }]);
    // The summary is over the records matching tags=legs,quick: w1 (legs, strength) and w3 (quick).
    expect(paged.tagCount).toBe(3);
    expect(paged.records.map((r: { oip: { did: string } }) => r.oip.did)).toEqual([did('w3')]);
    const plain = (await app.inject('/api/records?recordType=workout')).json();
    expect(plain).not.toHaveProperty('tagSummary');
    expect(plain).not.toHaveProperty('tagCount');
  });

  it('names the parameter of a bad value in a 400', async () => {
    const { app } = await start();
    for (const [q, name] of [
      ['exactMatch=notjson', 'exactMatch'],
      ['exactMatch=' + encodeURIComponent('[1]'), 'exactMatch'],
      ['exactMatch=' + encodeURIComponent('{"data.x":{"a":1}}'), 'exactMatch'],
      ['exactMatch=' + encodeURIComponent('{"meta.x":"y"}'), 'exactMatch'],
      ['fieldSearch=x', 'fieldName'],
      ['fieldName=recipe.course', 'fieldSearch'],
      ['fieldName=a..b&fieldSearch=x', 'fieldName'],
      ['fieldName=a&fieldSearch=x&fieldMatchMode=fuzzy', 'fieldMatchMode'],
      ['noDuplicates=yes', 'noDuplicates'],
      ['equipmentRequired=x&equipmentMatchMode=XOR', 'equipmentMatchMode'],
      ['scheduledOn=2024-13-01', 'scheduledOn'],
      ['scheduledOn=2024-11-5', 'scheduledOn'],
      ['exerciseDIDs=not-a-did', 'exerciseDIDs'],
      ['summarizeTags=maybe', 'summarizeTags'],
      ['summarizeTags=true&tagCount=0', 'tagCount'],
      ['summarizeTags=true&tagCount=1000&tagPage=11', 'tagPage'],
      ['cuisine=' + Array.from({ length: 101 }, (_, i) => `c${i}`).join(','), 'cuisine'],
    ] as const) {
      const res = await app.inject(`/api/records?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code, q).toBe('API_ERR_INVALID_QUERY');
      expect(res.json().error.message, q).toContain(name);
    }
  });

  it('ignores unknown parameters', async () => {
    const { app } = await start(fixtures());
    const res = await app.inject('/api/records?recordType=recipe&sortBy=name:asc&notAParam=1&exercise_names=x');
    expect(res.statusCode).toBe(200);
    expect(res.json().records.map((r: { oip: { did: string } }) => r.oip.did)).toEqual([did('r2'), did('r1')]);
  });
});
