// buildApp(config, deps) → the media service as a Fastify instance. It never listens; server.ts does.
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { memoryGuardPlugin } from '@oip/memory-guard/fastify';
import { defaultNodeId, REDACT_PATHS } from '@oip/service-kit';
import { jwtAuth } from '@oip/service-kit/auth';
import {
  clientErrorHandler,
  errorHandling,
  httpMetrics,
  openCors,
  requestLogController,
  sweepSocketsOnClose,
} from '@oip/service-kit/fastify';
import { Registry } from 'prom-client';
import type { Config } from './config.js';
import { LEGACY_ERROR_TEXT, MediaErrorCodes } from './errors.js';
import mediaStorePlugin from './plugins/media-store.js';
import replicationPlugin from './plugins/replication.js';
import relayPlugin from './plugins/relay.js';
import healthRoutes from './routes/health.js';
import serveRoutes, { type FetchMissing } from './routes/serve.js';
import uploadRoutes from './routes/upload.js';
import webRoutes from './routes/web.js';
import type { MediaRelay } from './services/announcer.js';

export { loadConfig, parseConfig, ConfigSchema, type Config } from './config.js';
export { MediaErrorCodes } from './errors.js';
export type { FetchMissing } from './routes/serve.js';
export type { MediaRelay } from './services/announcer.js';
export type { MediaManifest } from './services/manifest.js';
export { relayManifestOf } from './services/announcer.js';
// Re-exported so importers see the decorations (app.media, app.mediaMetrics, app.announcer).
export type { MediaStorePluginOptions } from './plugins/media-store.js';
export type { RelayPluginOptions } from './plugins/relay.js';

/** Injected collaborators (tests, server.ts); each optional. */
export interface AppDeps {
  logger?: FastifyInstance['log'];
  /** The relay publications go to, instead of a GunClient built from config (not closed by the app). */
  relay?: MediaRelay;
  /**
   * Called by GET/HEAD /api/media/:mediaId when the file is not stored here: resolve true once it
   * is stored locally (it is then served, range and all), false when no one has it (404). Errors
   * count as false. The replication seam (services/replicator.ts).
   */
  fetchMissing?: FetchMissing;
}

const AUTH_CODES = {
  tokenInvalid: MediaErrorCodes.TOKEN_INVALID,
  tokenRequired: MediaErrorCodes.TOKEN_REQUIRED,
  adminRequired: MediaErrorCodes.ADMIN_REQUIRED,
};

export function buildApp(config: Config, deps: AppDeps = {}): FastifyInstance {
  const app = Fastify({
    // One log line per request; health and metrics polls at debug.
    logController: requestLogController(),
    ...(deps.logger
      ? { loggerInstance: deps.logger }
      : { logger: { level: config.logLevel, redact: [...REDACT_PATHS] } }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A socket silent this long is destroyed, and the file stream of its response with it.
    connectionTimeout: config.idleTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    // Requests the HTTP parser refuses: the house body and Connection: close (Fastify's own answer keeps the socket looking reusable).
    clientErrorHandler: clientErrorHandler('MEDIA'),
    // /media/:project/:file takes file names up to 255 bytes, percent-encoded in the URL.
    routerOptions: { maxParamLength: 800 },
  }) as unknown as FastifyInstance;
  sweepSocketsOnClose(app);
  const registry = new Registry();
  // Our public base URL: configured, or this server's own loopback address once it listens.
  const publicBase = (): string => {
    if (config.publicUrl !== undefined) return config.publicUrl.replace(/\/+$/, '');
    const address = app.server.address() as AddressInfo | null;
    return `http://127.0.0.1:${address?.port ?? config.port}`;
  };
  app.register(errorHandling, { prefix: 'MEDIA', legacyText: LEGACY_ERROR_TEXT });
  app.register(openCors, {
    methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization', 'Range', 'If-None-Match', 'If-Range'],
  });
  app.register(httpMetrics, { registry, prefix: 'oip_media_' });
  app.register(memoryGuardPlugin, {
    registry,
    metrics: { prefix: 'oip_media_' },
    routes: { health: '/health/memory', metrics: '/metrics', legacy: false },
    underPressure: { maxEventLoopDelay: config.maxEventLoopDelayMs },
  });
  app.register(jwtAuth, { secret: config.jwtSecret, codes: AUTH_CODES });
  app.register(mediaStorePlugin, { mediaDir: config.mediaDir, manifestCacheSize: config.manifestCacheSize, registry });
  app.register(relayPlugin, {
    config,
    peerId: config.peerId ?? defaultNodeId(config.port),
    endpoint: publicBase,
    ...(deps.relay ? { relay: deps.relay } : {}),
  });
  // Replication from allowlisted peers (off without MEDIA_PEER_ALLOWLIST); deps.fetchMissing replaces it in tests.
  app.register(replicationPlugin, { config, peerId: config.peerId ?? defaultNodeId(config.port), publicBase });
  app.register(healthRoutes);
  app.register(serveRoutes, {
    readChunkBytes: config.readChunkBytes,
    ...(deps.fetchMissing ? { fetchMissing: deps.fetchMissing } : {}),
  });
  app.register(uploadRoutes, { maxUploadBytes: config.maxUploadBytes, publicBase });
  app.register(webRoutes, {
    readChunkBytes: config.readChunkBytes,
    project: config.webProject,
    maxFiles: config.webMaxFiles,
    publicBase,
  });
  return app;
}
