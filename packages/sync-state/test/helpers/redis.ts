// Per-test keys on the real Redis under a fresh prefix; cleanup() removes them and disconnects.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { purgePrefix } from '@oip/queue-contracts';

export const REDIS_URL = 'redis://127.0.0.1:6379';

export interface TestEnv {
  prefix: string;
  redis: Redis;
  cleanup(): Promise<void>;
}

export async function createTestEnv(): Promise<TestEnv> {
  const prefix = `t-state-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  return {
    prefix,
    redis,
    async cleanup() {
      await purgePrefix(redis, prefix);
      await redis.quit();
    },
  };
}
