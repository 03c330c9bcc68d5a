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
}

async function corsPlugin(app: FastifyInstance, opts: CorsOptions): Promise<void> {
  const origin = opts.origin ?? '*';
  await app.register(cors, {
    origin: typeof origin === 'string' ? origin : [...origin],
    methods: [...(opts.methods ?? ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'])],
    allowedHeaders: [...(opts.allowedHeaders ?? ['Content-Type', 'Authorization'])],
  });
}

/** @fastify/cors with our defaults, for the whole app (pre-flight answered 204 by the plugin). */
export const openCors = fp(corsPlugin, { name: 'oip-cors', fastify: '5.x' });
