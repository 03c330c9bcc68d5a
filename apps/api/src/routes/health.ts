// /health and /api/health (legacy), /api/metrics/gun-cache (gun-client stats).
import type { FastifyInstance } from 'fastify';

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  const health = async () => {
    let store: 'ok' | 'down' = 'ok';
    try {
      await app.store.count();
    } catch {
      store = 'down';
    }
    return { status: store === 'ok' ? 'OK' : 'DEGRADED', timestamp: new Date().toISOString(), uptimeSeconds: Math.round(process.uptime()), store };
  };
  app.get('/health', health);
  app.get('/api/health', health);
  app.get('/api/metrics/gun-cache', async () => ({ relay: app.relay.baseUrl, ...app.relay.stats() }));
}
