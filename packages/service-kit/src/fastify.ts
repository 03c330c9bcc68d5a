// @oip/service-kit/fastify: the Fastify pieces every service shares.
export { ERROR_CODE_HEADER, errorHandling, serviceErrors } from './error-handler.js';
export type { ErrorHandlerOptions, LegacyAnswer, ServiceErrors } from './error-handler.js';
export { httpMetrics } from './http-metrics.js';
export type { HttpMetricsOptions } from './http-metrics.js';
export { sweepSocketsOnClose } from './close-sweep.js';
export { clientGone } from './client-gone.js';
export { clientErrorHandler } from './client-error.js';
export { openCors } from './cors.js';
export { jsonBodyGuard, DEFAULT_MAX_JSON_DEPTH } from './json-body-guard.js';
export type { JsonBodyGuardOptions } from './json-body-guard.js';
export type { CorsOptions } from './cors.js';
export { runServer } from './run-server.js';
export type { RunServerOptions } from './run-server.js';
export { isPollRequest, POLL_PATHS, requestLogController } from './request-log.js';
export type { RequestLogFields } from './request-log.js';
