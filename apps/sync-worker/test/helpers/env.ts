// Per-test resources on the real Redis and a temp dir; everything is removed by cleanup().
import { purgePrefix } from '@oip/queue-contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { parseConfig, type Config } from '../../src/config.js';

export const REDIS_URL = 'redis://127.0.0.1:6379';
export const silent = pino({ level: 'silent' });

export interface TestEnv {
  prefix: string;
  dir: string;
  redis: Redis;
  config(overrides?: Record<string, unknown>): Config;
  cleanup(): Promise<void>;
}

export async function createTestEnv(relays: string[] = ['http://127.0.0.1:1']): Promise<TestEnv> {
  const prefix = `t-sync-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'oip-sync-'));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  return {
    prefix,
    dir,
    redis,
    config: (overrides = {}) =>
      parseConfig({
        redisUrl: REDIS_URL,
        queuePrefix: prefix,
        relays,
        recordTypes: ['workout', 'recipe', 'shoppingList'],
        store: { kind: 'sqlite', dataDir: join(dir, 'records') },
        syncIntervalMs: 3_600_000,
        discoverOnStart: false,
        concurrency: 50,
        batchSize: 50,
        batchMs: 20,
        attempts: 4,
        backoffMs: 20,
        backoffCapMs: 100,
        healthPort: -1,
        relayTimeoutMs: 2000,
        logLevel: 'silent',
        // The fixtures are legacy-style unsigned records; trust tests set 'refuse' themselves.
        unsignedRecords: 'accept',
        ...overrides,
      }),
    async cleanup() {
      await purgePrefix(redis, prefix);
      await redis.quit();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
