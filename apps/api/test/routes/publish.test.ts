// Publishing through the api on the real SQLite store, the real Redis (rate limits) and a relay on
// loopback: newRecord → readable at once with its drefs resolved, on the relay in the legacy node
// shape, in the registry index under our node; deleteRecord by owner / others; index by admin.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { GunClient } from '@oip/gun-client';
import {
  checkDeletionSignature,
  checkRecordSignature,
  deletionSoul,
  publisherHash,
  registryNodeSoul,
  SIGNATURE_SCHEME,
} from '@oip/records';
import { startGunProxy } from '@oip/gun-proxy/testing';
import { purgePrefix } from '@oip/queue-contracts';
import { Redis } from 'ioredis';
import { publisherKey, rec, useApi, type TestApi } from '../helpers.js';
import { signToken } from '../jwt.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'publish-test-secret-0123456789';
const NODE_ID = '0123456789abcdef';
const bearer = (claims: Record<string, unknown>) => `Bearer ${signToken(claims, SECRET)}`;
const PK_ALICE = publisherKey();
const alice = bearer({ userId: 'u-alice', email: 'alice@example.org', publicKey: PK_ALICE });
const bob = bearer({ userId: 'u-bob', email: 'bob@example.org', publicKey: publisherKey() });
const admin = bearer({ userId: 'u-admin', email: 'admin@example.org', publicKey: publisherKey(), isAdmin: true });
// A key of which the node holds no private half (an account from before key custody).
const keyless = bearer({ userId: 'u-locked', email: 'locked@example.org', publicKey: `02${'ab'.repeat(32)}` });
const start = useApi({ accountsFor: [alice, bob, admin, keyless, bearer({ userId: 'u-k', email: 'k@example.org' })] });

let api: TestApi;
let app: FastifyInstance;
let gun: GunClient;
let prefix: string;
let redis: Redis;

beforeEach(async () => {
  prefix = `t-pub-${randomUUID().slice(0, 8)}`;
  api = await start(
    [rec('ex:squat', 'exercise', { exercise_type: 'Main' }), rec('ex:lunge', 'exercise', { exercise_type: 'Main' })],
    {
      redisUrl: REDIS_URL,
      queuePrefix: prefix,
      jwtSecret: SECRET,
      nodeId: NODE_ID,
      writeRateLimit: 1000,
    },
  );
  app = api.app;
  gun = new GunClient({ baseUrl: api.relay.url });
  redis = new Redis(REDIS_URL);
});
afterEach(async () => {
  await gun.close();
  await purgePrefix(redis, prefix);
  await redis.quit();
});

const workout = (name: string) => ({
  basic: { name, description: 'leg day', date: 1730505600, language: 'en', tagItems: ['legs'] },
  workout: { total_duration_minutes: 30, exercise: ['did:gun:ex:squat', 'did:gun:ex:lunge'] },
});
const publish = (authorization: string | undefined, body: unknown, query = 'recordType=workout&storage=gun') =>
  app.inject({
    method: 'POST',
    url: `/api/records/newRecord?${query}`,
    headers: authorization ? { authorization } : {},
    payload: body as object,
  });

