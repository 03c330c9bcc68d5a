// The GUN peer, its store and the relay service as app resources, closed with the app.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import type { Config } from '../config.js';
import { GunPeer } from '../gun/gun-peer.js';
import type { InboundAuthOptions } from '../gun/peer-credentials.js';
import { PublisherIndex } from '../services/publisher-index.js';
import { RelayService } from '../services/relay-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    gunPeer: GunPeer;
    relay: RelayService;
  }
}

export interface GunPluginOptions {
  config: Config;
}

/**
 * Websocket auth follows HTTP write auth: off when HTTP writes need no auth. In token mode the
 * write token is also a peer credential; in hmac mode only the peer tokens are (the HMAC secret
 * never travels).
 */
export function inboundAuthOf(config: Config): InboundAuthOptions | undefined {
  if (config.authMode === 'none') return undefined;
  const credentials = [...config.peerTokens];
  if (config.authMode === 'token' && config.authToken) credentials.push(config.authToken);
  return { credentials, anonymousReads: config.wsAnonymousReads };
}

async function gunPlugin(app: FastifyInstance, { config }: GunPluginOptions): Promise<void> {
  const peer = new GunPeer({
    dataDir: config.dataDir,
    peers: config.peers,
    wsPath: config.wsPath,
    maxInboundPeers: config.maxInboundPeers,
    maxPeerMessageBytes: config.maxPeerMessageBytes,
    sqliteCacheKiB: config.sqliteCacheKiB,
    inboundAuth: inboundAuthOf(config),
    log: app.log,
  });
  peer.attach(app.server);
  const index = new PublisherIndex(peer.store, config.indexLruSize);
  const relay = new RelayService({ peer, index, putTimeoutMs: config.putTimeoutMs, getMissWaitMs: config.getMissWaitMs });
  app.decorate('gunPeer', peer);
  app.decorate('relay', relay);
  // The metrics registry is decorated by a plugin registered after this one.
  app.addHook('onReady', async () => {
    if (!app.hasDecorator('metrics')) return;
    new Gauge({
      name: 'gunproxy_ws_dropped_messages',
      help: 'GUN websocket messages (or parts of them) dropped before GUN saw them, since start, by reason',
      labelNames: ['reason'] as const,
      registers: [app.metrics],
      collect() {
        for (const [reason, n] of Object.entries(peer.wireDrops.counts)) this.set({ reason }, n);
      },
    });
  });
  // Peer sockets first, so the HTTP server can finish closing; storage after in-flight requests.
  app.addHook('preClose', async () => {
    await peer.closePeering();
  });
  app.addHook('onClose', async () => {
    await peer.close();
  });
}

export default fp(gunPlugin, { name: 'gun-proxy-gun', fastify: '5.x' });
