// FitnessAlly's week: a workoutSchedule (the leg-day workout on Wednesday) and a mealPlan (a recipe
// on Thursday) for this week, one more workoutSchedule next week, then the week's schedule and
// meals queried with dateStart/dateEnd (on scheduled_date / meal_date for these types) and the
// drefs resolved. Only this account's records are asked for (creator_did_address).
//   node dist/week-schedule.js [api-url]      (or OIP_API_URL; OIP_EMAIL and OIP_PASSWORD pick the account)
import { publishLegDay } from './leg-day.js';
import { categoryOf, creatorOf, drefsOf, findRecords, nameOf, publish } from './records.js';
import { signIn } from './session.js';
import { runExample } from './run.js';
import { dayOf, isoDay, weekOf } from './week.js';

runExample(async (config) => {
  const { oip, email } = await signIn(config);
  console.log(`signed in as ${email}`);
  const week = weekOf(new Date());
  const range = { dateStart: week.start.toISOString(), dateEnd: week.end.toISOString() };
  console.log(`week ${isoDay(dayOf(week, 0))} to ${isoDay(dayOf(week, 6))}`);

  const { workout } = await publishLegDay(oip);
  const creator = creatorOf(workout.record);
  const recipe = await publish(oip, 'recipe', 'tomato-pasta', {
    basic: { name: 'Tomato pasta', tagItems: ['dinner'] },
    recipe: {
      ingredient: ['pasta', 'tomatoes', 'olive oil'],
      ingredient_amount: [200, 400, 15],
      ingredient_unit: ['g', 'g', 'ml'],
      servings: 2,
      cuisine: 'italian',
    },
  });
  const wednesday = dayOf(week, 2, 7);
  const thursday = dayOf(week, 3, 19);
  const nextMonday = dayOf(week, 7, 7);
  await publish(oip, 'workoutSchedule', `legs-${isoDay(wednesday)}`, {
    basic: { name: 'Wednesday legs' },
    workoutSchedule: { scheduled_date: wednesday, workout: workout.did },
  });
  await publish(oip, 'workoutSchedule', `legs-${isoDay(nextMonday)}`, {
    basic: { name: 'Next Monday legs' },
    workoutSchedule: { scheduled_date: nextMonday, workout: workout.did },
  });
  await publish(oip, 'mealPlan', `dinner-${isoDay(thursday)}`, {
    basic: { name: 'Thursday dinner' },
    mealPlan: { meal_date: thursday, meal_reference: recipe.did, servings: 2 },
  });
  console.log(
    `published workoutSchedules on ${isoDay(wednesday)} and ${isoDay(nextMonday)}, a mealPlan on ${isoDay(thursday)}`,
  );

  const mine = { creator_did_address: creator, resolveDepth: '1', sortBy: 'scheduleDate:asc', ...range };
  const schedule = await findRecords(oip, { recordType: 'workoutSchedule', ...mine });
  console.log(`workoutSchedule this week: ${schedule.searchResults}`);
  for (const r of schedule.records) {
    const s = categoryOf(r, 'workoutSchedule');
    console.log(
      `  ${isoDay(Number(s['scheduled_date']))} ${nameOf(r)}: ${drefsOf(s, 'workout').map(nameOf).join(', ')}`,
    );
  }
  const meals = await findRecords(oip, { recordType: 'mealPlan', ...mine });
  console.log(`mealPlan this week: ${meals.searchResults}`);
  for (const r of meals.records) {
    const m = categoryOf(r, 'mealPlan');
    console.log(
      `  ${isoDay(Number(m['meal_date']))} ${nameOf(r)}: ${drefsOf(m, 'meal_reference').map(nameOf).join(', ')}`,
    );
  }
});
