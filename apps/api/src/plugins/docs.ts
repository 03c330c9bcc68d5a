// The OpenAPI document (/docs/json) and its UI (/docs), generated from the route schemas (the
// shared parts in src/schemas/): the legacy /api/records parameters come described from
// record-store's RecordsQuerystringSchema. OpenAPI 3.1, so the schemas are plain JSON Schema
// (TypeBox's nullable unions, records with open keys and examples keep their meaning).
// docs/reference/openapi.json is this document (`pnpm --filter @oip/api run openapi`).
import { createRequire } from 'node:module';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { PROXIED_PATHS } from '../schemas/proxied.js';
import { BOARD_COOKIE } from '../services/board-session.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const TAGS = [
  { name: 'records', description: "Reading records with the legacy node's parameters and envelope." },
  { name: 'publishing', description: 'Publishing, deleting and indexing records; media records.' },
  { name: 'accounts', description: 'Registration, login, the wallet and calendar tokens (legacy bodies).' },
  { name: 'templates', description: 'The record templates this node holds.' },
  { name: 'organizations', description: 'The organizations this node holds.' },
  { name: 'creators', description: 'The creators registered on this node.' },
  { name: 'admin', description: 'Operator routes: dead letters, accounts, the queue dashboard (admin token).' },
  { name: 'health', description: 'Health, sync state and metrics.' },
  { name: 'media', description: 'Media files, served by the media service through this port.' },
  { name: 'gun-relay', description: "The GUN relay's public reads, through this port." },
];

async function docsPlugin(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OIP node API',
        version,
        license: { name: 'MIT', identifier: 'MIT' },
        description:
          "Records of the Open Index Protocol with the legacy node's parameters and envelope. Optional bearer tokens unlock the caller's private records; errors answer `{ error: { code, message }, requestId }` (the legacy account routes answer `{ success: false, error, code }` for the refusals they list).",
      },
      // Relative: the document's own host (Swagger UI's "Try it out" calls the node that served it).
      servers: [{ url: '/', description: 'This node' }],
      tags: TAGS,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          boardSession: {
            type: 'apiKey',
            in: 'cookie',
            name: BOARD_COOKIE,
            description: 'The dashboard session POST /admin/login sets; only /admin/queues reads it',
          },
        },
      },
    },
    // The routes the gateway, memory-guard and bull-board serve without a route schema here (schemas/proxied.ts).
    transformObject: (doc) => {
      if (!('openapiObject' in doc)) return doc.swaggerObject;
      const paths: Record<string, unknown> = { ...doc.openapiObject.paths, ...PROXIED_PATHS };
      return { ...doc.openapiObject, paths } as typeof doc.openapiObject;
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}

export default fp(docsPlugin, { name: 'api-docs', fastify: '5.x' });
