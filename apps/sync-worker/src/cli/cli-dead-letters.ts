// The dead-letter queue a CLI command opens on the configured Redis: failing fast when Redis is
// down (one try, no reconnect) instead of queueing commands for ever. close() ends both.
import { DeadLetterService, openRedis, type RedisConnection } from '@oip/sync-state';
import type { Config } from '../config.js';
import { jobOptionsFromConfig } from '../worker.js';

export interface CliDeadLetters {
  redis: RedisConnection;
  dlq: DeadLetterService;
  close(): Promise<void>;
}

export function openCliDeadLetters(config: Config): CliDeadLetters {
  const redis = openRedis(config, { maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy: () => null });
  redis.on('error', () => {});
  const dlq = new DeadLetterService({
    connection: redis,
    prefix: config.queuePrefix,
    jobOptions: jobOptionsFromConfig(config),
  });
  return {
    redis,
    dlq,
    async close() {
      await dlq.close().catch(() => {});
      redis.disconnect();
    },
  };
}
