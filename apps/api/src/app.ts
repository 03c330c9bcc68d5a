// buildApp(config) → the api as a Fastify instance. It never listens; server.ts does.
import Fastify, { type FastifyInstance } from 'fastify';
import { memoryGuardPlugin } from '@oip/memory-guard/fastify';
import type { AccountStore } from '@oip/accounts';
import type { GunClient } from '@oip/gun-client';
import type { RecordStore } from '@oip/record-store';
import { defaultNodeId, REDACT_PATHS } from '@oip/service-kit';
import {
  clientErrorHandler,
  errorHandling,
  httpMetrics,
  jsonBodyGuard,
  openCors,
  requestLogController,
  sweepSocketsOnClose,
} from '@oip/service-kit/fastify';
import { Registry } from 'prom-client';
import type { Config } from './config.js';
import accountsPlugin from './plugins/accounts.js';
import authPlugin from './plugins/auth.js';
import bullBoardPlugin from './plugins/bull-board.js';
import docsPlugin from './plugins/docs.js';
import rateLimitPlugin from './plugins/rate-limit.js';
import redisPlugin from './plugins/redis.js';
import relayPlugin from './plugins/relay.js';
import securityHeadersPlugin from './plugins/security-headers.js';
import storePlugin from './plugins/store.js';
import adminDlqRoutes from './routes/admin-dlq.js';
import adminLoginRoutes from './routes/admin-login.js';
import landingRoutes from './routes/landing.js';
import gatewayRoutes from './routes/gateway.js';
import healthRoutes from './routes/health.js';
import forceSyncRoutes from './routes/health-force-sync.js';
import templateRoutes from './routes/templates.js';
import organizationRoutes from './routes/organizations.js';
import creatorRoutes from './routes/creators.js';
import mediaRecordRoutes from './routes/media-record.js';
import publishRoutes from './routes/publish.js';
import recordsRoutes from './routes/records.js';
import userRoutes from './routes/user.js';
import adminUserRoutes from './routes/admin-users.js';
import calendarTokenRoutes from './routes/calendar-tokens.js';
import userPasswordRoutes from './routes/user-password.js';
import userWalletRoutes from './routes/user-wallet.js';

export { loadConfig, parseConfig, type Config } from './config.js';

/** Injected collaborators (tests); each defaults to one built from config and closed with the app. */
export interface AppDeps {
  logger?: FastifyInstance['log'];
  store?: RecordStore;
  relay?: GunClient;
  /** Account store (tests); by default one beside the record store. */
  accounts?: AccountStore;
}

export function buildApp(config: Config, deps: AppDeps = {}): FastifyInstance {
  const app = Fastify({
    // One log line per request; health and metrics polls at debug.
    logController: requestLogController(),
    ...(deps.logger
      ? { loggerInstance: deps.logger }
      : { logger: { level: config.logLevel, redact: [...REDACT_PATHS] } }),
    bodyLimit: config.bodyLimitBytes,
    // Whose X-Forwarded-For sets req.ip (the rate limits' client address): API_TRUST_PROXY.
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 1100 },
    // Requests the HTTP parser refuses: the house body and Connection: close (Fastify's own answer keeps the socket looking reusable).
    clientErrorHandler: clientErrorHandler('API'),
  }) as unknown as FastifyInstance;
  sweepSocketsOnClose(app);
  const registry = new Registry();
  // A store query the api let through but the store refuses is still the caller's bad input.
  app.register(errorHandling, {
    prefix: 'API',
    bodyLimit: config.bodyLimitBytes,
    clientErrorCodes: ['STORE_ERR_INVALID'],
  });
  app.register(jsonBodyGuard, { prefix: 'API' });
  app.register(openCors);
  app.register(securityHeadersPlugin);
  app.register(httpMetrics, { registry, prefix: 'oip_api_' });
  app.register(memoryGuardPlugin, {
    registry,
    metrics: { prefix: 'oip_api_' },
    routes: { health: '/health/memory', metrics: '/metrics', legacy: true },
    underPressure: { maxEventLoopDelay: config.maxEventLoopDelayMs },
  });
  // Before the routes, so the document lists them.
  app.register(docsPlugin);
  app.register(authPlugin, {
    secret: config.jwtSecret,
    accountCache: { ttlMs: config.accountCacheTtlMs, max: config.accountCacheMax },
  });
  app.register(redisPlugin, { config });
  app.register(rateLimitPlugin, {
    redis: config,
    queuePrefix: config.queuePrefix,
    timeoutMs: config.syncStatusTimeoutMs,
  });
  app.register(storePlugin, { config, ...(deps.store ? { store: deps.store } : {}) });
  app.register(accountsPlugin, { config, ...(deps.accounts ? { store: deps.accounts } : {}) });
  app.register(relayPlugin, { config, ...(deps.relay ? { relay: deps.relay } : {}) });
  app.register(healthRoutes);
  app.register(forceSyncRoutes, {
    queuePrefix: config.queuePrefix,
    intervalMs: config.forceSyncIntervalMs,
    timeoutMs: config.syncStatusTimeoutMs,
  });
  app.register(templateRoutes);
  app.register(organizationRoutes);
  app.register(creatorRoutes);
  app.register(adminDlqRoutes, { timeoutMs: config.syncStatusTimeoutMs });
  app.register(bullBoardPlugin, { queuePrefix: config.queuePrefix });
  app.register(adminLoginRoutes, {
    loginLimit: { max: config.loginRateLimit, timeWindow: 60_000 },
    tokensEnabled: config.jwtSecret !== undefined,
  });
  app.register(landingRoutes);
  app.register(recordsRoutes, {
    maxResolveDepth: config.maxResolveDepth,
    maxResolveNodes: config.maxResolveNodes,
    relayConcurrency: config.relayConcurrency,
    unsignedRecords: config.unsignedRecords,
    totalCap: config.recordsTotalCap,
    relayCache: { maxBytes: config.relayCacheBytes, ttlMs: config.relayCacheTtlMs },
  });
  app.register(userRoutes, {
    loginLimit: { max: config.loginRateLimit, timeWindow: 60_000 },
    tokensEnabled: config.jwtSecret !== undefined,
  });
  const accountRoutes = {
    loginLimit: { max: config.loginRateLimit, timeWindow: 60_000 },
    tokensEnabled: config.jwtSecret !== undefined,
  };
  app.register(userWalletRoutes, accountRoutes);
  app.register(userPasswordRoutes, accountRoutes);
  app.register(adminUserRoutes);
  app.register(calendarTokenRoutes, {
    writeLimit: { max: config.writeRateLimit, timeWindow: 60_000 },
    tokensEnabled: accountRoutes.tokensEnabled,
  });
  const publishing = {
    nodeId: config.nodeId ?? defaultNodeId(config.port),
    registryRoot: config.registryRoot,
    writeLimit: { max: config.writeRateLimit, timeWindow: 60_000 },
  };
  app.register(publishRoutes, publishing);
  app.register(mediaRecordRoutes, {
    ...publishing,
    mediaUrl: config.mediaUrl,
    publicUrl: config.publicUrl,
    timeoutMs: config.gatewayTimeoutMs,
  });
  app.register(gatewayRoutes, { config, registry });
  return app;
}
