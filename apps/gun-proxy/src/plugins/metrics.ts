// Prometheus metrics on an app-owned Registry (no global state, so several apps can live in one
// process): HTTP request counts and latencies, and the gauges that prove GUN's memory stays
// bounded. @oip/memory-guard adds its memory/process metrics to the same registry and serves
// `/metrics`, `/health/memory` and load shedding (under-pressure).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { memoryGuardPlugin } from '@oip/memory-guard/fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

async function metricsPlugin(app: FastifyInstance): Promise<void> {
  const registry = new Registry();
  const requests = new Counter({
    name: 'gunproxy_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'gunproxy_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  };
  gauge('gunproxy_gun_graph_nodes', 'Souls held in GUN\'s in-memory graph (evicted after each storage flush)', () => app.gunPeer.graphSize());
  gauge('gunproxy_gun_chains', 'Chains in GUN root.next (the chain API is not used, so 0 expected)', () => app.gunPeer.chainCount());
  gauge('gunproxy_gun_dup_entries', 'Message ids GUN tracks for deduplication (expire after ~9 s)', () => app.gunPeer.dupSize());
  gauge('gunproxy_storage_pending_writes', 'GUN writes queued for the next SQLite transaction', () => app.gunPeer.storage.pendingWrites);
  gauge('gunproxy_storage_writes', 'GUN key writes committed since start', () => app.gunPeer.storage.stats.writes);
  gauge('gunproxy_peers_connected', 'Connected GUN websocket peers', () => app.gunPeer.connectedPeers());
  gauge('gunproxy_index_lru_entries', 'Entries of the publisher-index LRU', () => app.relay.index.cachedEntries);
  gauge('gunproxy_get_local_hits', 'Gets answered from the local store', () => app.relay.stats.localHits);
  gauge('gunproxy_get_peer_hits', 'Gets answered by a peer', () => app.relay.stats.peerHits);
  gauge('gunproxy_get_misses', 'Gets answered 404', () => app.relay.stats.misses);

  app.decorate('metrics', registry);
  // Label children cached per (route, method, status): label hashing on every request costs
  // more than the rest of a cached /get. The key set is bounded by routes × methods × statuses.
  const counters = new Map<string, ReturnType<typeof requests.labels>>();
  const timers = new Map<string, ReturnType<typeof latency.labels>>();
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const key = `${route} ${req.method} ${reply.statusCode}`;
    let c = counters.get(key);
    if (!c) counters.set(key, (c = requests.labels(route, req.method, String(reply.statusCode))));
    c.inc();
    let h = timers.get(route);
    if (!h) timers.set(route, (h = latency.labels(route)));
    h.observe(reply.elapsedTime / 1000);
    done();
  });
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
