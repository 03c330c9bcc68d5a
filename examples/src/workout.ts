// FitnessAlly: publish two exercises and a workout whose `exercise` drefs point to them, then read
// the workout back with its drefs resolved (resolveDepth=1): the exercises come back inside it.
//   node dist/workout.js [api-url]      (or OIP_API_URL; OIP_EMAIL and OIP_PASSWORD pick the account)
import { publishLegDay } from './leg-day.js';
import { categoryOf, drefsOf, findRecords, nameOf } from './records.js';
import { signIn } from './session.js';
import { runExample } from './run.js';

runExample(async (config) => {
  const { oip, email } = await signIn(config);
  console.log(`signed in as ${email}`);

  const { squat, plank, workout } = await publishLegDay(oip);
  console.log(`exercise ${squat.did} "${nameOf(squat.record)}"`);
  console.log(`exercise ${plank.did} "${nameOf(plank.record)}"`);
  console.log(`workout ${workout.did} "${nameOf(workout.record)}" with exercise drefs ${squat.did}, ${plank.did}`);

  const page = await findRecords(oip, { did: workout.did, resolveDepth: '1' });
  const found = page.records[0];
  if (!found) throw new Error(`GET /api/records?did=${workout.did} found nothing`);
  const exercises = drefsOf(categoryOf(found, 'workout'), 'exercise');
  console.log(`read back "${nameOf(found)}": exercises ${exercises.map(nameOf).join(', ')}`);
});
