// Calendar tokens over the api's real HTTP port (SQLite store, real Redis): generated with legacy's
// answer (routes/user.js /generate-calendar-token ~1486), reading only its owner's workoutSchedule and
// mealPlan records (middleware/auth.js enforceCalendarScope), and, unlike legacy, refused on every
// other route (writes, deletes, other reads, account and admin routes, the media gateway) even when
// the owner is an admin. Revocation and replacement take effect on the next request.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OipRecord } from '@oip/record-store';
import { call, listen, register } from '../account-http.js';
import { rec, useApi, usePurgedPrefixes } from '../helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'calendar-token-secret-0123456789';
const start = useApi();
const prefixes = usePurgedPrefixes(REDIS_URL);

const privateOf = (r: OipRecord, owner: string): OipRecord => ({
  ...r,
  data: { ...r.data, accessControl: { access_level: 'private', owner_public_key: owner } },
});
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
const dids = (body: Record<string, unknown>) =>
  (body['records'] as Array<{ oip: { did: string } }>).map((r) => r.oip.did).sort();

async function api() {
  const queuePrefix = `t-cal-${randomUUID().slice(0, 8)}`;
  prefixes.push(queuePrefix);
  const started = await start([], {
    redisUrl: REDIS_URL,
    queuePrefix,
    jwtSecret: SECRET,
    // Where the gateway would forward media: nothing listens, so a forwarded request could only fail 502.
    mediaUrl: 'http://127.0.0.1:9',
  });
  return { ...started, base: await listen(started.app) };
}

/** A user with private records of the calendar types and of another type, and a stranger's private workout. */
async function userWithRecords(t: Awaited<ReturnType<typeof api>>) {
  const owner = await register(t.base, `cal-${randomUUID().slice(0, 6)}@example.org`, 'calendar owner passphrase');
  const stranger = await register(t.base, `other-${randomUUID().slice(0, 6)}@example.org`, 'stranger passphrase 42');
  const mine = {
    workout: privateOf(rec(`s1:w-${randomUUID()}`, 'workoutSchedule', { scheduled_date: 1 }), owner.publicKey),
    meal: privateOf(rec(`s1:m-${randomUUID()}`, 'mealPlan', { meal_date: 1 }), owner.publicKey),
    post: privateOf(rec(`s1:p-${randomUUID()}`, 'post', { articleText: 'diary' }), owner.publicKey),
  };
  const theirs = privateOf(rec(`s1:t-${randomUUID()}`, 'workoutSchedule', { scheduled_date: 2 }), stranger.publicKey);
  const publicWorkout = rec(`s1:pub-${randomUUID()}`, 'workoutSchedule', { scheduled_date: 3 });
  const results = await t.store.bulkUpsert([mine.workout, mine.meal, mine.post, theirs, publicWorkout]);
  if (results.some((r) => !r.ok)) throw new Error(`fixtures refused: ${JSON.stringify(results)}`);
  return { owner, stranger, mine, theirs, publicWorkout };
}

const generate = async (base: string, token: string) => {
  const res = await call(base, '/api/user/generate-calendar-token', { method: 'POST', token });
  if (res.status !== 200) throw new Error(`generate: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
};

describe('POST /api/user/generate-calendar-token', () => {
  it("answers legacy's fields: a 365-day JWT with the calendar claims and its SHA-256 as tokenHash", async () => {
    const t = await api();
    const owner = await register(t.base, 'gen@example.org', 'generate token passphrase');
    const res = await generate(t.base, owner.token);
    const body = res.body;
    expect(body).toEqual({
      success: true,
      calendarJWT: expect.any(String),
      tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      scope: 'calendar-read-only',
      allowedRecordTypes: ['workoutSchedule', 'mealPlan'],
      expiresIn: 31_536_000,
      createdAt: expect.any(Number),
      message:
        'Calendar token generated successfully. This token provides read-only access to workouts and meal plans for 1 year.',
    });
    const { createHash } = await import('node:crypto');
    expect(body['tokenHash']).toBe(createHash('sha256').update(String(body['calendarJWT'])).digest('hex'));
    const claims = claimsOf(String(body['calendarJWT']));
    expect(claims).toMatchObject({
      userId: owner.userId,
      email: 'gen@example.org',
      publicKey: owner.publicKey,
      scope: 'calendar-read-only',
      allowedRecordTypes: ['workoutSchedule', 'mealPlan'],
      tokenType: 'calendar',
      isAdmin: false,
      jti: expect.any(String),
    });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(31_536_000);
    expect(Math.abs(Number(body['createdAt']) - Date.now())).toBeLessThan(60_000);
  });

  it('needs a token (401) and refuses a forged one (403)', async () => {
    const t = await api();
    expect((await call(t.base, '/api/user/generate-calendar-token', { method: 'POST' })).status).toBe(401);
    const forged = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"userId":"x","email":"e"}').toString('base64url')}.c2ln`;
    expect((await call(t.base, '/api/user/generate-calendar-token', { method: 'POST', token: forged })).status).toBe(
      403,
    );
  });
});

