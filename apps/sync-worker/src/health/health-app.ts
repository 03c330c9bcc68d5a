// The worker's small health port: GET /health (status, counters, invariant, Redis status, state
// loss) and GET /metrics. Neither waits on Redis: counters come from a source that answers at
// once with the last-known values while Redis is down, and /health is then a 503.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { invariantHolds, type SyncCounters } from '@oip/sync-state';
import { errorHandling } from '@oip/service-kit/fastify';
import { SyncErrorCodes } from '../errors.js';

export interface HealthDeps {
  registry: Registry;
  /** Counters, fresh or last known; null when never read. */
  counters(): Promise<SyncCounters | null>;
  /** 'running' | 'paused' | 'closing' and anything else worth showing. */
  status(): Record<string, unknown>;
  /** Whether Redis answers; absent = assumed up (tests of the app alone). */
  redisUp?(): boolean;
}

export function buildHealthApp(deps: HealthDeps): FastifyInstance {
  const app = Fastify({ logger: false, requestIdHeader: 'x-request-id' });

  // The kit's handlers with the worker's catalogue codes (SYNC_ERR_NOT_FOUND, SYNC_ERR_INTERNAL).
  app.register(errorHandling, {
    prefix: 'SYNC',
    codes: { routeNotFound: SyncErrorCodes.NOT_FOUND, internal: SyncErrorCodes.INTERNAL },
  });

  app.get('/health', async (_req, reply) => {
    const c = await deps.counters();
    const up = deps.redisUp?.() ?? true;
    if (!up) void reply.status(503);
    return { ...deps.status(), redis: up ? 'up' : 'down', invariantOk: c ? invariantHolds(c) : null, counters: c };
  });

  app.get('/metrics', async (_req, reply) => {
    const text = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(text);
  });

  return app;
}
