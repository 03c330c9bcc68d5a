// The gun-client to our relay: drefs the store lacks, and publishing (with the relay's write
// token when gun-proxy runs in token mode); closed with the app.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { GunClient } from '@oip/gun-client';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    relay: GunClient;
  }
}

async function relayPlugin(app: FastifyInstance, opts: { config: Config; relay?: GunClient }): Promise<void> {
  const c = opts.config;
  const relay =
    opts.relay ??
    new GunClient({
      baseUrl: c.relayUrl,
      connections: c.relayConnections,
      requestTimeoutMs: c.relayTimeoutMs,
      ...(c.relayAuthToken ? { authToken: c.relayAuthToken } : {}),
    });
  app.decorate('relay', relay);
  if (!opts.relay) app.addHook('onClose', async () => relay.close());
}

export default fp(relayPlugin, { name: 'api-relay', fastify: '5.x' });
