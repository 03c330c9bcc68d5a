// Shared set-up of the sync benchmarks: a fake legacy relay seeded with records in the legacy
// shape, a sync worker in this process on the real Redis (unique key prefix) and a temp SQLite
// store, and a cleanup that removes all of it.
import { purgePrefix } from '@oip/queue-contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { FakeRelay } from '@oip/fake-relay';
import { buildRecordSoul, registryIndexSoul } from '@oip/records';
import { parseConfig, startSyncWorker, type SyncWorker } from '@oip/sync-worker';

export const REDIS_URL = 'redis://127.0.0.1:6379';
const PUBLIC_KEY = 'bench-publisher-public-key';

/**
 * A workout record. `conflict` makes `basic.date` fractional: the legacy mapping fixes it as
 * `long`, so the store rejects it with a permanent mapping error (seed 000's failure class).
 */
export function benchRecord(i: number, conflict: boolean): Record<string, unknown> {
  return {
    data: {
      basic: {
        name: `Workout ${i}`,
        description: 'bench record',
        date: conflict ? 1730505600.5 : 1730505600 + i,
        language: 'en',
        tagItems: ['strength', `t${i % 10}`],
      },
      workout: { total_duration_minutes: 30 + (i % 30), exercise: [`did:gun:647f79c2a338:ex-${i % 50}`] },
    },
    oip: {
      ver: '0.8.0',
      recordType: 'workout',
      creator: { creatorHandle: 'bench', didAddress: 'did:arweave:bench', publicKey: PUBLIC_KEY },
    },
    meta: { created: 1730505600000, localId: `bench-${i}`, encrypted: false },
  };
}

/** Seeds `count` records and their registry index entries straight into the relay's store. */
export function seedRelay(relay: FakeRelay, count: number, conflict: (i: number) => boolean): string[] {
  const souls: string[] = [];
  const index: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const soul = buildRecordSoul({ publisherPublicKey: PUBLIC_KEY, localId: `bench-${i}` });
    relay.store.put(soul, benchRecord(i, conflict(i)));
    index[soul] = { soul, nodeId: 'bbbbbbbbbbbbbbbb', timestamp: 1730505600000 };
    souls.push(soul);
  }
  relay.store.put(registryIndexSoul('workout'), index);
  return souls;
}

export interface SyncFixture {
  worker: SyncWorker;
  redis: Redis;
  prefix: string;
  close(): Promise<void>;
}

export async function startFixtureWorker(relayUrl: string, overrides: Record<string, unknown>): Promise<SyncFixture> {
  const prefix = `bench-sync-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'oip-bench-sync-'));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const config = parseConfig({
    // Legacy-style unsigned fixture records.
    unsignedRecords: 'accept',
    redisUrl: REDIS_URL,
    queuePrefix: prefix,
    relays: [relayUrl],
    recordTypes: ['workout'],
    store: { kind: 'sqlite', dataDir: join(dir, 'records') },
    syncIntervalMs: 3_600_000,
    discoverOnStart: false,
    healthPort: -1,
    logLevel: 'silent',
    ...overrides,
  });
  const worker = await startSyncWorker(config, { redis, memoryGuard: false });
  return {
    worker,
    redis,
    prefix,
    async close() {
      await worker.close();
      await purgePrefix(redis, prefix);
      await redis.quit();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
