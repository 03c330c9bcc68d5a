// /health and /api/health (legacy), /api/health/gun-sync (sync state in Redis),
// /api/metrics/gun-cache (gun-client stats).
import type { FastifyInstance } from 'fastify';
import { legacySyncHealth } from '../services/sync-status.js';

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  const health = async () => {
    let store: 'ok' | 'down' = 'ok';
    try {
      await app.store.count();
    } catch {
      store = 'down';
    }
    return {
      status: store === 'ok' ? 'OK' : 'DEGRADED',
      timestamp: new Date().toISOString(),
      uptimeSeconds: Math.round(process.uptime()),
      store,
    };
  };
  app.get('/health', health);
  app.get('/api/health', health);
  // The sync-worker's state from Redis (legacy fields); 503 API_ERR_SYNC_STATUS_UNAVAILABLE when Redis does not answer in time.
  app.get('/api/health/gun-sync', async () => legacySyncHealth(await app.syncStatus.read()));
  app.get('/api/metrics/gun-cache', async () => ({ relay: app.relay.baseUrl, ...app.relay.stats() }));
}
