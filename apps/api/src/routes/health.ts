// /health and /api/health (legacy), /api/health/gun-sync (sync state in Redis),
// /api/metrics/gun-cache (gun-client stats).
import type { FastifyInstance } from 'fastify';
import { legacySyncHealth } from '../services/sync-status.js';
import { errors } from '../schemas/common.js';
import { GunCacheStats, GunSyncHealth, HealthAnswer } from '../schemas/operations.js';

const healthSchema = (summary: string, operationId: string) => ({
  summary,
  operationId,
  description: 'Always 200: records, accounts and publishing answer without Redis; the parts say what is down.',
  tags: ['health'],
  response: { 200: { ...HealthAnswer, description: 'The store and Redis' } },
});

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  // Redis (the sync state, dead letters, the dashboard) is 'down' once its connection has failed and
  // until it is ready again; 'connecting' before the first answer is not counted as degraded.
  let redisFailed = false;
  app.syncRedis.on('error', () => (redisFailed = true)).on('ready', () => (redisFailed = false));
  const redisState = (): 'up' | 'down' | 'connecting' =>
    app.syncRedis.status === 'ready' ? 'up' : redisFailed ? 'down' : 'connecting';

  const health = async () => {
    let store: 'ok' | 'down' = 'ok';
    try {
      await app.store.count();
    } catch {
      store = 'down';
    }
    const redis = redisState();
    // Still 200: the records, accounts and publishing answer without Redis; the parts say what is down.
    return {
      status: store === 'ok' && redis !== 'down' ? 'OK' : 'DEGRADED',
      timestamp: new Date().toISOString(),
      uptimeSeconds: Math.round(process.uptime()),
      store,
      redis,
    };
  };
  app.get('/health', { schema: healthSchema('Health', 'getHealth') }, health);
  app.get('/api/health', { schema: healthSchema('Health (legacy path)', 'getApiHealth') }, health);
  // The sync-worker's state from Redis (legacy fields); 503 API_ERR_SYNC_STATUS_UNAVAILABLE when Redis does not answer in time.
  app.get(
    '/api/health/gun-sync',
    {
      schema: {
        summary: "The sync-worker's state",
        operationId: 'getGunSyncHealth',
        tags: ['health'],
        response: {
          200: { ...GunSyncHealth, description: 'Legacy fields and the sync counters' },
          ...errors([503, 'Redis did not answer in time (API_ERR_SYNC_STATUS_UNAVAILABLE)']),
        },
      },
    },
    async () => legacySyncHealth(await app.syncStatus.read()),
  );
  app.get(
    '/api/metrics/gun-cache',
    {
      schema: {
        summary: "The relay client's counters",
        operationId: 'getGunCacheStats',
        tags: ['health'],
        response: { 200: { ...GunCacheStats, description: 'Requests, failures, caches' } },
      },
    },
    async () => ({ relay: app.relay.baseUrl, ...app.relay.stats() }),
  );
}