describe('POST /api/records/newRecord', () => {
  it('publishes a workout: legacy answer, readable at once with drefs resolved, on the relay, registered under our node', async () => {
    const res = await publish(alice, workout('Leg day'), 'recordType=workout&storage=gun&localId=leg-day-1');
    expect(res.statusCode).toBe(200);
    const soul = `${publisherHash(PK_ALICE)}:leg-day-1`;
    expect(res.json()).toMatchObject({
      did: `did:gun:${soul}`,
      soul,
      storage: 'gun',
      encrypted: false,
      recordToIndex: { oip: { recordType: 'workout', creator: { publicKey: PK_ALICE } } },
    });

    const read = (await app.inject(`/api/records?did=${encodeURIComponent(`did:gun:${soul}`)}&resolveDepth=1`)).json();
    expect(read.records).toHaveLength(1);
    expect(read.records[0].data.workout.exercise.map((e: { oip: { did: string } }) => e.oip.did)).toEqual([
      'did:gun:ex:squat',
      'did:gun:ex:lunge',
    ]);

    const node = await gun.getRecord(soul);
    expect(node?.data).toEqual(workout('Leg day'));
    expect(node?.oip).toMatchObject({ ver: '0.8.0', did: `did:gun:${soul}`, storage: 'gun' });
    const index = await gun.getRegistryIndex('workout');
    expect(index.map((e) => [e.soul, e.nodeId])).toEqual([[soul, NODE_ID]]);
    expect(await gun.getSoul(registryNodeSoul(NODE_ID, soul))).toMatchObject({
      did: `did:gun:${soul}`,
      recordType: 'workout',
      creatorPubKey: PK_ALICE,
      oipVersion: '0.8.0',
    });
  });

  it('gives each of 50 publishes without a localId its own soul: all 50 readable, none overwritten', async () => {
    const dids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const res = await publish(
        alice,
        { basic: { name: 'Same name', date: 1730505600 }, post: { articleText: `body ${i}` } },
        'recordType=post&storage=gun',
      );
      expect(res.statusCode).toBe(200);
      expect(res.json().soul).toMatch(new RegExp(`^${publisherHash(PK_ALICE)}:h:[0-9a-f]{12}$`));
      dids.add(res.json().did);
    }
    expect(dids.size).toBe(50);
    const listed = (await app.inject('/api/records?recordType=post&limit=100')).json();
    expect(listed.records.map((r: { oip: { did: string } }) => r.oip.did).sort()).toEqual([...dids].sort());
    const bodies = new Set(
      listed.records.map((r: { data: { post: { articleText: string } } }) => r.data.post.articleText),
    );
    expect(bodies.size).toBe(50);
  });

  it('needs a token (401), refuses a bad one (403) and one without a publisher key (403)', async () => {
    expect((await publish(undefined, workout('x'))).statusCode).toBe(401);
    expect((await publish('Bearer nope.nope.nope', workout('x'))).statusCode).toBe(403);
    const keyless = await publish(bearer({ userId: 'u-k', email: 'k@example.org' }), workout('x'));
    expect([keyless.statusCode, keyless.json().error.code]).toEqual([403, 'API_ERR_PUBLISHER_KEY_MISSING']);
  });

  it('refuses invalid records with the failing paths and storage=arweave with 400, publishing nothing', async () => {
    const noName = await publish(alice, { basic: { description: 'x' }, workout: {} });
    expect([noName.statusCode, noName.json().error.code]).toEqual([400, 'API_ERR_INVALID_RECORD']);
    expect(noName.json().error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'data.basic.name' })]),
    );
    const badDuration = await publish(alice, { basic: { name: 'w' }, workout: { total_duration_minutes: 'long' } });
    expect(badDuration.json().error.details[0].path).toBe('data.workout.total_duration_minutes');
    const missingCategory = await publish(alice, { basic: { name: 'w' } });
    expect(missingCategory.json().error.details[0]).toEqual({
      path: 'data.workout',
      rule: 'is required for a workout',
    });
    // A localId the relay could not take as the end of a soul (whitespace, a line separator) is the caller's, not a 502.
    for (const localId of ['%20', 'a%20b', 'x%E2%80%A8y', 'tab%09here']) {
      const bad = await publish(alice, workout('w'), `recordType=workout&storage=gun&localId=${localId}`);
      expect([bad.statusCode, bad.json().error.code, bad.json().error.details[0].path], localId).toEqual([
        400,
        'API_ERR_INVALID_RECORD',
        'localId',
      ]);
    }
    const arweave = await publish(alice, workout('w'), 'recordType=workout&storage=arweave');
    expect([arweave.statusCode, arweave.json().error.code]).toEqual([400, 'API_ERR_STORAGE_NOT_SUPPORTED']);
    expect(await gun.getRegistryIndex('workout')).toEqual([]);
    expect((await app.inject('/api/records?recordType=workout')).json().searchResults).toBe(0);
  });

  it('50 concurrent publishes of one type by two users all land in the registry index', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        publish(i % 2 ? alice : bob, workout(`w${i}`), `recordType=workout&storage=gun&localId=w-${i}`),
      ),
    );
    expect(results.map((r) => r.statusCode).filter((s) => s !== 200)).toEqual([]);
    const souls = results.map((r) => r.json().soul as string).sort();
    expect((await gun.getRegistryIndex('workout')).map((e) => e.soul).sort()).toEqual(souls);
    expect((await app.inject('/api/records?recordType=workout&limit=100')).json().searchResults).toBe(50);
  });
});

