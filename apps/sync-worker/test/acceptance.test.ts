// Acceptance on a real gun-proxy (real GUN) and the real Redis: 1,000 records of which 50 have
// a mapping conflict and 20 are invalid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { startGunProxy, type StartedGunProxy } from '@oip/gun-proxy/testing';
import { GunClient } from '@oip/gun-client';
import { didFromSoul, registryIndexSoul } from '@oip/records';
import { DeadLetterCodes, SYNC_RECORDS_QUEUE } from '@oip/queue-contracts';
import { startSyncWorker, type SyncWorker } from '../src/worker.js';
import { invariantHolds } from '@oip/sync-state';
import { createTestEnv, silent, type TestEnv } from './helpers/env.js';
import { legacyRecord } from '@oip/test-kit';
import { conflictingRecord, invalidRecord, soulOf } from './helpers/records.js';

const TOTAL = 1000;
const CONFLICTS = 50;
const INVALID = 20;

let proxy: StartedGunProxy;
let env: TestEnv;
let worker: SyncWorker;

async function seedProxy(client: GunClient): Promise<void> {
  const items = Array.from({ length: TOTAL }, (_, i) => {
    const id = `acc-${i}`;
    const record =
      i < CONFLICTS ? conflictingRecord(id) : i < CONFLICTS + INVALID ? invalidRecord(id) : legacyRecord(id);
    return { soul: soulOf(id), record };
  });
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < items.length) {
        const it = items[next++]!;
        await client.putRecord(it.soul, it.record);
      }
    }),
  );
  for (let i = 0; i < items.length; i += 100) {
    const part = Object.fromEntries(
      items
        .slice(i, i + 100)
        .map((x) => [x.soul, { soul: x.soul, nodeId: 'aaaaaaaaaaaaaaaa', timestamp: 1730505600000 + i }]),
    );
    await client.putSoul(registryIndexSoul('workout'), part);
  }
}

beforeAll(async () => {
  proxy = await startGunProxy();
  const seeder = new GunClient({ baseUrl: proxy.url, connections: 16 });
  try {
    await seedProxy(seeder);
  } finally {
    await seeder.close();
  }
  env = await createTestEnv([proxy.url]);
  worker = await startSyncWorker(env.config({ recordTypes: ['workout'], concurrency: 50, batchSize: 50 }), {
    redis: env.redis,
    logger: silent,
    memoryGuard: false,
  });
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await env?.cleanup();
  await proxy?.close();
});

describe('1,000 records through a real gun-proxy', () => {
  it('indexes 930, dead-letters 70 after exactly one attempt each, retries nothing', async () => {
    const report = await worker.discoverNow();
    expect(report).toMatchObject({ entries: TOTAL, queued: TOTAL, errors: [] });
    const c = await worker.waitIdle(60_000);
    expect(c).toMatchObject({
      discovered: TOTAL,
      indexed: TOTAL - CONFLICTS - INVALID,
      dead: CONFLICTS + INVALID,
      gone: 0,
      retries: 0,
      inflight: 0,
    });
    expect(c.deadByCode).toEqual({
      [DeadLetterCodes.MAPPING_CONFLICT]: CONFLICTS,
      [DeadLetterCodes.INVALID_RECORD]: INVALID,
    });
    expect(invariantHolds(c)).toBe(true);
    expect(await worker.store.count()).toBe(TOTAL - CONFLICTS - INVALID);

    const dead = await worker.deadLetters.list({ limit: 1000 });
    expect(dead).toHaveLength(CONFLICTS + INVALID);
    expect(dead.every((d) => d.attempts === 1)).toBe(true);

    const q = new Queue(SYNC_RECORDS_QUEUE, { connection: env.redis, prefix: env.prefix });
    try {
      const failed = await q.getFailed(0, -1);
      expect(failed).toHaveLength(CONFLICTS + INVALID);
      // Each job ran once: no permanent failure was retried, no valid record needed a retry.
      expect(failed.map((j) => j.attemptsStarted).filter((n) => n !== 1)).toEqual([]);
      const completed = await q.getCompleted(0, -1);
      expect(completed).toHaveLength(TOTAL - CONFLICTS - INVALID);
      expect(completed.map((j) => j.attemptsStarted).filter((n) => n !== 1)).toEqual([]);
    } finally {
      await q.close();
    }
  });

  it('queues nothing new on a second discovery pass', async () => {
    const report = await worker.discoverNow();
    expect(report).toMatchObject({ entries: TOTAL, queued: 0, requeued: 0, deduplicated: TOTAL });
    const c = await worker.waitIdle(5000);
    expect(c).toMatchObject({
      discovered: 2 * TOTAL,
      deduplicated: TOTAL,
      indexed: TOTAL - CONFLICTS - INVALID,
      inflight: 0,
    });
    // The version is the registry timestamp, read through real GUN.
    expect(await worker.state.get(didFromSoul(soulOf('acc-100')))).toEqual({
      state: 'indexed',
      version: String(1730505600000 + 100),
      replay: 0,
    });
  });

  it('indexes a conflicting record once it is fixed and replayed', async () => {
    const soul = soulOf('acc-7');
    const did = didFromSoul(soul);
    expect((await worker.deadLetters.show(did))?.code).toBe(DeadLetterCodes.MAPPING_CONFLICT);
    const client = new GunClient({ baseUrl: proxy.url });
    try {
      await client.putRecord(soul, legacyRecord('acc-7'));
    } finally {
      await client.close();
    }
    expect(await worker.deadLetters.replay(did)).toMatchObject({ replayed: true });
    const c = await worker.waitIdle(10_000);
    expect(c).toMatchObject({ indexed: TOTAL - CONFLICTS - INVALID + 1, inflight: 0, replayed: 1 });
    expect((await worker.store.get(did))?.data.basic?.date).toBe(1730505600);
  });
});
