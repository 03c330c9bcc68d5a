// One log line per request, readable on a terminal: `GET /api/records 200 3.1 ms` at info when the
// answer is sent (error for a 5xx), in place of Fastify's two lines ("incoming request",
// "request completed") of 6-8 per request once pretty-printed. The incoming request (headers,
// remote address) and the "route not found" line are kept at debug, and so are the polls of
// health and metrics (/health…, /ready…, /live…, /metrics), which a supervisor or Prometheus
// makes every few seconds.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** Paths whose requests are polls, logged at debug (a path, or a path followed by `/…` or `?…`). */
export const POLL_PATHS: readonly string[] = ['/health', '/healthz', '/ready', '/readiness', '/live', '/metrics'];

/** True for a request to one of POLL_PATHS. */
export function isPollRequest(url: string): boolean {
  return POLL_PATHS.some((p) => url === p || url.startsWith(`${p}/`) || url.startsWith(`${p}?`));
}

/** What the completion line carries beside its message, for a log collector. */
export interface RequestLogFields {
  method: string;
  url: string;
  statusCode: number;
  /** Milliseconds from the request's arrival to the answer's end. */
  responseTime: number;
}

class OneLineLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const http: RequestLogFields = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 10) / 10,
    };
    const msg = `${http.method} ${http.url} ${http.statusCode} ${http.responseTime} ms`;
    if (error) reply.log.error({ http, err: error }, `${msg} (errored)`);
    else if (isPollRequest(request.url)) reply.log.debug({ http }, msg);
    else if (reply.statusCode >= 500) reply.log.error({ http }, msg);
    else reply.log.info({ http }, msg);
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug(`route ${request.method}:${request.url} not found`);
  }
}

/**
 * The `logController` option of every service's Fastify: one line per request (see above).
 * A new instance per app.
 */
export function requestLogController(): LogController {
  return new OneLineLogController();
}
