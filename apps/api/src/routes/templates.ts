// GET /api/templates (legacy routes/templates.js:9-283) and GET /api/templates/:name, served from
// the records of type `template` this node holds, in legacy's document shape (registry-views.ts).
// Filters as legacy: creatorDidAddress, didTx, templateName (case-insensitive substring), and
// sortBy=inArweaveBlock:asc|desc. selectedOnly and typeScriptTypes are not served (see the legacy
// runbook): the standard answer comes back.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_LIMIT, type AccessOption, type OipRecord } from '@oip/record-store';
import { RegistryEntryNotFoundError } from '../errors.js';
import { blockOf, legacyTemplate, maxBlock, templateName } from '../services/registry-views.js';
import { errors, optionalAuthErrors, optionalBearer } from '../schemas/common.js';
import { TemplateSchema, TemplatesAnswer } from '../schemas/registries.js';

const TemplatesQuery = Type.Object(
  {
    creatorDidAddress: Type.Optional(Type.String({ maxLength: 512 })),
    didTx: Type.Optional(Type.String({ maxLength: 1100 })),
    templateName: Type.Optional(Type.String({ maxLength: 200 })),
    sortBy: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: true },
);
type TemplatesQuery = Static<typeof TemplatesQuery>;

type Obj = Record<string, unknown>;
const creatorAddress = (t: Obj) => ((t['oip'] as Obj)['creator'] as Obj | undefined)?.['didAddress'];

export default async function templateRoutes(app: FastifyInstance): Promise<void> {
  const accessOf = (req: FastifyRequest): AccessOption => ({ viewerPublicKey: req.auth.publicKey });
  // Legacy read at most 1000 templates (getTemplatesInDB); the store's page bound is the same.
  const readAll = (access: AccessOption) => app.store.search({ recordType: 'template', limit: MAX_LIMIT, access });

  app.get<{ Querystring: TemplatesQuery }>(
    '/api/templates',
    {
      onRequest: app.optionalAuth,
      schema: {
        summary: 'List templates',
        operationId: 'listTemplates',
        description:
          'Filters as legacy: creatorDidAddress, didTx, templateName (substring), sortBy=inArweaveBlock:asc|desc.',
        tags: ['templates'],
        security: optionalBearer,
        querystring: TemplatesQuery,
        response: {
          200: { ...TemplatesAnswer, description: 'The templates' },
          ...errors(400),
          ...optionalAuthErrors(),
        },
      },
    },
    async (req) => {
      const result = await readAll(accessOf(req));
      const q = req.query;
      let records: OipRecord[] = result.records;
      if (q.didTx) records = records.filter((r) => (r.oip.did || r.oip.didTx) === q.didTx);
      if (q.templateName) {
        const needle = q.templateName.toLowerCase();
        records = records.filter((r) => (templateName(r) ?? '').toLowerCase().includes(needle));
      }
      if (q.sortBy) {
        const [field, order] = q.sortBy.split(':');
        if (field === 'inArweaveBlock')
          records = [...records].sort((a, b) => (order === 'asc' ? blockOf(a) - blockOf(b) : blockOf(b) - blockOf(a)));
      }
      let templates = records.map(legacyTemplate);
      if (q.creatorDidAddress) templates = templates.filter((t) => creatorAddress(t) === q.creatorDidAddress);
      return {
        message: 'Templates retreived successfully',
        latestArweaveBlockInDB: maxBlock(result.records),
        totalTemplates: result.total,
        searchResults: templates.length,
        templates,
      };
    },
  );

  // Not a legacy route: the newest template of that name (case-insensitive), in the same shape.
  app.get<{ Params: { name: string } }>(
    '/api/templates/:name',
    {
      onRequest: app.optionalAuth,
      schema: {
        summary: 'One template by name',
        operationId: 'getTemplate',
        description: 'The newest template of that name (case-insensitive).',
        tags: ['templates'],
        security: optionalBearer,
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200, examples: ['exercise'] }) }),
        response: {
          200: { ...TemplateSchema, description: 'The template' },
          ...errors(400, [404, 'No template of that name (API_ERR_ENTRY_NOT_FOUND)']),
          ...optionalAuthErrors(),
        },
      },
    },
    async (req) => {
      const wanted = req.params.name.toLowerCase();
      const { records } = await readAll(accessOf(req));
      const found = records.find((r) => templateName(r)?.toLowerCase() === wanted);
      if (!found) throw new RegistryEntryNotFoundError('Template');
      return legacyTemplate(found);
    },
  );
}
