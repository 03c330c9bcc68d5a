// /health: the media directory is writable; file streams and descriptors open now.
import { access, constants } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { countOpenFds } from '../services/open-fds.js';

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', async (_req, reply) => {
    let mediaDir: 'ok' | 'down' = 'ok';
    try {
      await access(app.media.paths.root, constants.W_OK);
      await access(app.media.paths.tmpDir, constants.W_OK);
    } catch {
      mediaDir = 'down';
    }
    if (mediaDir === 'down') void reply.code(503);
    return {
      status: mediaDir === 'ok' ? 'OK' : 'DEGRADED',
      timestamp: new Date().toISOString(),
      uptimeSeconds: Math.round(process.uptime()),
      mediaDir,
      activeStreams: app.mediaMetrics.activeStreams,
      openFds: await countOpenFds(),
      cachedManifests: app.media.cachedManifests,
      relayPending: app.announcer?.pending ?? 0,
    };
  });
}
