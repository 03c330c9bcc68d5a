// CORS through @fastify/cors, open by default as the legacy node was.
import cors from '@fastify/cors';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

export interface CorsOptions {
  /** Allowed origins; `'*'` for any. @defaultValue '*' */
  origin?: string | readonly string[];
  /** @defaultValue ['GET','POST','PUT','DELETE','OPTIONS'] */
  methods?: readonly string[];
  /** @defaultValue ['Content-Type','Authorization'] */
  allowedHeaders?: readonly string[];
  /** Status of a pre-flight answer; the legacy relay answered 200. @defaultValue 204 */
  optionsSuccessStatus?: number;
  /**
   * Refuse (400) an OPTIONS request without `Origin` and `Access-Control-Request-Method`; off, every
   * OPTIONS is answered as a pre-flight, as the legacy relay did. @defaultValue true
   */
  strictPreflight?: boolean;
}

async function corsPlugin(app: FastifyInstance, opts: CorsOptions): Promise<void> {
  const origin = opts.origin ?? '*';
  await app.register(cors, {
    origin: typeof origin === 'string' ? origin : [...origin],
    methods: [...(opts.methods ?? ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'])],
    allowedHeaders: [...(opts.allowedHeaders ?? ['Content-Type', 'Authorization'])],
    optionsSuccessStatus: opts.optionsSuccessStatus ?? 204,
    strictPreflight: opts.strictPreflight ?? true,
  });
}

/** @fastify/cors with our defaults, for the whole app (pre-flight answered 204 unless optionsSuccessStatus says otherwise). */
export const openCors = fp(corsPlugin, { name: 'oip-cors', fastify: '5.x' });
