// The GUN peer, its store and the relay service as app resources, closed with the app.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { GunPeer } from '../gun/gun-peer.js';
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

async function gunPlugin(app: FastifyInstance, { config }: GunPluginOptions): Promise<void> {
  const peer = new GunPeer({
    dataDir: config.dataDir,
    peers: config.peers,
    wsPath: config.wsPath,
    maxInboundPeers: config.maxInboundPeers,
    maxPeerMessageBytes: config.maxPeerMessageBytes,
    sqliteCacheKiB: config.sqliteCacheKiB,
  });
  peer.attach(app.server);
  const index = new PublisherIndex(peer.store, config.indexLruSize);
  const relay = new RelayService({ peer, index, putTimeoutMs: config.putTimeoutMs, getMissWaitMs: config.getMissWaitMs });
  app.decorate('gunPeer', peer);
  app.decorate('relay', relay);
  // Peer sockets first, so the HTTP server can finish closing; storage after in-flight requests.
  app.addHook('preClose', async () => {
    await peer.closePeering();
  });
  app.addHook('onClose', async () => {
    await peer.close();
  });
}

export default fp(gunPlugin, { name: 'gun-proxy-gun', fastify: '5.x' });
