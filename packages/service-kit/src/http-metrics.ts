// HTTP request counts and latencies on a service's own prom-client Registry (no global state,
// so several services can share a process in tests).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface HttpMetricsOptions {
  registry: Registry;
  /** Metric name prefix, e.g. `oip_gunproxy_` → `oip_gunproxy_http_requests_total`. */
  prefix: string;
  /** @defaultValue [0.001 … 2.5] seconds */
  buckets?: number[];
}

async function httpMetricsPlugin(app: FastifyInstance, opts: HttpMetricsOptions): Promise<void> {
  const requests = new Counter({
    name: `${opts.prefix}http_requests_total`,
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [opts.registry],
  });
  const latency = new Histogram({
    name: `${opts.prefix}http_request_duration_seconds`,
    help: 'HTTP request duration by route',
    labelNames: ['route'] as const,
    buckets: opts.buckets ?? [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [opts.registry],
  });
  // Label children cached per (route, method, status): hashing labels on every request costs more
  // than a cached read. Bounded by routes × methods × statuses (unmatched URLs share one label).
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
}

export const httpMetrics = fp(httpMetricsPlugin, { name: 'oip-http-metrics', fastify: '5.x' });
