// Deterministic FitnessAlly-shaped records for the records benchmarks: workouts, exercises,
// recipes, workout schedules (one per day over a year, spread over creators) and posts, with tags
// and names drawn from small vocabularies so filters match a realistic share of records.
import type { OipRecord } from '@oip/record-store';

const PUB = '647f79c2a338';
export const WORDS = [
  'squat',
  'deadlift',
  'press',
  'row',
  'lunge',
  'plank',
  'curl',
  'sprint',
  'mobility',
  'tempo',
  'hinge',
  'carry',
  'jump',
  'stretch',
  'core',
  'pull',
  'push',
  'kettlebell',
  'barbell',
  'dumbbell',
];
export const TAG_COUNT = 200;
export const CREATORS = 1000;
/** The first scheduled day (2026-01-01 UTC, unix seconds). */
export const SCHEDULE_START = Date.UTC(2026, 0, 1) / 1000;

const TYPES = [
  'workout',
  'workout',
  'workout',
  'exercise',
  'exercise',
  'recipe',
  'recipe',
  'workoutSchedule',
  'workoutSchedule',
  'post',
] as const;

/** A small LCG so every run builds the same data. */
function mix(n: number): number {
  return (Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) >>> 0) ^ ((n * 2654435761) >>> 0);
}

export function tagOf(i: number): string {
  return `tag-${i % TAG_COUNT}`;
}

export function creatorOf(i: number): string {
  return `did:arweave:creator-${i % CREATORS}`;
}

/** Record `i` of the set. */
export function fitnessRecord(i: number): OipRecord {
  const h = mix(i);
  const recordType = TYPES[i % TYPES.length]!;
  const did = `did:gun:${PUB}:${recordType}-${i}`;
  const w1 = WORDS[h % WORDS.length]!;
  const w2 = WORDS[(h >>> 8) % WORDS.length]!;
  const tags = [tagOf(h), tagOf(h >>> 5), tagOf(h >>> 11)];
  const data: OipRecord['data'] = {
    basic: {
      name: `${w1} ${w2} ${i}`,
      description: `A ${recordType} built around the ${w1} and the ${w2}.`,
      date: 1_700_000_000 + (i % 50_000_000),
      language: 'en',
      tagItems: tags,
    },
  };
  switch (recordType) {
    case 'workout':
      data.workout = {
        exercise: [0, 1, 2, 3].map((k) => `did:gun:${PUB}:exercise-${(((h >>> k) % 100_000) * 10 + 3) % 1_000_000}`),
        total_duration_minutes: 20 + (h % 50),
      };
      break;
    case 'exercise':
      data.exercise = {
        equipmentRequired: [WORDS[h % 3 === 0 ? 17 : 18]!],
        exercise_type: ['Warm-Up', 'Main', 'Cool-Down'][h % 3]!,
      };
      break;
    case 'recipe':
      data.recipe = {
        cuisine: ['Mediterranean', 'Italian', 'Greek', 'Mexican', 'Japanese'][h % 5]!,
        servings: 1 + (h % 6),
      };
      break;
    case 'workoutSchedule':
      data.workoutSchedule = {
        scheduled_date: SCHEDULE_START + (i % 365) * 86_400 + (h % 86_400),
        workout: `did:gun:${PUB}:workout-${(h % 100_000) * 10}`,
      };
      break;
    default:
      data.post = { articleText: `Notes on ${w1}.` };
  }
  return {
    data,
    oip: {
      ver: '0.8.0',
      recordType,
      did,
      didTx: did,
      storage: 'gun',
      inArweaveBlock: 1_500_000 + i,
      indexedAt: new Date(1_764_000_000_000 + i * 1000).toISOString(),
      creator: { creatorHandle: `creator${i % CREATORS}`, didAddress: creatorOf(i), publicKey: `pk-${i % CREATORS}` },
    },
  };
}
