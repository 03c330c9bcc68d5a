import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Registry } from 'prom-client';
import { legacyMemoryReport, legacyTrackerReport } from './legacy.js';
import { MemoryGuard } from './memory-guard.js';
import { registerMemoryMetrics, type MemoryMetrics, type MemoryMetricsOptions } from './metrics.js';
import type { MemoryGuardOptions } from './options.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's memory guard (samples, slopes, status). */
    memoryGuard: MemoryGuard;
    /** The Prometheus registry `/metrics` serves; apps may add their own metrics to it. */
    metricsRegistry: Registry;
  }
}

/** Load shedding through @fastify/under-pressure: 503 + Retry-After above these limits. */
export interface UnderPressureOptions {
  /** heapUsed limit, bytes. @defaultValue 90 % of v8's heap_size_limit */
  maxHeapUsedBytes?: number;
  /** rss limit, bytes; 0 disables. @defaultValue 0 (set it below the container limit) */
  maxRssBytes?: number;
  /** Mean event-loop delay limit, ms; 0 disables. @defaultValue 1000 */
  maxEventLoopDelay?: number;
  /** Event-loop utilisation limit (0–1); 0 disables. @defaultValue 0 */
  maxEventLoopUtilization?: number;
  /** Retry-After header, seconds. @defaultValue 10 */
  retryAfter?: number;
  /** How often under-pressure samples, ms. @defaultValue 1000 */
  sampleInterval?: number;
  /**
   * Also shed while the guard's status is critical (which includes growth slopes).
   * @defaultValue false
   */
  shedOnCritical?: boolean;
}

export interface MemoryGuardPluginOptions {
  /** A guard the app owns (started here if not running, never closed here). */
  guard?: MemoryGuard;
  /** Options for a guard the plugin creates, starts and closes. Ignored when `guard` is given. */
  guardOptions?: MemoryGuardOptions;
  /** Registry for `/metrics`. @defaultValue a new Registry (never prom-client's global one) */
  registry?: Registry;
  /** Metric options, or false for no memory metrics on the registry. @defaultValue {} */
  metrics?: MemoryMetricsOptions | false;
  /** Load shedding, or false to leave under-pressure out. @defaultValue {} */
  underPressure?: UnderPressureOptions | false;
  routes?: {
    /** Path of the guard snapshot, or false. @defaultValue '/health/memory' */
    health?: string | false;
    /** Path of the Prometheus text, or false. @defaultValue '/metrics' */
    metrics?: string | false;
    /** Legacy `/api/health/memory` and `/api/health/memory/tracker`. @defaultValue true */
    legacy?: boolean;
  };
}

/** Health and metrics routes keep answering under pressure: they are how an operator sees why. */
const exempt = { pressureHandler: () => null };

async function memoryGuardPlugin(fastify: FastifyInstance, opts: MemoryGuardPluginOptions): Promise<void> {
  const owned = !opts.guard;
  const guard = opts.guard ?? new MemoryGuard(opts.guardOptions);
  const registry = opts.registry ?? new Registry();
  let metrics: MemoryMetrics | null = null;

  fastify.addHook('onClose', async () => {
    metrics?.unregister();
    if (owned) guard.close();
  });
  if (!guard.running) guard.start();
  if (opts.metrics !== false) metrics = registerMemoryMetrics(guard, registry, opts.metrics ?? {});

  fastify.decorate('memoryGuard', guard);
  if (!fastify.hasDecorator('metricsRegistry')) fastify.decorate('metricsRegistry', registry);

  if (opts.underPressure !== false) {
    const up = opts.underPressure ?? {};
    const latest = guard.latest();
    const retryAfter = up.retryAfter ?? 10;
    await fastify.register(underPressure, {
      maxHeapUsedBytes: up.maxHeapUsedBytes ?? Math.round((latest?.heapSizeLimit ?? 0) * 0.9),
      maxRssBytes: up.maxRssBytes ?? 0,
      maxEventLoopDelay: up.maxEventLoopDelay ?? 1000,
      maxEventLoopUtilization: up.maxEventLoopUtilization ?? 0,
      sampleInterval: up.sampleInterval ?? 1000,
      retryAfter,
      ...(up.shedOnCritical
        ? {
            healthCheck: async () => guard.status() !== 'critical',
            healthCheckInterval: up.sampleInterval ?? 1000,
          }
        : {}),
      // The house error shape instead of under-pressure's default error.
      pressureHandler: (request: FastifyRequest, reply: FastifyReply, type: string) => {
        void reply
          .code(503)
          .header('retry-after', String(retryAfter))
          .send({
            error: {
              code: 'MEMGUARD_UNDER_PRESSURE',
              message: `Service under pressure (${type}); retry after ${retryAfter} s`,
            },
            requestId: request.id,
          });
      },
    });
  }

  const routes = opts.routes ?? {};
  const healthPath = routes.health ?? '/health/memory';
  if (healthPath) {
    fastify.get(healthPath, { config: exempt }, async () => ({
      ...guard.snapshot(),
      timestamp: new Date().toISOString(),
    }));
  }
  const metricsPath = routes.metrics ?? '/metrics';
  if (metricsPath) {
    fastify.get(metricsPath, { config: exempt }, async (_req, reply) => {
      void reply.type(registry.contentType);
      return registry.metrics();
    });
  }
  if (routes.legacy ?? true) {
    fastify.get('/api/health/memory', { config: exempt }, async () => legacyMemoryReport(guard));
    fastify.get('/api/health/memory/tracker', { config: exempt }, async () => legacyTrackerReport(guard));
  }
}

/**
 * Fastify adapter: decorates `fastify.memoryGuard` and `fastify.metricsRegistry`, serves
 * `/health/memory`, `/metrics` and the legacy memory routes, and sheds load with 503 +
 * Retry-After through @fastify/under-pressure before the process runs out of memory.
 */
const plugin = fp(memoryGuardPlugin, { name: '@oip/memory-guard', fastify: '5.x' });
export { plugin as memoryGuardPlugin };
export default plugin;
export type { MemoryGuard };
