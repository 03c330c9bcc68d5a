// The public gateway: /gun-relay/* to gun-proxy (prefix dropped, as the legacy node proxied its
// relay), /api/media/* and the legacy web media URLs /media/* to apps/media (path kept), with
// @fastify/reply-from over the bounded pools of UpstreamDispatcher. Bodies stream both ways
// (answers of at most 64 KiB with a known length go out in one write). The plugin is
// encapsulated, so its raw body parser and body limit apply to the proxied routes only and the
// rest of the api keeps its JSON parser and 1 MiB limit.
// Upstream failures answer 502/504 in the house error shape. Of the relay, only its public read
// routes are forwarded (RELAY_PUBLIC_READS): anyone on this port could otherwise write any soul.
// Exact routes the api registers under a proxied prefix (POST /api/media/createRecord) win over
// the wildcard, and the reserved paths are never forwarded even before their route exists.
import replyFrom from '@fastify/reply-from';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { serviceErrors } from '@oip/service-kit/fastify';
import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import { RelayReadOnlyError, UpstreamTimeoutError, UpstreamUnavailableError } from '../errors.js';
import { readSmallBody, StreamingBody } from '../services/gateway-body.js';
import { attachContext, UpstreamDispatcher } from '../services/gateway-dispatcher.js';
import { stripHopByHop, upstreamRequestHeaders } from '../services/gateway-headers.js';
import { classifyUpstreamError } from '../services/gateway-errors.js';
import { gatewayMetrics } from '../services/gateway-metrics.js';
import { mediaAnswerOnBase, publicBaseOf } from '../services/public-url.js';

export interface GatewayOptions {
  config: Pick<
    Config,
    'relayUrl' | 'mediaUrl' | 'publicUrl' | 'gatewayTimeoutMs' | 'gatewayBodyLimitBytes' | 'gatewayConnections'
  >;
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
  /**
   * When set, the only paths (after the prefix, decoded) forwarded, and only for reads
   * (GET, HEAD, OPTIONS): a write to any path answers 405, a read of another path 404. Unset: every path and method.
   */
  publicReads?: ReadonlySet<string>;
}

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * The relay routes anyone may read through the gateway: records and registry souls (peers sync
 * through `/get`), a publisher's list and media manifests. Writes to GUN go through the api's own
 * authenticated routes (publish, delete, media), never raw; the relay's /metrics, /health and
 * /peers/status stay on its own port.
 */
const RELAY_PUBLIC_READS: ReadonlySet<string> = new Set(['get', 'list', 'media/manifest']);

const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
/**
 * Answers up to this size with a declared length are read whole and sent in one write (a stream
 * buffers as much anyway); larger or unknown-length answers are piped through as streams.
 */
const SMALL_BODY_BYTES = 64 * 1024;

/** What @fastify/reply-from hands onResponse (its type names only the stream). */
interface UpstreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  stream: NodeJS.ReadableStream;
}
const noRetry = (): null => null;
const trimSlash = (s: string): string => s.replace(/\/+$/, '');

