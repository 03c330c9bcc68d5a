// Publishing on one node, reading on another: node A runs gun-proxy and the api; node B runs a
// gun-proxy peered with A's over websocket, a sync-worker on its own relay and its own api. An
// account registered and logged in on A publishes a workout with exercise drefs; A answers it at
// once with the drefs resolved; B's sync-worker indexes it once (through the GUN mesh) and B's api
// answers it; the owner's deletion on A removes it on both. 50 concurrent publishes by two users
// through A's api all land in the registry index of a real GUN relay.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApi } from '../src/node-api.js';
import { until } from '@oip/test-kit';
import { buildApp, parseConfig as apiConfig } from '@oip/api';
import { GunClient } from '@oip/gun-client';
import { startGunProxy, type StartedGunProxy } from '@oip/gun-proxy/testing';
import { purgePrefix } from '@oip/queue-contracts';
import { parseConfig as workerConfig, startSyncWorker, type SyncWorker } from '@oip/sync-worker';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'e2e-two-nodes-secret-0123456789';
const NODE_A = 'aaaaaaaaaaaaaaa1';
const NODE_B = 'bbbbbbbbbbbbbbb1';
const prefixA = `e2e-pubA-${randomUUID().slice(0, 8)}`;
const prefixB = `e2e-pubB-${randomUUID().slice(0, 8)}`;

let relayA: StartedGunProxy;
let relayB: StartedGunProxy;
let apiA: FastifyInstance;
let apiB: FastifyInstance;
let urlA: string;
let urlB: string;
let worker: SyncWorker;
let redis: Redis;
let dir: string;

/** The fields of the api's answers this test reads. */
interface Answer {
  status: number;
  body: {
    token: string;
    publicKey: string;
    did: string;
    soul: string;
    success: boolean;
    error: { code: string };
    records: Array<{ data: { workout: { exercise: Array<{ data: { basic: { name: string } } }> } } }>;
  };
}

