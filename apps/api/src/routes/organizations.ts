// GET /api/organizations (legacy routes/organizations.js:20-32, helpers/elasticsearch.js
// getOrganizationsInDB) and GET /api/organizations/:id, from the records of type `organization`
// this node holds, newest block first, in the legacy index's document shape (registry-views.ts).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_LIMIT, type AccessOption } from '@oip/record-store';
import { RegistryEntryNotFoundError } from '../errors.js';
import { legacyOrganization, maxBlock, orgHandleOf } from '../services/registry-views.js';
import { errors, optionalAuthErrors, optionalBearer } from '../schemas/common.js';
import { OrganizationSchema, OrganizationsAnswer } from '../schemas/registries.js';

const OrganizationsQuery = Type.Object(
  { limit: Type.Optional(Type.String({ maxLength: 20 })) },
  { additionalProperties: true },
);

/** Legacy: `Math.min(parseInt(limit) || 100, 1000)`; below 1 (legacy's Elasticsearch refused it) is 1. */
export function organizationsLimit(raw: string | undefined): number {
  const n = Number.parseInt(raw ?? '', 10);
  return Math.max(1, Math.min(Number.isNaN(n) || n === 0 ? 100 : n, 1000));
}

export default async function organizationRoutes(app: FastifyInstance): Promise<void> {
  const accessOf = (req: FastifyRequest): AccessOption => ({ viewerPublicKey: req.auth.publicKey });

  app.get<{ Querystring: Static<typeof OrganizationsQuery> }>(
    '/api/organizations',
    {
      onRequest: app.optionalAuth,
      schema: {
        summary: 'List organizations',
        operationId: 'listOrganizations',
        description: 'Newest block first; limit as legacy (default 100, at most 1000).',
        tags: ['organizations'],
        security: optionalBearer,
        querystring: OrganizationsQuery,
        response: {
          200: { ...OrganizationsAnswer, description: 'The organizations' },
          ...errors(400),
          ...optionalAuthErrors(),
        },
      },
    },
    async (req) => {
      const result = await app.store.search({
        recordType: 'organization',
        limit: organizationsLimit(req.query.limit),
        sort: { field: 'inArweaveBlock', order: 'desc' },
        access: accessOf(req),
      });
      return {
        qtyOrganizationsInDB: result.total,
        // Sorted by block, newest first: the first record holds the highest.
        maxArweaveOrgBlockInDB: maxBlock(result.records.slice(0, 1)),
        organizationsInDB: result.records.map(legacyOrganization),
      };
    },
  );

  // Not a legacy route: one organization by its DID or its handle.
  app.get<{ Params: { id: string } }>(
    '/api/organizations/:id',
    {
      onRequest: app.optionalAuth,
      schema: {
        summary: 'One organization by DID or handle',
        operationId: 'getOrganization',
        tags: ['organizations'],
        security: optionalBearer,
        params: Type.Object({
          id: Type.String({ minLength: 1, maxLength: 1100, description: "The organization's DID or handle" }),
        }),
        response: {
          200: { ...OrganizationSchema, description: 'The organization' },
          ...errors(400, [404, 'No such organization (API_ERR_ENTRY_NOT_FOUND)']),
          ...optionalAuthErrors(),
        },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const id = req.params.id;
      if (id.startsWith('did:')) {
        const rec = await app.store.get(id, { access });
        if (rec && rec.oip.recordType === 'organization') return legacyOrganization(rec);
        throw new RegistryEntryNotFoundError('Organization');
      }
      const { records } = await app.store.search({ recordType: 'organization', limit: MAX_LIMIT, access });
      const found = records.find((r) => orgHandleOf(r) === id);
      if (!found) throw new RegistryEntryNotFoundError('Organization');
      return legacyOrganization(found);
    },
  );
}