describe('a calendar token', () => {
  it("reads its owner's workoutSchedule and mealPlan records, private ones included, and no one else's", async () => {
    const t = await api();
    const f = await userWithRecords(t);
    const calendar = String((await generate(t.base, f.owner.token)).body['calendarJWT']);
    const workouts = await call(t.base, '/api/records?recordType=workoutSchedule', { token: calendar });
    expect(workouts.status).toBe(200);
    expect(dids(workouts.body)).toEqual([f.mine.workout.oip.did, f.publicWorkout.oip.did].sort());
    expect(workouts.body['auth']).toMatchObject({ authenticated: true, user: { userId: f.owner.userId } });
    const meals = await call(t.base, '/api/records?recordType=mealPlan', { token: calendar });
    expect([meals.status, dids(meals.body)]).toEqual([200, [f.mine.meal.oip.did]]);
  });

  it('is refused (403 API_ERR_TOKEN_SCOPE) everywhere else, even when its owner is an admin; nothing is written', async () => {
    const t = await api();
    const f = await userWithRecords(t);
    await t.accounts.setAdmin(f.owner.userId, true);
    const calendar = String((await generate(t.base, f.owner.token)).body['calendarJWT']);
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', '/api/records?recordType=post'],
      ['GET', '/api/records'],
      ['GET', '/api/records?recordType=workoutSchedule&recordType=mealPlan'],
      ['GET', '/api/records?recordType=userFitnessProfile'],
      ['GET', '/api/records/recordTypes'],
      ['GET', `/api/records/${encodeURIComponent(f.mine.workout.oip.did)}`],
      ['GET', '/api/records/creator/did:arweave:devon?recordType=workoutSchedule'],
      [
        'POST',
        '/api/records/newRecord?recordType=workoutSchedule&storage=gun&localId=cal-1',
        { basic: { name: 'Sneaky' }, workoutSchedule: { scheduled_date: 1 } },
      ],
      ['POST', '/api/records/deleteRecord', { delete: { did: f.mine.workout.oip.did } }],
      ['POST', '/api/records/index', { records: [] }],
      ['GET', '/api/user/mnemonic?password=calendar%20owner%20passphrase'],
      ['POST', '/api/user/mnemonic', { password: 'calendar owner passphrase' }],
      ['POST', '/api/user/change-password', { oldPassword: 'calendar owner passphrase', newPassword: 'x'.repeat(20) }],
      ['POST', '/api/user/generate-calendar-token'],
      ['POST', '/api/user/revoke-calendar-token'],
      ['GET', '/api/user/admin/users'],
      ['POST', '/api/user/admin/update-status', { userId: f.owner.userId, field: 'subscriptionStatus' }],
      ['GET', '/api/admin/dlq'],
      ['POST', '/api/media/upload', { file: 'x' }],
      ['GET', '/api/media/some-media-id'],
      ['POST', '/api/media/createRecord', { mediaId: 'a'.repeat(64) }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(t.base, path, { method, token: calendar, ...(body === undefined ? {} : { body }) });
      expect([method, path, res.status, res.headers.get('x-error-code')]).toEqual([
        method,
        path,
        403,
        'API_ERR_TOKEN_SCOPE',
      ]);
    }
    // Nothing it tried took effect: the record is there, no status flipped, the token still reads.
    expect(
      await t.store.get(f.mine.workout.oip.did, { access: { viewerPublicKey: f.owner.publicKey } }),
    ).not.toBeNull();
    expect((await t.accounts.findById(f.owner.userId))?.subscriptionStatus).toBe('inactive');
    expect((await call(t.base, '/api/records?recordType=workoutSchedule', { token: calendar })).status).toBe(200);
  });

  it('stops working at once when revoked, and when a new one replaces it; the new one works', async () => {
    const t = await api();
    const f = await userWithRecords(t);
    const read = (token: string) => call(t.base, '/api/records?recordType=mealPlan', { token });
    const first = String((await generate(t.base, f.owner.token)).body['calendarJWT']);
    expect((await read(first)).status).toBe(200);
    const second = String((await generate(t.base, f.owner.token)).body['calendarJWT']);
    expect([(await read(first)).status, (await read(second)).status]).toEqual([403, 200]);
    const revoked = await call(t.base, '/api/user/revoke-calendar-token', { method: 'POST', token: f.owner.token });
    expect(revoked).toMatchObject({
      status: 200,
      body: {
        success: true,
        message: 'Calendar token revoked successfully. Generate a new token to restore calendar access.',
      },
    });
    const after = await read(second);
    expect([after.status, after.headers.get('x-error-code')]).toEqual([403, 'API_ERR_TOKEN_INVALID']);
    // The owner's standard token is untouched.
    expect((await call(t.base, '/api/records?recordType=post', { token: f.owner.token })).status).toBe(200);
  });

  it("is refused once its account is deleted, and one user's revocation leaves another's token alone", async () => {
    const t = await api();
    const f = await userWithRecords(t);
    const mine = String((await generate(t.base, f.owner.token)).body['calendarJWT']);
    const theirs = String((await generate(t.base, f.stranger.token)).body['calendarJWT']);
    await call(t.base, '/api/user/revoke-calendar-token', { method: 'POST', token: f.stranger.token });
    expect((await call(t.base, '/api/records?recordType=mealPlan', { token: mine })).status).toBe(200);
    expect((await call(t.base, '/api/records?recordType=mealPlan', { token: theirs })).status).toBe(403);
    await t.accounts.delete(f.owner.userId);
    t.app.accountStates.forget(f.owner.userId);
    expect((await call(t.base, '/api/records?recordType=mealPlan', { token: mine })).status).toBe(403);
  });
});
