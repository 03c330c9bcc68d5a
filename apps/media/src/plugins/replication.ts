// `app.replicator`: public media this node lacks, fetched from allowlisted peers announced in GUN
// (services/replicator.ts), or null when MEDIA_PEER_ALLOWLIST is empty. Its relay client (reads
// only) and its transport are closed with the app.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { GunClient } from '@oip/gun-client';
import type { Config } from '../config.js';
import { MediaReplicator, type ReplicatorRelay } from '../services/replicator.js';

/** How long a relay miss (no manifest, no peers) is remembered. */
export const MISS_TTL_MS = 10_000;

declare module 'fastify' {
  interface FastifyInstance {
    replicator: MediaReplicator | null;
  }
}

export interface ReplicationPluginOptions {
  config: Config;
  peerId: string;
  publicBase: () => string;
  /** A relay the app does not own (tests). */
  relay?: ReplicatorRelay;
}

async function replicationPlugin(app: FastifyInstance, opts: ReplicationPluginOptions): Promise<void> {
  const c = opts.config;
  if (c.peerAllowlist.length === 0) {
    app.decorate('replicator', null);
    return;
  }
  // Misses are remembered briefly only: media announced after a first miss is found within 10 s.
  const owned = opts.relay
    ? null
    : new GunClient({
        baseUrl: c.relayUrl,
        connections: 4,
        requestTimeoutMs: c.relayTimeoutMs,
        negativeCache: { max: 10_000, ttlMs: MISS_TTL_MS },
      });
  const replicator = new MediaReplicator({
    relay: opts.relay ?? owned!,
    store: app.media,
    publicBase: opts.publicBase,
    allowOrigins: c.peerAllowlist,
    selfPeerId: opts.peerId,
    maxBytes: c.peerFetchMaxBytes,
    maxConcurrent: c.peerFetchConcurrency,
    timeoutMs: c.peerFetchTimeoutMs,
    onPeerResult: (result) => app.mediaMetrics.peerFetch(result),
  });
  app.decorate('replicator', replicator);
  app.addHook('onClose', async () => {
    await replicator.close();
    await owned?.close();
  });
}

export default fp(replicationPlugin, { name: 'media-replication', fastify: '5.x', dependencies: ['media-store'] });
