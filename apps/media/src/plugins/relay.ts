// `app.announcer`: publication of public uploads to our relay (a GunClient to gun-proxy, with its
// write token in token mode, bounded retries; or the relay the app was given), null when
// publishing is off. Pending publications are aborted and the client closed with the app.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { GunClient } from '@oip/gun-client';
import type { Config } from '../config.js';
import { MediaAnnouncer, type MediaRelay } from '../services/announcer.js';

declare module 'fastify' {
  interface FastifyInstance {
    announcer: MediaAnnouncer | null;
  }
}

export interface RelayPluginOptions {
  config: Config;
  /** Our peer id in presence entries. */
  peerId: string;
  /** Our public base URL. */
  endpoint: () => string;
  /** A relay client the app does not own (tests). */
  relay?: MediaRelay;
}

async function relayPlugin(app: FastifyInstance, opts: RelayPluginOptions): Promise<void> {
  const c = opts.config;
  if (!c.relayPublish) {
    app.decorate('announcer', null);
    return;
  }
  const owned = opts.relay
    ? null
    : new GunClient({
        baseUrl: c.relayUrl,
        connections: 4,
        requestTimeoutMs: c.relayTimeoutMs,
        retry: { attempts: c.relayAttempts },
        ...(c.relayAuthToken ? { authToken: c.relayAuthToken } : {}),
      });
  const announcer = new MediaAnnouncer({
    relay: opts.relay ?? owned!,
    peerId: opts.peerId,
    endpoint: opts.endpoint,
    maxPending: c.relayMaxPending,
    logger: app.log,
    onResult: (result) => app.mediaMetrics.publish(result),
  });
  app.decorate('announcer', announcer);
  app.addHook('onClose', async () => {
    await announcer.close();
    await owned?.close();
  });
}

export default fp(relayPlugin, { name: 'media-relay', fastify: '5.x', dependencies: ['media-store'] });
