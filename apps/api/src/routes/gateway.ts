// The public gateway: /gun-relay/* to gun-proxy (prefix dropped, as the legacy node proxied its
// relay) and /api/media/* to apps/media (path kept), with @fastify/reply-from over the bounded
// pools of UpstreamDispatcher. Bodies stream both ways; this plugin is encapsulated, so its raw
// body parser and body limit apply to the proxied routes only and the rest of the api keeps its
// JSON parser and 1 MiB limit. Upstream failures answer 502/504 in the house error shape.
// Exact routes the api registers under a proxied prefix (POST /api/media/createRecord) win over
// the wildcard, and the reserved paths are never forwarded even before their route exists.
import replyFrom from '@fastify/reply-from';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientGone, serviceErrors } from '@oip/service-kit/fastify';
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../config.js';
import { UpstreamTimeoutError, UpstreamUnavailableError } from '../errors.js';
import { StreamingBody } from '../services/gateway-body.js';
import { attachContext, UpstreamDispatcher } from '../services/gateway-dispatcher.js';
import { stripHopByHop, upstreamRequestHeaders } from '../services/gateway-headers.js';
import { classifyUpstreamError } from '../services/gateway-errors.js';

export interface GatewayOptions {
  config: Pick<Config, 'relayUrl' | 'mediaUrl' | 'gatewayTimeoutMs' | 'gatewayBodyLimitBytes' | 'gatewayConnections'>;
  /** The app's metrics registry. */
  registry?: Registry;
}

interface Upstream {
  /** Metric label and error-message name. */
  name: string;
  /** Route prefix, with its trailing slash. */
  prefix: string;
  /** Target base: origin + path the rest is appended to. */
  base: string;
  /** Paths (after the prefix, decoded) the api keeps for itself. */
  reserved: ReadonlySet<string>;
}

const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
const noRetry = (): null => null;
const trimSlash = (s: string): string => s.replace(/\/+$/, '');

function upstreamsOf(config: GatewayOptions['config']): Upstream[] {
  const relay = new URL(config.relayUrl);
  const media = new URL(config.mediaUrl);
  return [
    { name: 'gun-relay', prefix: '/gun-relay/', base: `${relay.origin}${trimSlash(relay.pathname)}/`, reserved: new Set() },
    { name: 'media', prefix: '/api/media/', base: `${media.origin}${trimSlash(media.pathname)}/api/media/`, reserved: new Set(['createRecord']) },
  ];
}

/** The path after the route prefix as the client sent it (still encoded), without the query. */
function restOf(req: FastifyRequest, prefix: string): string {
  const url = req.url;
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  if (path.startsWith(prefix)) return path.slice(prefix.length);
  // The router matched a differently encoded prefix: rebuild the rest from the decoded parameter.
  const decoded = (req.params as Record<string, string | undefined>)['*'] ?? '';
  return decoded.split('/').map(encodeURIComponent).join('/');
}

export default async function gatewayRoutes(app: FastifyInstance, opts: GatewayOptions): Promise<void> {
  const { gatewayTimeoutMs: timeoutMs, gatewayBodyLimitBytes: bodyLimit } = opts.config;
  const upstreams = upstreamsOf(opts.config);
  const dispatcher = new UpstreamDispatcher({ origins: upstreams.map((u) => u.base), connections: opts.config.gatewayConnections, timeoutMs });
  app.addHook('onClose', async () => dispatcher.destroy());
  const registers = opts.registry ? [opts.registry] : [];
  const forwarded = new Counter({ name: 'oip_api_gateway_requests_total', help: 'Requests forwarded by the gateway, by upstream', labelNames: ['upstream'] as const, registers });
  const failed = new Counter({
    name: 'oip_api_gateway_upstream_errors_total',
    help: 'Gateway requests that failed at the upstream (timeout, unavailable), by upstream',
    labelNames: ['upstream', 'kind'] as const,
    registers,
  });
  const aborted = new Counter({ name: 'oip_api_gateway_client_aborts_total', help: 'Gateway requests the client left before the answer ended, by upstream', labelNames: ['upstream'] as const, registers });
  const tooLarge = (): FastifyError => serviceErrors('API').bodyTooLarge(bodyLimit);

  await app.register(replyFrom, { undici: dispatcher as never, disableRequestLogging: true, destroyAgent: false });

  // Bodies of every content type pass through untouched, as streams.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (req, payload, done) => {
    done(null, new StreamingBody(req.raw, bodyLimit, tooLarge));
  });
  // A declared length past the limit is refused before anything is read or forwarded; the client
  // is still sending it, so the connection is not kept.
  app.addHook('onRequest', async (req, reply) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > bodyLimit) {
      reply.header('connection', 'close');
      throw tooLarge();
    }
  });

  const forward = (upstream: Upstream) => async (req: FastifyRequest, reply: FastifyReply) => {
    const decodedRest = (req.params as Record<string, string | undefined>)['*'] ?? '';
    if (upstream.reserved.has(decodedRest)) return reply.callNotFound();
    const gone = clientGone(reply);
    gone.signal.addEventListener('abort', () => aborted.inc({ upstream: upstream.name }), { once: true });
    forwarded.inc({ upstream: upstream.name });
    const ctx = { signal: gone.signal, timeoutError: () => new UpstreamTimeoutError(upstream.name, timeoutMs) };
    return reply.from(upstream.base + restOf(req, upstream.prefix), {
      timeout: timeoutMs,
      retryDelay: noRetry,
      rewriteRequestHeaders: (r, headers) =>
        attachContext(upstreamRequestHeaders(headers, { ip: r.ip, host: r.headers.host, protocol: r.protocol, requestId: r.id }), ctx) as typeof headers,
      rewriteHeaders: (headers) => stripHopByHop({ ...headers }),
      onError: (rep, { error }) => {
        const kind = classifyUpstreamError(error, gone.signal.aborted);
        if (kind === 'too-large') {
          rep.header('connection', 'close');
          return rep.send(tooLarge());
        }
        if (kind !== 'client-gone') failed.inc({ upstream: upstream.name, kind });
        rep.request.log.warn({ upstream: upstream.name, err: error }, 'gateway upstream request failed');
        return rep.send(kind === 'timeout' ? new UpstreamTimeoutError(upstream.name, timeoutMs) : new UpstreamUnavailableError(upstream.name));
      },
    });
  };

  for (const upstream of upstreams) {
    app.route({ method: METHODS, url: `${upstream.prefix}*`, schema: { hide: true }, handler: forward(upstream) });
  }
}
