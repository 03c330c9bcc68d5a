// Security headers on every answer, as helmet sets them. Helmet's defaults, with three choices:
// - the Content-Security-Policy lets the HTML pages the api serves work: /docs (swagger-ui:
//   its own scripts and styles) and /admin/queues (bull-board: its own scripts, inline styles and
//   Google Fonts, which helmet's `style-src 'self' https: 'unsafe-inline'` and `font-src 'self'
//   https: data:` already allow); /admin/login, /admin/logout and / are forms and links with one
//   inline style and no script (their forms post to the api itself: `form-action 'self'`);
//   scripts only from the api itself, no inline scripts anywhere;
// - no `upgrade-insecure-requests`: a node is often reached over plain http on a LAN address, where
//   upgraded requests for the pages' own scripts would fail;
// - `Cross-Origin-Resource-Policy: cross-origin`: records and media are read by web apps on other
//   origins (CORS is open, as on the legacy node), which `same-origin` would block for <img>/<video>.
// The headers depend on nothing in the request, so helmet computes them once at start and every
// answer gets the same frozen set (@fastify/helmet runs helmet's middleware per request: ~90 us a
// request on a loaded 2-core box against ~50 us for setting the set we keep).
// Proxied answers (the gateway) keep the headers their upstream set (media's `sandbox` CSP wins
// over ours); Range, ETag and caching headers are not touched.
import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** What the api asks helmet for. */
export const HELMET_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: true,
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'script-src-attr': ["'none'"],
      'connect-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'object-src': ["'none'"],
      'frame-ancestors': ["'self'"],
      'upgrade-insecure-requests': null,
    },
  },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
};

/** The headers helmet sets for `options` (names lower-cased), read off one run of its middleware. */
export function helmetHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err) => {
    failure = err;
  });
  if (failure !== undefined) throw failure;
  return Object.freeze(headers);
}

async function securityHeadersPlugin(app: FastifyInstance): Promise<void> {
  const headers = helmetHeaders(HELMET_OPTIONS);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}

export default fp(securityHeadersPlugin, { name: 'api-security-headers', fastify: '5.x' });
