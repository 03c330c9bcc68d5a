// POST /api/health/gun-sync/force (legacy routes/health.js:80): anyone may ask for a discovery pass
// now, as legacy lets them; services/force-sync.ts coalesces the requests of every api process.
import type { FastifyInstance } from 'fastify';
import { ForceSync, forceAnswer } from '../services/force-sync.js';

export interface ForceSyncRouteOptions {
  queuePrefix: string;
  /** Forced passes start at least this far apart. */
  intervalMs: number;
  timeoutMs: number;
}

export default async function forceSyncRoutes(app: FastifyInstance, opts: ForceSyncRouteOptions): Promise<void> {
  const force = new ForceSync(app.syncRedis, {
    prefix: opts.queuePrefix,
    intervalMs: opts.intervalMs,
    timeoutMs: opts.timeoutMs,
  });
  app.addHook('onClose', () => force.close());
  app.post('/api/health/gun-sync/force', { schema: { tags: ['health'] } }, async () =>
    forceAnswer(await force.request()),
  );
}
