// The record store (SQLite by default, Elasticsearch at scale), closed with the app.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createRecordStore, type RecordStore } from '@oip/record-store';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: RecordStore;
  }
}

async function storePlugin(app: FastifyInstance, opts: { config: Config; store?: RecordStore }): Promise<void> {
  // What a user publishes or deletes is in their next list (the legacy node's refresh=wait_for).
  // A schema upgrade at open logs its progress through the app's logger.
  const store = opts.store ?? createRecordStore(opts.config.store, { visibleOnReturn: true, logger: app.log });
  app.decorate('store', store);
  // An injected store belongs to the caller.
  if (!opts.store) app.addHook('onClose', async () => store.close());
}

export default fp(storePlugin, { name: 'api-store', fastify: '5.x' });
