// POST /api/health/gun-sync/force (legacy routes/health.js:80): anyone may ask for a discovery pass
// now, as legacy lets them; services/force-sync.ts coalesces the requests of every api process.
import type { FastifyInstance } from 'fastify';
import { ForceSync, forceAnswer } from '../services/force-sync.js';
import { errors } from '../schemas/common.js';
import { ForceSyncAnswer } from '../schemas/operations.js';

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
  const schema = {
    summary: 'Ask for a discovery pass now',
    operationId: 'forceGunSync',
    description:
      'Coalesced across api processes: a pass already running or started within the interval serves the request.',
    tags: ['health'],
    response: {
      200: { ...ForceSyncAnswer, description: 'Triggered, or served by a pass running or due' },
      ...errors(
        [400, 'No sync-worker is listening (API_ERR_SYNC_NOT_RUNNING)'],
        [503, 'The sync queues in Redis did not answer in time (API_ERR_QUEUE_UNAVAILABLE)'],
      ),
    },
  };
  app.post('/api/health/gun-sync/force', { schema }, async () => forceAnswer(await force.request()));
}
