// GET /api/creators (legacy routes/creators.js:20-46, helpers/elasticsearch.js getCreatorsInDB):
// the records of type `creatorRegistration` this node holds (legacy read 100), in the legacy
// index's document shape (registry-views.ts).
import type { FastifyInstance } from 'fastify';
import { legacyCreator, maxBlock } from '../services/registry-views.js';
import { optionalAuthErrors, optionalBearer } from '../schemas/common.js';
import { CreatorsAnswer } from '../schemas/registries.js';

/** Legacy's page: `size: 100`. */
const CREATORS_PAGE = 100;

export default async function creatorRoutes(app: FastifyInstance): Promise<void> {
  const schema = {
    summary: 'List creator registrations',
    operationId: 'listCreators',
    description: 'The creatorRegistration records this node holds (at most 100), in the legacy shape.',
    tags: ['creators'],
    security: optionalBearer,
    response: { 200: { ...CreatorsAnswer, description: 'The creators' }, ...optionalAuthErrors() },
  };
  app.get('/api/creators', { onRequest: app.optionalAuth, schema }, async (req) => {
    const result = await app.store.search({
      recordType: 'creatorRegistration',
      limit: CREATORS_PAGE,
      access: { viewerPublicKey: req.auth.publicKey },
    });
    return {
      qtyCreatorsInDB: result.total,
      maxArweaveCreatorRegBlockInDB: maxBlock(result.records),
      creatorsInDB: result.records.map(legacyCreator),
    };
  });
}
