// buildApp(config) → a Fastify instance serving the legacy relay API over a real GUN peer.
// It never listens; server.ts (or startGunProxy in testing.ts) does.
import Fastify, { type FastifyInstance } from 'fastify';
import {
  clientErrorHandler,
  errorHandling,
  openCors,
  requestLogController,
  sweepSocketsOnClose,
} from '@oip/service-kit/fastify';
import type { Config } from './config.js';
import { LEGACY_ERROR_TEXT } from './errors.js';
import authPlugin from './plugins/auth.js';
import bodyParserPlugin from './plugins/body-parser.js';
import gunPlugin from './plugins/gun.js';
import metricsPlugin from './plugins/metrics.js';
import mediaRoutes from './routes/media.js';
import relayRoutes from './routes/relay.js';
import statusRoutes from './routes/status.js';

export { loadConfig, parseConfig, ConfigError, type Config } from './config.js';
export { signBody, signedHeaders, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './plugins/auth.js';

/** Injected collaborators (tests). Everything has a default built from config. */
export interface AppDeps {
  /** A pino-compatible logger instance, instead of one built from `config.logLevel`. */
  logger?: FastifyInstance['log'];
}

/** Request headers a browser may send: the legacy relay's, and the write-auth headers auth.ts reads. */
const CORS_ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'X-OIP-Signature', 'X-OIP-Timestamp'];

/** How long in-flight requests get to finish on close before their sockets are cut. */
const CLOSE_GRACE_MS = 2000;

export function buildApp(config: Config, deps: AppDeps = {}): FastifyInstance {
  const app = Fastify({
    // One log line per request; health and metrics polls at debug.
    logController: requestLogController(),
    ...(deps.logger
      ? { loggerInstance: deps.logger }
      : {
          logger: { level: config.logLevel, redact: ['req.headers.authorization', `req.headers["x-oip-signature"]`] },
        }),
    bodyLimit: config.bodyLimitBytes,
    // Reads can wait for peers up to getMissWaitMs; nothing should take longer than this.
    requestTimeout: Math.max(30_000, config.putTimeoutMs + 5_000),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 600 },
    // Requests the HTTP parser refuses: the house body and Connection: close (Fastify's own answer keeps the socket looking reusable).
    clientErrorHandler: clientErrorHandler('GUNPROXY'),
  }) as unknown as FastifyInstance;

  // CORS open, as on the legacy relay, which answered every OPTIONS with 200 (not @fastify/cors' 204,
  // and without requiring Origin / Access-Control-Request-Method).
  app.register(openCors, { allowedHeaders: CORS_ALLOWED_HEADERS, optionsSuccessStatus: 200, strictPreflight: false });
  // Idle keep-alive sockets must not hold close() (see the kit's close-sweep).
  sweepSocketsOnClose(app, CLOSE_GRACE_MS);
  // The house error body, the legacy `{ error: "<text>" }` on config.legacy routes. Fastify's body
  // codes (FST_ERR_CTP_*) become GUNPROXY_BODY_TOO_LARGE / _INVALID_JSON; the body parser's own
  // GUNPROXY_* codes (invalid UTF-8, too deep, reserved name, not finite) pass through.
  app.register(errorHandling, { prefix: 'GUNPROXY', legacyText: LEGACY_ERROR_TEXT, bodyLimit: config.bodyLimitBytes });
  app.register(bodyParserPlugin, { maxDepth: config.maxBodyDepth });
  app.register(gunPlugin, { config });
  app.register(authPlugin, { config });
  app.register(metricsPlugin);
  const limits = { maxBytes: config.getMaxBytes, maxNodeKeys: config.maxNodeKeys };
  app.register(relayRoutes, { listMaxLimit: config.listMaxLimit, limits });
  // The legacy node's API proxied the relay at /gun-relay/*; a legacy node configured with that
  // base for our address must work too.
  app.register(relayRoutes, { listMaxLimit: config.listMaxLimit, limits, prefix: '/gun-relay' });
  app.register(mediaRoutes, { limits });
  app.register(statusRoutes, { peers: config.peers, allowlist: config.peerAllowlist });
  return app;
}
