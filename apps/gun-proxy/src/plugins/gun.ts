// The GUN peer, its store and the relay service as app resources, closed with the app.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import type { Config } from '../config.js';
import { CatchUp } from '../gun/catch-up.js';
import { GunPeer } from '../gun/gun-peer.js';
import type { InboundAuthOptions } from '../gun/peer-credentials.js';
import { PublisherIndex } from '../services/publisher-index.js';
import { RelayService } from '../services/relay-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    gunPeer: GunPeer;
    relay: RelayService;
    /** Catch-up with peers on connect; undefined when GUNPROXY_CATCHUP=false. */
    catchUp: CatchUp | undefined;
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
    // A paged answer to a peer stays well inside its message cap and our answer budget.
    pageMaxBytes: Math.min(config.getMaxBytes, Math.floor(config.maxPeerMessageBytes / 2)),
  });
  const catchUp = config.catchUp
    ? new CatchUp({
        peer,
        registryRoot: config.registryRoot,
        recordTypes: config.catchUpRecordTypes,
        maxLinks: config.catchUpMaxLinks,
        concurrency: config.catchUpConcurrency,
        askTimeoutMs: config.catchUpAskTimeoutMs,
        runTimeoutMs: config.catchUpTimeoutMs,
        maxNodeKeys: config.maxNodeKeys,
        log: app.log,
      })
    : undefined;
  // Outbound sockets open asynchronously (dialled in the constructor), so this is in time.
  if (catchUp) peer.onPeerOpen((p) => catchUp.onPeerOpen(p));
  peer.attach(app.server);
  const index = new PublisherIndex(peer.store, config.indexLruSize);
  const relay = new RelayService({
    peer,
    index,
    putTimeoutMs: config.putTimeoutMs,
    getMissWaitMs: config.getMissWaitMs,
  });
  app.decorate('gunPeer', peer);
  app.decorate('relay', relay);
  app.decorate('catchUp', catchUp);
  // The metrics registry is decorated by a plugin registered after this one.
  app.addHook('onReady', async () => {
    if (!app.hasDecorator('metrics')) return;
    new Counter({
      name: 'oip_gunproxy_ws_dropped_messages_total',
      help: 'GUN websocket messages (or parts of them) dropped before GUN saw them, since start, by reason',
      labelNames: ['reason'] as const,
      registers: [app.metrics],
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(peer.wireDrops.counts)) this.inc({ reason }, n);
      },
    });
    if (!catchUp) return;
    // Counts live in the CatchUp (runs may start before the registry exists); read at scrape.
    new Counter({
      name: 'oip_gunproxy_catchup_runs_total',
      help: 'Catch-up runs with a peer whose socket opened, by outcome (partial: time bound, peer gone, or an ask timed out)',
      labelNames: ['outcome'] as const,
      registers: [app.metrics],
      collect() {
        this.reset();
        for (const [outcome, n] of Object.entries(catchUp.stats.runs)) this.inc({ outcome }, n);
      },
    });
    new Counter({
      name: 'oip_gunproxy_catchup_souls_total',
      help: 'Souls asked of peers by catch-up, by kind (index, deletions, entry) and result (merged, not-found, timeout, failed)',
      labelNames: ['kind', 'result'] as const,
      registers: [app.metrics],
      collect() {
        this.reset();
        for (const [k, n] of catchUp.stats.souls) {
          const [kind, result] = k.split(':') as [string, string];
          this.inc({ kind, result }, n);
        }
      },
    });
    new Counter({
      name: 'oip_gunproxy_catchup_keys_total',
      help: 'Keys of registry souls merged by catch-up (HAM decides whether each changes anything)',
      registers: [app.metrics],
      collect() {
        this.reset();
        this.inc(catchUp.stats.keys);
      },
    });
  });
  // Peer sockets first, so the HTTP server can finish closing; storage after in-flight requests.
  app.addHook('preClose', async () => {
    await catchUp?.close();
    await peer.closePeering();
  });
  app.addHook('onClose', async () => {
    await peer.close();
  });
}

export default fp(gunPlugin, { name: 'gun-proxy-gun', fastify: '5.x' });
