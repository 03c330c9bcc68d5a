// GET /peers/status (legacy body) and GET /health. CORS pre-flight is app.ts's openCors.
import type { FastifyInstance } from 'fastify';
import { redactPeerUrl } from '../services/redact-peer.js';

export interface StatusOptions {
  peers: readonly string[];
  allowlist: readonly string[];
}

export default async function statusRoutes(app: FastifyInstance, opts: StatusOptions): Promise<void> {
  app.get('/peers/status', { config: { legacy: true } }, async () => ({
    configuredPeers: opts.peers.map(redactPeerUrl),
    // Legacy counts configured peers; the sockets actually open are ours to report beside it.
    peerCount: opts.peers.length,
    connectedPeers: app.gunPeer.connectedPeers(),
    allowedDomains: [...opts.allowlist],
    isolationMode: opts.peers.length > 0 ? 'multi-node' : 'isolated',
    multicastDisabled: true,
    axeDisabled: true,
    timestamp: new Date().toISOString(),
  }));

  app.get('/health', async () => {
    const mem = process.memoryUsage();
    const peer = app.gunPeer;
    return {
      status: 'ok',
      uptimeSeconds: Math.round(process.uptime()),
      peers: { configured: opts.peers.length, connected: peer.connectedPeers(), inbound: peer.inboundPeers() },
      gun: { graphNodes: peer.graphSize(), chains: peer.chainCount(), dupEntries: peer.dupSize() },
      storage: { pendingWrites: peer.storage.pendingWrites, writes: peer.storage.stats.writes },
      index: { lruEntries: app.relay.index.cachedEntries },
      relay: app.relay.stats,
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, externalBytes: mem.external },
    };
  });
}
