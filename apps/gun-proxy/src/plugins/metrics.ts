// Prometheus metrics on an app-owned Registry (no global state, so several apps can live in one
// process): HTTP request counts and latencies (the kit's httpMetrics), and the gauges that prove
// GUN's memory stays bounded. @oip/memory-guard adds its memory/process metrics to the same
// registry and serves `/metrics`, `/health/memory` and load shedding (under-pressure).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { memoryGuardPlugin } from '@oip/memory-guard/fastify';
import { httpMetrics } from '@oip/service-kit/fastify';
import { Gauge, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

async function metricsPlugin(app: FastifyInstance): Promise<void> {
  const registry = new Registry();
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  };
  gauge('gunproxy_gun_graph_nodes', "Souls held in GUN's in-memory graph (evicted after each storage flush)", () =>
    app.gunPeer.graphSize(),
  );
  gauge('gunproxy_gun_chains', 'Chains in GUN root.next (the chain API is not used, so 0 expected)', () =>
    app.gunPeer.chainCount(),
  );
  gauge('gunproxy_gun_dup_entries', 'Message ids GUN tracks for deduplication (expire after ~9 s)', () =>
    app.gunPeer.dupSize(),
  );
  gauge(
    'gunproxy_storage_pending_writes',
    'GUN writes queued for the next SQLite transaction',
    () => app.gunPeer.storage.pendingWrites,
  );
  gauge('gunproxy_storage_writes', 'GUN key writes committed since start', () => app.gunPeer.storage.stats.writes);
  gauge('gunproxy_peers_connected', 'Connected GUN websocket peers', () => app.gunPeer.connectedPeers());
  gauge('gunproxy_index_lru_entries', 'Entries of the publisher-index LRU', () => app.relay.index.cachedEntries);
  gauge('gunproxy_get_local_hits', 'Gets answered from the local store', () => app.relay.stats.localHits);
  gauge('gunproxy_get_peer_hits', 'Gets answered by a peer', () => app.relay.stats.peerHits);
  gauge('gunproxy_get_misses', 'Gets answered 404', () => app.relay.stats.misses);

  app.decorate('metrics', registry);
  await app.register(httpMetrics, { registry, prefix: 'gunproxy_' });
  await app.register(memoryGuardPlugin, {
    registry,
    metrics: { prefix: 'gunproxy_' },
    routes: { health: '/health/memory', metrics: '/metrics', legacy: false },
  });
  app.addHook('onClose', async () => {
    registry.clear();
  });
}

export default fp(metricsPlugin, { name: 'gun-proxy-metrics', fastify: '5.x', dependencies: ['gun-proxy-gun'] });