describe('what goes to GUN: signed, and encrypted when restricted', () => {
  it("signs the record against its soul: the relay's copy verifies as the publisher's, a changed copy does not", async () => {
    const res = await publish(alice, workout('Signed'), 'recordType=workout&storage=gun&localId=signed-1');
    expect(res.statusCode).toBe(200);
    const { soul } = res.json() as { soul: string };
    const node = await gun.getRecord(soul);
    expect(node?.oip).toMatchObject({ sigScheme: SIGNATURE_SCHEME });
    const wire = { soul, data: node!.data, oip: node!.oip as Record<string, unknown>, meta: node!.meta ?? null };
    expect(checkRecordSignature(wire)).toEqual({ status: 'valid', publicKey: PK_ALICE });
    expect(checkRecordSignature({ ...wire, data: workout('Changed') })).toEqual({
      status: 'invalid',
      problem: 'bad-signature',
    });
  });

  it.each(['private', 'shared'])(
    'puts a %s record on the relay encrypted; the api serves it to its owner only',
    async (level) => {
      const data = {
        ...workout('My secret plan'),
        accessControl: { access_level: level, owner_public_key: PK_ALICE, shared_with: [] },
      };
      const res = await publish(alice, data, `recordType=workout&storage=gun&localId=secret-${level}`);
      expect([res.statusCode, res.json().encrypted]).toEqual([200, true]);
      const { soul, did } = res.json() as { soul: string; did: string };
      const node = await gun.getRecord(soul);
      expect(JSON.stringify(node)).not.toContain('My secret plan');
      expect(Object.keys(node!.data as object).sort()).toEqual(['encrypted', 'iv', 'tag']);
      expect(
        checkRecordSignature({
          soul,
          data: node!.data,
          oip: node!.oip as Record<string, unknown>,
          meta: node!.meta ?? null,
        }),
      ).toMatchObject({ status: 'valid' });
      const url = `/api/records?did=${encodeURIComponent(did)}`;
      expect(
        (await app.inject({ url, headers: { authorization: alice } }))
          .json()
          .records.map((r: { data: { basic: { name: string } } }) => r.data.basic.name),
      ).toEqual(['My secret plan']);
      expect((await app.inject({ url })).json().records).toEqual([]);
      expect((await app.inject({ url, headers: { authorization: bob } })).json().records).toEqual([]);
    },
  );

  it('refuses to publish for an account whose key the node does not hold: 403 API_ERR_PUBLISHER_KEY_LOCKED, nothing stored', async () => {
    const res = await publish(keyless, workout('Unsigned'), 'recordType=workout&storage=gun&localId=locked-1');
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'API_ERR_PUBLISHER_KEY_LOCKED']);
    expect((await app.inject('/api/records?recordType=workout')).json().records).toEqual([]);
  });
});

