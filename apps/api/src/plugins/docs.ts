// The OpenAPI document (/docs/json) and its UI (/docs), generated from the route schemas: the
// legacy /api/records parameters come described from record-store's RecordsQuerystringSchema.
import { createRequire } from 'node:module';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

async function docsPlugin(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'OIP node API',
        version,
        description:
          "Records of the Open Index Protocol with the legacy node's parameters and envelope. Optional bearer tokens unlock the caller's private records.",
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}

export default fp(docsPlugin, { name: 'api-docs', fastify: '5.x' });
