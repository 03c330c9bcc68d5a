// The records two examples share: two exercises and a workout whose `exercise` drefs point to them.
import type { OipClient } from '@oip/client';
import { publish, type ApiRecord } from './records.js';

export interface LegDay {
  squat: { did: string; record: ApiRecord };
  plank: { did: string; record: ApiRecord };
  workout: { did: string; record: ApiRecord };
}

/** Publishes the exercises, then the workout referring to them (fixed localIds: a rerun publishes new versions). */
export async function publishLegDay(oip: OipClient): Promise<LegDay> {
  const squat = await publish(oip, 'exercise', 'goblet-squat', {
    basic: { name: 'Goblet squat', description: 'A squat holding a kettlebell at the chest', tagItems: ['legs'] },
    exercise: {
      instructions: ['Hold the kettlebell at the chest', 'Squat until the thighs are level', 'Stand up'],
      muscleGroups: ['quadriceps', 'glutes'],
      equipmentRequired: ['kettlebell'],
      exercise_type: 'main',
      recommended_sets: 3,
      recommended_reps: 10,
    },
  });
  const plank = await publish(oip, 'exercise', 'plank', {
    basic: { name: 'Plank', description: 'Hold a straight line on the forearms', tagItems: ['core'] },
    exercise: {
      muscleGroups: ['core'],
      equipmentRequired: ['mat'],
      exercise_type: 'cool-down',
      target_duration_seconds: 60,
    },
  });
  const workout = await publish(oip, 'workout', 'leg-day', {
    basic: { name: 'Leg day', description: 'Squats, then a plank', tagItems: ['legs', 'core'] },
    workout: {
      total_duration_minutes: 25,
      exercise: [squat.did, plank.did],
      exercise_amount: [3, 1],
      exercise_unit: ['sets', 'minutes'],
    },
  });
  return { squat, plank, workout };
}