function upstreamsOf(config: GatewayOptions['config']): Upstream[] {
  const relay = new URL(config.relayUrl);
  const media = new URL(config.mediaUrl);
  return [
    {
      name: 'gun-relay',
      prefix: '/gun-relay/',
      base: `${relay.origin}${trimSlash(relay.pathname)}/`,
      reserved: new Set(),
      publicReads: RELAY_PUBLIC_READS,
    },
    {
      name: 'media',
      prefix: '/api/media/',
      base: `${media.origin}${trimSlash(media.pathname)}/api/media/`,
      reserved: new Set(['createRecord']),
    },
    {
      // Legacy web media URLs (/media/<project>/<file>, made by POST /api/media/web-setup): public files.
      name: 'media-web',
      prefix: '/media/',
      base: `${media.origin}${trimSlash(media.pathname)}/media/`,
      reserved: new Set(),
    },
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
  const dispatcher = new UpstreamDispatcher({
    origins: upstreams.map((u) => u.base),
    connections: opts.config.gatewayConnections,
    timeoutMs,
  });
  app.addHook('onClose', async () => dispatcher.destroy());
  const metrics = gatewayMetrics(
    opts.registry,
    upstreams.map((u) => u.name),
  );
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

  const forward = (upstream: Upstream) => {
    const counters = metrics.get(upstream.name)!;
    const timeoutError = (): Error => new UpstreamTimeoutError(upstream.name, timeoutMs);
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const decodedRest = (req.params as Record<string, string | undefined>)['*'] ?? '';
      if (upstream.reserved.has(decodedRest)) return reply.callNotFound();
      if (upstream.publicReads !== undefined) {
        if (!READ_METHODS.has(req.method)) {
          reply.header('allow', 'GET, HEAD, OPTIONS').header('connection', 'close');
          throw new RelayReadOnlyError(upstream.prefix + decodedRest);
        }
        if (!upstream.publicReads.has(decodedRest)) return reply.callNotFound();
      }
      const gone = new AbortController();
      reply.raw.once('close', () => {
        if (reply.raw.writableFinished) return;
        counters.clientAborted();
        gone.abort();
      });
      counters.forwarded();
      const ctx = { signal: gone.signal, timeoutError };
      const fail = (rep: FastifyReply, error: unknown, copied?: UpstreamResponse): FastifyReply => {
        const kind = classifyUpstreamError(error, gone.signal.aborted);
        // Headers copied from an answer that then broke off must not describe the error body.
        for (const name of Object.keys(copied?.headers ?? {})) rep.removeHeader(name);
        if (kind === 'too-large') return rep.header('connection', 'close').send(tooLarge());
        if (kind !== 'client-gone') counters.failed(kind);
        rep.request.log.warn({ upstream: upstream.name, err: error }, 'gateway upstream request failed');
        return rep.send(kind === 'timeout' ? timeoutError() : new UpstreamUnavailableError(upstream.name));
      };
      return reply.from(upstream.base + restOf(req, upstream.prefix), {
        timeout: timeoutMs,
        retryDelay: noRetry,
        rewriteRequestHeaders: (r, headers) =>
          attachContext(
            upstreamRequestHeaders(headers, { ip: r.ip, host: r.headers.host, protocol: r.protocol, requestId: r.id }),
            ctx,
          ) as typeof headers,
        rewriteHeaders: (headers) => stripHopByHop({ ...headers }),
        onResponse: (r, rep, raw) => {
          const res = raw as unknown as UpstreamResponse;
          const length = Number(res.headers['content-length']);
          if (r.method === 'HEAD' || !(length <= SMALL_BODY_BYTES)) return void rep.send(res.stream);
          readSmallBody(res.stream).then(
            (body) => {
              if (upstream.name !== 'media') return rep.send(body);
              // Media URLs in media's answers are on its internal port: the api's public base instead.
              const ct = res.headers['content-type'];
              const base = publicBaseOf(r, opts.config.publicUrl);
              const out = mediaAnswerOnBase(body, typeof ct === 'string' ? ct : undefined, base);
              if (out !== body) rep.header('content-length', out.length);
              return rep.send(out);
            },
            (err: unknown) => fail(rep as FastifyReply, err, res),
          );
        },
        onError: (rep, { error }) => fail(rep as FastifyReply, error),
      });
    };
  };

  for (const upstream of upstreams) {
    // apps/media verifies tokens by signature only (it has no accounts): a bearer token bound for it
    // is checked here first, so a deleted account's token is refused (403) before it reaches media.
    const onRequest = upstream.name === 'media' ? { onRequest: app.optionalAuth } : {};
    app.route({
      method: METHODS,
      url: `${upstream.prefix}*`,
      schema: { hide: true },
      ...onRequest,
      handler: forward(upstream),
    });
  }
}
