// Two OIP nodes on loopback. Node A's gun-proxy receives a publisher's records; node B's
// gun-proxy peers with A over websocket; node B's sync-worker discovers the records through its
// own relay (so every record of A crosses the GUN mesh) and, for another publisher's records,
// through a second relay that keeps resetting connections. Nothing is lost, nothing is indexed
// twice, deletions propagate.
import { purgePrefix } from '@oip/queue-contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { GunClient } from '@oip/gun-client';
import { buildRecordSoul, didFromSoul, registryIndexSoul } from '@oip/records';
import { startGunProxy, type StartedGunProxy } from '@oip/gun-proxy/testing';
import { parseConfig, startSyncWorker, type SyncWorker } from '@oip/sync-worker';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PUBLISHER = 'e2e-publisher-public-key';
const NODE_A = 'aaaaaaaaaaaaaaaa';
const RECORDS = 30;
const FLAKY_RECORDS = 10;
const OTHER_PUBLISHER = 'e2e-other-publisher-key';

let nodeA: StartedGunProxy;
let nodeB: StartedGunProxy;
let flaky: FakeRelay;
let publisher: GunClient;
let worker: SyncWorker;
let redis: Redis;
let dir: string;
const prefix = `e2e-${randomUUID().slice(0, 8)}`;

function workout(localId: string, publicKey = PUBLISHER) {
  return {
    data: {
      basic: {
        name: `Workout ${localId}`,
        description: 'leg day',
        date: 1730505600,
        language: 'en',
        tagItems: ['legs'],
      },
      workout: {
        total_duration_minutes: 30,
        exercise: [`did:gun:${buildRecordSoul({ publisherPublicKey: PUBLISHER, localId: 'squat' })}`],
      },
    },
    oip: {
      ver: '0.8.0',
      recordType: 'workout',
      creator: { creatorHandle: 'e2e', didAddress: 'did:arweave:e2e', publicKey },
    },
    meta: { created: 1730505600000, localId, encrypted: false },
  };
}

beforeAll(async () => {
  nodeA = await startGunProxy();
  nodeB = await startGunProxy({ peers: [nodeA.wsUrl] });
  flaky = await startFakeRelay();
  publisher = new GunClient({ baseUrl: nodeA.url });

  // The publisher writes to node A only.
  const index: Record<string, unknown> = {};
  for (let i = 0; i < RECORDS; i++) {
    const soul = buildRecordSoul({ publisherPublicKey: PUBLISHER, localId: `w${i}` });
    const rec = workout(`w${i}`);
    await publisher.putRecord(soul, rec);
    index[soul] = { soul, nodeId: NODE_A, timestamp: 1730505600000 + i };
  }
  await publisher.putSoul(registryIndexSoul('workout'), index);
  // Node B has none of these locally: it must get them from A over the mesh.
  expect(nodeB.url).not.toBe(nodeA.url);

  // Another publisher's records live only on the flaky relay, which resets 25 connections.
  const flakyIndex: Record<string, unknown> = {};
  for (let i = 0; i < FLAKY_RECORDS; i++) {
    const soul = buildRecordSoul({ publisherPublicKey: OTHER_PUBLISHER, localId: `f${i}` });
    flaky.store.put(soul, workout(`f${i}`, OTHER_PUBLISHER));
    flakyIndex[soul] = { soul, nodeId: 'cccccccccccccccc', timestamp: 1730505600000 + i };
  }
  flaky.store.put(registryIndexSoul('workout'), flakyIndex);
  flaky.addFault({ path: '/get', reset: true, times: 25 });

  dir = mkdtempSync(join(tmpdir(), 'oip-e2e-'));
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const config = parseConfig({
    // Legacy-style unsigned fixture records.
    unsignedRecords: 'accept',
    redisUrl: REDIS_URL,
    queuePrefix: prefix,
    relays: [nodeB.url, flaky.url],
    recordTypes: ['workout'],
    store: { kind: 'sqlite', dataDir: join(dir, 'records') },
    syncIntervalMs: 3_600_000,
    discoverOnStart: false,
    concurrency: 20,
    batchSize: 20,
    batchMs: 20,
    attempts: 5,
    backoffMs: 20,
    backoffCapMs: 200,
    healthPort: -1,
    relayTimeoutMs: 3000,
    logLevel: 'silent',
    nodeId: 'bbbbbbbbbbbbbbbb',
  });
  worker = await startSyncWorker(config, { redis, logger: pino({ level: 'silent' }), memoryGuard: false });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await publisher?.close();
  await nodeB?.close();
  await nodeA?.close();
  await flaky?.close();
  if (redis) {
    await purgePrefix(redis, prefix);
    await redis.quit();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('two nodes over the GUN mesh, one flaky relay', () => {
  it('node B indexes every record published on node A exactly once', async () => {
    // Node B's relay learns A's registry index over websocket; discovery may need a few passes.
    const count = await until(
      async () => {
        await worker.discoverNow();
        await worker.waitIdle(15_000);
        return worker.store.count({ recordType: 'workout' });
      },
      {
        what: 'records indexed on node B',
        ok: (n) => n === RECORDS + FLAKY_RECORDS,
        timeoutMs: 40_000,
        intervalMs: 250,
      },
    );
    expect(count).toBe(RECORDS + FLAKY_RECORDS);
    const first = didFromSoul(buildRecordSoul({ publisherPublicKey: PUBLISHER, localId: 'w0' }));
    const rec = await worker.store.get(first);
    expect(rec?.oip).toMatchObject({ did: first, didTx: first, storage: 'gun', recordType: 'workout' });
    expect(rec?.data.workout).toMatchObject({ total_duration_minutes: 30 });

    const c = await worker.counters();
    expect(c.inflight).toBe(0);
    expect(c.indexed).toBe(RECORDS + FLAKY_RECORDS);
    // All 25 resets were spent and retried (by gun-client or by the job), none dead-lettered.
    expect(await worker.deadLetters.count()).toBe(0);
    expect(flaky.countByPath('/get')).toBeGreaterThanOrEqual(FLAKY_RECORDS + 25);
  }, 60_000);

  it('a second discovery pass queues nothing new', async () => {
    const before = await worker.counters();
    await worker.discoverNow();
    await worker.waitIdle(10_000);
    const after = await worker.counters();
    expect(after.indexed).toBe(before.indexed);
    expect(after.queued).toBe(before.queued);
    expect(await worker.store.count({ recordType: 'workout' })).toBe(RECORDS + FLAKY_RECORDS);
  }, 30_000);

  it('a deletion published on node A removes the record on node B', async () => {
    const did = didFromSoul(buildRecordSoul({ publisherPublicKey: PUBLISHER, localId: 'w1' }));
    await publisher.markDeleted(did, PUBLISHER);
    await until(
      async () => {
        await worker.discoverNow();
        await worker.waitIdle(10_000);
        return worker.store.get(did);
      },
      { what: 'deletion applied on node B', ok: (r) => r === null, timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(await worker.store.count({ recordType: 'workout' })).toBe(RECORDS + FLAKY_RECORDS - 1);
  }, 40_000);
});