const call = (
  base: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<Answer> => new NodeApi(base, base).call<Answer['body']>(path, init);

async function account(email: string): Promise<{ token: string; publicKey: string }> {
  const reg = await call(urlA, '/api/user/register', { method: 'POST', body: { email, password: 'a long password' } });
  expect(reg.status).toBe(201);
  const login = await call(urlA, '/api/user/login', { method: 'POST', body: { email, password: 'a long password' } });
  expect(login.status).toBe(200);
  return { token: login.body.token, publicKey: login.body.publicKey };
}

const syncB = async (what: string, ok: () => Promise<boolean>) =>
  until(
    async () => {
      await worker.discoverNow();
      await worker.waitIdle(15_000);
      return ok();
    },
    { what: what, ok: (v) => v, timeoutMs: 40_000, intervalMs: 250 },
  );

beforeAll(async () => {
  relayA = await startGunProxy();
  relayB = await startGunProxy({ peers: [relayA.wsUrl] });
  dir = mkdtempSync(join(tmpdir(), 'oip-e2e-pub-'));
  const storeA = { kind: 'sqlite' as const, dataDir: join(dir, 'a') };
  const storeB = { kind: 'sqlite' as const, dataDir: join(dir, 'b') };
  apiA = buildApp(
    apiConfig({
      store: storeA,
      relayUrl: relayA.url,
      redisUrl: REDIS_URL,
      queuePrefix: prefixA,
      jwtSecret: SECRET,
      nodeId: NODE_A,
      logLevel: 'silent',
      writeRateLimit: 1000,
    }),
  );
  urlA = await apiA.listen({ port: 0, host: '127.0.0.1' });
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  worker = await startSyncWorker(
    workerConfig({
      redisUrl: REDIS_URL,
      queuePrefix: prefixB,
      relays: [relayB.url],
      recordTypes: ['workout', 'exercise'],
      store: storeB,
      syncIntervalMs: 3_600_000,
      discoverOnStart: false,
      concurrency: 8,
      healthPort: -1,
      logLevel: 'silent',
      nodeId: NODE_B,
    }),
    { redis, logger: pino({ level: 'silent' }), memoryGuard: false },
  );
  apiB = buildApp(
    apiConfig({
      store: storeB,
      relayUrl: relayB.url,
      redisUrl: REDIS_URL,
      queuePrefix: prefixB,
      jwtSecret: SECRET,
      nodeId: NODE_B,
      logLevel: 'silent',
    }),
  );
  urlB = await apiB.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);

afterAll(async () => {
  await apiB?.close();
  await worker?.close();
  await apiA?.close();
  await relayB?.close();
  await relayA?.close();
  if (redis) {
    await purgePrefix(redis, prefixA);
    await purgePrefix(redis, prefixB);
    await redis.quit();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('publish on node A, read on node B', () => {
  let alice: { token: string; publicKey: string };
  let workoutDid: string;

  it('a workout published on A with its exercises is answered by A at once, drefs resolved', async () => {
    alice = await account('alice@example.org');
    const exercises: string[] = [];
    for (const name of ['squat', 'lunge']) {
      const r = await call(urlA, `/api/records/newRecord?recordType=exercise&storage=gun&localId=${name}`, {
        method: 'POST',
        token: alice.token,
        body: { basic: { name }, exercise: { exercise_type: 'Main', equipmentRequired: ['barbell'] } },
      });
      expect(r.status).toBe(200);
      exercises.push(r.body.did);
    }
    const w = await call(urlA, '/api/records/newRecord?recordType=workout&storage=gun&localId=legs', {
      method: 'POST',
      token: alice.token,
      body: {
        basic: { name: 'Leg day', date: 1730505600, tagItems: ['legs'] },
        workout: { total_duration_minutes: 40, exercise: exercises },
      },
    });
    expect(w.status).toBe(200);
    workoutDid = w.body.did;
    const read = await call(urlA, `/api/records?did=${encodeURIComponent(workoutDid)}&resolveDepth=1`);
    expect(read.body.records[0]!.data.workout.exercise.map((e) => e.data.basic.name)).toEqual(['squat', 'lunge']);
  }, 30_000);

  it("node B's sync-worker indexes it once, through the mesh, and B's api answers it resolved", async () => {
    await syncB(
      'workout indexed on B',
      async () =>
        (await worker.store.get(workoutDid)) !== null && (await worker.store.count({ recordType: 'exercise' })) === 2,
    );
    const read = await call(urlB, `/api/records?did=${encodeURIComponent(workoutDid)}&resolveDepth=1`);
    expect(read.body.records[0]!.data.workout.exercise.map((e) => e.data.basic.name)).toEqual(['squat', 'lunge']);
    const before = await worker.counters();
    expect([before.indexed, before.inflight]).toEqual([3, 0]);
    await worker.discoverNow();
    const after = await worker.waitIdle(15_000);
    expect([after.indexed, after.queued]).toEqual([before.indexed, before.queued]);
  }, 60_000);

  it("refuses another user's delete; the owner's delete removes it on A at once and on B at its next discovery", async () => {
    const bob = await account('bob@example.org');
    const denied = await call(urlA, '/api/records/deleteRecord', {
      method: 'POST',
      token: bob.token,
      body: { delete: { did: workoutDid } },
    });
    expect([denied.status, denied.body.error.code]).toEqual([403, 'API_ERR_NOT_OWNER']);
    expect((await call(urlA, '/api/records/deleteRecord', { method: 'POST', body: { did: workoutDid } })).status).toBe(
      401,
    );
    const del = await call(urlA, '/api/records/deleteRecord', {
      method: 'POST',
      token: alice.token,
      body: { delete: { did: workoutDid } },
    });
    expect([del.status, del.body.success]).toEqual([200, true]);
    expect((await call(urlA, `/api/records/${encodeURIComponent(workoutDid)}`)).status).toBe(404);
    await syncB('deletion applied on B', async () => (await worker.store.get(workoutDid)) === null);
    expect((await call(urlB, `/api/records/${encodeURIComponent(workoutDid)}`)).status).toBe(404);
  }, 60_000);

  it('50 concurrent publishes of one type by two users all land in the registry index of the real relay', async () => {
    const carol = await account('carol@example.org');
    const dave = await account('dave@example.org');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(urlA, `/api/records/newRecord?recordType=post&storage=gun&localId=p${i}`, {
          method: 'POST',
          token: (i % 2 ? carol : dave).token,
          body: { basic: { name: `post ${i}` }, post: { articleText: `text ${i}` } },
        }),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
    const gun = new GunClient({ baseUrl: relayA.url });
    try {
      const index = await gun.getRegistryIndex('post');
      expect(index.map((e) => e.soul).sort()).toEqual(answers.map((a) => a.body.soul).sort());
      expect(new Set(index.map((e) => e.nodeId))).toEqual(new Set([NODE_A]));
    } finally {
      await gun.close();
    }
  }, 60_000);
});
