// CORS through @fastify/cors, open by default as the legacy node was.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

export interface CorsOptions {
  /** Allowed origins; `'*'` for any. @defaultValue '*' */
  origin?: string | readonly string[];
  /** @defaultValue ['GET','POST','PUT','DELETE','OPTIONS'] */
  methods?: readonly string[];
  /** @defaultValue ['Content-Type','Authorization'] */
  allowedHeaders?: readonly string[];
}

/** Registers @fastify/cors on `app` (pre-flight answered 204 by the plugin). */
export async function registerCors(app: FastifyInstance, opts: CorsOptions = {}): Promise<void> {
  const origin = opts.origin ?? '*';
  await app.register(cors, {
    origin: typeof origin === 'string' ? origin : [...origin],
    methods: [...(opts.methods ?? ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'])],
    allowedHeaders: [...(opts.allowedHeaders ?? ['Content-Type', 'Authorization'])],
  });
}
