#!/usr/bin/env node
// `oip` binary: connects to the configured Redis (REDIS_URL, SYNC_QUEUE_PREFIX) and runs one command.
import { Redis } from 'ioredis';
import { loadConfig } from './config.js';
import { runCli } from './cli/run-cli.js';
import { DeadLetterService } from './dlq/dead-letter-service.js';
import { jobOptionsFromConfig } from './worker.js';

let code = 1;
let redis: Redis | null = null;
let dlq: DeadLetterService | null = null;
try {
  const config = loadConfig();
  // Fail fast when Redis is down instead of queueing commands for ever.
  redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy: () => null });
  redis.on('error', () => {});
  dlq = new DeadLetterService({ connection: redis, prefix: config.queuePrefix, jobOptions: jobOptionsFromConfig(config) });
  code = await runCli(process.argv.slice(2), dlq, { out: (l) => console.log(l), err: (l) => console.error(l) });
} catch (err) {
  console.error(`oip: ${(err as Error).message}`);
  code = 1;
} finally {
  await dlq?.close().catch(() => {});
  redis?.disconnect();
}
process.exit(code);
