// Prometheus metrics on an app-owned Registry (no global state, so several apps can live in one
// process): HTTP request counts and latencies (the kit's httpMetrics), and the gauges that prove
// GUN's memory stays bounded. @oip/memory-guard adds its memory/process metrics to the same
// registry and serves `/metrics`, `/health/memory` and load shedding (under-pressure).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { memoryGuardPlugin } from '@oip/memory-guard/fastify';
import { httpMetrics } from '@oip/service-kit/fastify';
import { Counter, Gauge, Registry } from 'prom-client';

/** Every gun-proxy metric name starts with it (Node's default metrics keep their standard names). */
export const PREFIX = 'oip_gunproxy_';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

async function metricsPlugin(app: FastifyInstance): Promise<void> {
  const registry = new Registry();
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({
      name: `${PREFIX}${name}`,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  };
  gauge('gun_graph_nodes', "Souls held in GUN's in-memory graph (evicted after each storage flush)", () =>
    app.gunPeer.graphSize(),
  );
  gauge('gun_chains', 'Chains in GUN root.next (the chain API is not used, so 0 expected)', () =>
    app.gunPeer.chainCount(),
  );
  gauge('gun_dup_entries', 'Message ids GUN tracks for deduplication (expire after ~9 s)', () => app.gunPeer.dupSize());
  gauge(
    'storage_pending_writes',
    'GUN writes queued for the next SQLite transaction',
    () => app.gunPeer.storage.pendingWrites,
  );
  gauge('peers_connected', 'Connected GUN websocket peers', () => app.gunPeer.connectedPeers());
  gauge('index_lru_entries', 'Entries of the publisher-index LRU', () => app.relay.index.cachedEntries);
  // Totals kept by the storage and the relay service since start, read at scrape time.
  new Counter({
    name: `${PREFIX}storage_writes_total`,
    help: 'GUN key writes committed since start',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(app.gunPeer.storage.stats.writes);
    },
  });
  new Counter({
    name: `${PREFIX}relay_gets_total`,
    help: 'Relay gets by result: local (from the local store), peer (answered by a peer), miss (404)',
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      const st = app.relay.stats;
      this.reset();
      this.inc({ result: 'local' }, st.localHits);
      this.inc({ result: 'peer' }, st.peerHits);
      this.inc({ result: 'miss' }, st.misses);
    },
  });

  app.decorate('metrics', registry);
  await app.register(httpMetrics, { registry, prefix: PREFIX });
  await app.register(memoryGuardPlugin, {
    registry,
    metrics: { prefix: PREFIX },
    routes: { health: '/health/memory', metrics: '/metrics', legacy: false },
  });
  app.addHook('onClose', async () => {
    registry.clear();
  });
}

export default fp(metricsPlugin, { name: 'gun-proxy-metrics', fastify: '5.x', dependencies: ['gun-proxy-gun'] });
