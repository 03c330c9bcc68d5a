// The client against the real api (apps/api's buildApp, listening on loopback) over a SQLite store
// in a temp dir, a fake GUN relay on loopback and the real Redis under a prefix of its own: the
// typed calls and the errors' codes as the api answers them.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, parseConfig } from '@oip/api';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { purgePrefix } from '@oip/queue-contracts';
import { createOipClient, ok, type OipApiError, type OipClient } from '../src/index.js';

const prefix = `client-test-${randomUUID().slice(0, 8)}`;
const credentials = { email: 'ada@example.org', password: 'a long client test password' };
let dir: string;
let relay: FakeRelay;
let app: FastifyInstance;
let anonymous: OipClient;
let baseUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'client-test-'));
  relay = await startFakeRelay();
  app = buildApp(
    parseConfig({
      store: { kind: 'sqlite', dataDir: dir },
      relayUrl: relay.url,
      mediaUrl: 'http://127.0.0.1:9',
      queuePrefix: prefix,
      jwtSecret: randomUUID(),
      logLevel: 'silent',
      maxEventLoopDelayMs: 0,
    }),
  );
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  anonymous = createOipClient({ baseUrl });
});

afterAll(async () => {
  await app?.close();
  await relay?.close();
  const redis = new Redis('redis://127.0.0.1:6379');
  await purgePrefix(redis, prefix);
  await redis.quit();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const rejection = (p: Promise<unknown>): Promise<OipApiError> =>
  p.then(
    () => {
      throw new Error('resolved, expected a rejection');
    },
    (err: unknown) => err as OipApiError,
  );

describe('@oip/client against the api', () => {
  it('registers (201) and logs in with the same publisher key; a second registration is refused by code', async () => {
    const registered = await ok(anonymous.POST('/api/user/register', { body: credentials }));
    expect(registered.token.split('.')).toHaveLength(3);
    const login = await ok(anonymous.POST('/api/user/login', { body: credentials }));
    expect(login.publicKey).toBe(registered.publicKey);
    const again = await rejection(ok(anonymous.POST('/api/user/register', { body: credentials })));
    expect([again.status, again.code]).toEqual([400, 'ACCOUNTS_ERR_DUPLICATE_EMAIL']);
  });

  it("sends the token: without it 401 API_ERR_TOKEN_REQUIRED, with a user's 403 API_ERR_ADMIN_REQUIRED", async () => {
    const { token } = await ok(anonymous.POST('/api/user/login', { body: credentials }));
    const dlq = (oip: OipClient) => ok(oip.GET('/api/admin/dlq', { params: { query: { offset: 0, limit: 10 } } }));
    const without = await rejection(dlq(anonymous));
    expect([without.status, without.code]).toEqual([401, 'API_ERR_TOKEN_REQUIRED']);
    expect(without.requestId).toEqual(expect.any(String));
    const user = await rejection(dlq(createOipClient({ baseUrl, token })));
    expect([user.status, user.code]).toEqual([403, 'API_ERR_ADMIN_REQUIRED']);
  });

  it('publishes an exercise and a workout referring to it; the workout reads back with the exercise resolved', async () => {
    const { token } = await ok(anonymous.POST('/api/user/login', { body: credentials }));
    const oip = createOipClient({ baseUrl, token });
    const publish = (recordType: string, localId: string, body: Record<string, unknown>) =>
      ok(oip.POST('/api/records/newRecord', { params: { query: { recordType, localId } }, body }));
    const exercise = await publish('exercise', 'squat', {
      basic: { name: 'Squat' },
      exercise: { exercise_type: 'main' },
    });
    const workout = await publish('workout', 'legs', {
      basic: { name: 'Legs' },
      workout: { exercise: [exercise.did] },
    });
    const page = await ok(
      anonymous.GET('/api/records', { params: { query: { did: workout.did, resolveDepth: '1' } } }),
    );
    expect(page.records.map((r) => r.data)).toEqual([
      expect.objectContaining({
        workout: {
          exercise: [expect.objectContaining({ data: expect.objectContaining({ basic: { name: 'Squat' } }) })],
        },
      }),
    ]);
    const refused = await rejection(publish('exercise', 'bad', { basic: {} }));
    expect([refused.status, refused.code]).toEqual([400, 'API_ERR_INVALID_RECORD']);
  });
});
