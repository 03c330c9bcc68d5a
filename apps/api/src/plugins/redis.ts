// The sync-worker's Redis: read for /api/health/gun-sync, and the dead-letter service the admin
// routes and `oip dlq` share. Fail-fast (no offline queue, one retry per request) so a Redis
// outage answers 503 at once; the rest of the api never waits on it.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { DeadLetterService, openRedis, type RedisConnection } from '@oip/sync-state';
import type { Config } from '../config.js';
import { SyncStatusReader } from '../services/sync-status.js';

declare module 'fastify' {
  interface FastifyInstance {
    syncStatus: SyncStatusReader;
    /** The sync-worker's dead-letter queue (the service `oip dlq` uses). */
    deadLetters: DeadLetterService;
    /** The connection both use (one Redis or a cluster client; borrowed, closed with the app). */
    syncRedis: RedisConnection;
  }
}

async function redisPlugin(app: FastifyInstance, opts: { config: Config }): Promise<void> {
  const { config } = opts;
  // REDIS_CLUSTER_NODES set: a cluster client with these options on every node (sync-state's openRedis).
  const redis = openRedis(config, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: config.syncStatusTimeoutMs,
    lazyConnect: true,
    // Reconnect with a capped delay while Redis is down; each failure is one debug line at most.
    retryStrategy: (n) => Math.min(250 * n, 5000),
  });
  // One warning when Redis stops answering (each retry after it is a debug line), one line when it is back.
  let failing = false;
  redis.on('error', (err: Error & { code?: string }) => {
    if (!failing)
      app.log.warn(
        { code: err.code },
        'Redis does not answer at REDIS_URL: sync status, dead letters and the queue dashboard are unavailable until it does (/health says DEGRADED)',
      );
    else app.log.debug({ err }, 'sync-state redis error');
    failing = true;
  });
  redis.on('ready', () => {
    if (failing) app.log.info('Redis answers again');
    failing = false;
  });
  redis.connect().catch(() => {});
  const deadLetters = new DeadLetterService({ connection: redis, prefix: config.queuePrefix });
  const reader = new SyncStatusReader(redis, config.queuePrefix, config.syncStatusTimeoutMs, deadLetters);
  app.decorate('syncStatus', reader);
  app.decorate('deadLetters', deadLetters);
  app.decorate<RedisConnection>('syncRedis', redis);
  app.addHook('onClose', async () => {
    await Promise.allSettled([reader.close(), deadLetters.close()]);
    redis.disconnect();
  });
}

export default fp(redisPlugin, { name: 'api-redis', fastify: '5.x' });
