// @fastify/rate-limit on login, register and every write, counted in Redis so all api instances
// share one budget per caller. Routes opt in with `config.rateLimit`; nothing else is limited. It
// runs at preHandler, after the auth hooks, so a write is counted per user and a login per client
// address. While Redis is down the limit is skipped rather than failing every write.
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { openRedis, type RedisTarget } from '@oip/sync-state';
import { RateLimitedError } from '../errors.js';

async function rateLimitPlugin(
  app: FastifyInstance,
  opts: { redis: RedisTarget; queuePrefix: string; timeoutMs: number },
): Promise<void> {
  // Its own connection: commands wait for it while it connects (so the first logins after a start
  // are counted too), each bounded by the timeout; past it the limit is skipped for that request.
  // On a cluster the namespace sits under the hash-tagged prefix, so every counter is in its slot.
  const redis = openRedis(opts.redis, {
    maxRetriesPerRequest: 1,
    commandTimeout: opts.timeoutMs,
    connectTimeout: opts.timeoutMs,
    retryStrategy: (n) => Math.min(250 * n, 5000),
  });
  redis.on('error', (err) => app.log.debug({ err }, 'rate-limit redis error'));
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    redis,
    nameSpace: `${opts.queuePrefix}:api-rate-limit:`,
    skipOnError: true,
    // The house error body, with the code the clients branch on.
    errorResponseBuilder: (_req, ctx) => new RateLimitedError(ctx.max, ctx.after, Math.ceil(ctx.ttl / 1000)),
  });
}

export default fp(rateLimitPlugin, { name: 'api-rate-limit', fastify: '5.x' });

/** Route config for a write limited per caller: the user id when a token came with it, else the client address. */
export function perCaller(limit: { max: number; timeWindow: number }) {
  return { ...limit, keyGenerator: (req: FastifyRequest) => req.auth?.user?.userId ?? req.ip };
}