describe('POST /api/records/deleteRecord', () => {
  it("lets the owner delete (legacy body), refuses another user's delete, marks the deletion registry", async () => {
    const { did } = (await publish(alice, workout('mine'), 'recordType=workout&localId=mine')).json();
    const del = (authorization: string, payload: object) =>
      app.inject({ method: 'POST', url: '/api/records/deleteRecord', headers: { authorization }, payload });
    const other = await del(bob, { delete: { did } });
    expect([other.statusCode, other.json().error.code]).toEqual([403, 'API_ERR_NOT_OWNER']);
    expect((await app.inject({ method: 'POST', url: '/api/records/deleteRecord', payload: { did } })).statusCode).toBe(
      401,
    );
    const own = await del(alice, { delete: { did } });
    expect([own.statusCode, own.json()]).toEqual([
      200,
      expect.objectContaining({ success: true, did, gunRegistryDeletion: true }),
    ]);
    expect((await app.inject(`/api/records/${encodeURIComponent(did)}`)).statusCode).toBe(404);
    const entry = await gun.getSoul(deletionSoul(did));
    expect(entry).toMatchObject({ did, deletedBy: PK_ALICE, sigScheme: SIGNATURE_SCHEME });
    expect(checkDeletionSignature(entry, did)).toEqual({ status: 'valid', publicKey: PK_ALICE });
    expect((await gun.getDeletedRecords()).map((d) => d.did)).toContain(did);
    expect((await del(alice, { did })).statusCode).toBe(404);
  });

  it("answers a stranger's delete of a private record as if it did not exist (404), and keeps it", async () => {
    const data = { ...workout('hidden'), accessControl: { access_level: 'private', owner_public_key: PK_ALICE } };
    const { did } = (await publish(alice, data, 'recordType=workout&localId=hidden')).json();
    const del = (authorization: string, id: string) =>
      app.inject({
        method: 'POST',
        url: '/api/records/deleteRecord',
        headers: { authorization },
        payload: { did: id },
      });
    const hidden = await del(bob, did);
    const missing = await del(bob, `${did}-missing`);
    expect([hidden.statusCode, hidden.json().error]).toEqual([404, missing.json().error]);
    expect(
      (
        await app.inject({ url: `/api/records?did=${encodeURIComponent(did)}`, headers: { authorization: alice } })
      ).json().records,
    ).toHaveLength(1);
  });

  it('lets an admin delete any record', async () => {
    const { did } = (await publish(alice, workout('theirs'), 'recordType=workout&localId=theirs')).json();
    const res = await app.inject({
      method: 'POST',
      url: '/api/records/deleteRecord',
      headers: { authorization: admin },
      payload: { did },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('POST /api/records/index', () => {
  it('indexes a record body for an admin only', async () => {
    const body = rec('idx:one', 'post', { articleText: 'hello' });
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/records/index',
          headers: { authorization: alice },
          payload: body,
        })
      ).statusCode,
    ).toBe(403);
    const res = await app.inject({
      method: 'POST',
      url: '/api/records/index',
      headers: { authorization: admin },
      payload: body,
    });
    expect([res.statusCode, res.json()]).toEqual([
      200,
      { success: true, recordId: 'did:gun:idx:one', did: 'did:gun:idx:one' },
    ]);
    expect((await app.inject('/api/records/did:gun:idx:one')).statusCode).toBe(200);
  });
});

describe('write rate limit', () => {
  it('answers 429 with Retry-After past the per-user budget, counted in Redis', async () => {
    const limited = await start([], {
      redisUrl: REDIS_URL,
      queuePrefix: prefix,
      jwtSecret: SECRET,
      nodeId: NODE_ID,
      writeRateLimit: 3,
    });
    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push(
        await limited.app.inject({
          method: 'POST',
          url: `/api/records/newRecord?recordType=workout&localId=rl-${i}`,
          headers: { authorization: alice },
          payload: workout(`rl${i}`),
        }),
      );
    }
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    const refused = answers[3]!;
    expect(refused.json().error.code).toBe('API_ERR_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another user has a budget of their own.
    const other = await limited.app.inject({
      method: 'POST',
      url: '/api/records/newRecord?recordType=workout&localId=rl-b',
      headers: { authorization: bob },
      payload: workout('b'),
    });
    expect(other.statusCode).toBe(200);
    expect((await redis.keys(`${prefix}:api-rate-limit:*`)).length).toBeGreaterThan(0);
  });
});

describe('publishing to a gun-proxy in token mode', () => {
  it('sends the relay write token: published with it, refused (502, nothing kept) without it', async () => {
    const relay = await startGunProxy({ authMode: 'token', authToken: 'relay-write-token-0123456789' });
    try {
      const common = {
        redisUrl: REDIS_URL,
        queuePrefix: prefix,
        jwtSecret: SECRET,
        nodeId: NODE_ID,
        relayUrl: relay.url,
      };
      const withToken = await start([], { ...common, relayAuthToken: 'relay-write-token-0123456789' });
      const ok = await withToken.app.inject({
        method: 'POST',
        url: '/api/records/newRecord?recordType=workout&localId=tok',
        headers: { authorization: alice },
        payload: workout('tok'),
      });
      expect(ok.statusCode).toBe(200);
      const reader = new GunClient({ baseUrl: relay.url });
      try {
        expect((await reader.getRecord(ok.json().soul))?.data).toEqual(workout('tok'));
      } finally {
        await reader.close();
      }
      const without = await start([], common);
      const refused = await without.app.inject({
        method: 'POST',
        url: '/api/records/newRecord?recordType=workout&localId=notok',
        headers: { authorization: alice },
        payload: workout('notok'),
      });
      expect([refused.statusCode, refused.json().error.code]).toEqual([502, 'API_ERR_RELAY_UNAVAILABLE']);
      expect(
        (await without.app.inject(`/api/records/${encodeURIComponent(`did:gun:${publisherHash(PK_ALICE)}:notok`)}`))
          .statusCode,
      ).toBe(404);
    } finally {
      await relay.close();
    }
  }, 30_000);
});
