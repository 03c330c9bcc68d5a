// Response schemas of the registries (routes/templates.ts, organizations.ts, creators.ts): records
// in the legacy index's document shape (services/registry-views.ts), their data open.
import { Type } from '@sinclair/typebox';
import { Nullable, OpenObject } from './common.js';
import { OipBlockSchema } from './records.js';

export const TemplateSchema = Type.Object(
  {
    data: Type.Object(
      {
        template: Type.Optional(Type.Unknown({ description: "The template's name (legacy), or its category" })),
        fields: Type.String({ description: "The template's fields as a JSON string (legacy)" }),
        fieldsInTemplate: OpenObject('Per field: its type, index and, for an enum, its values'),
        fieldsInTemplateCount: Type.Integer(),
      },
      { additionalProperties: true },
    ),
    oip: OipBlockSchema,
  },
  { additionalProperties: true },
);

export const TemplatesAnswer = Type.Object({
  message: Type.String({ examples: ['Templates retreived successfully'] }),
  latestArweaveBlockInDB: Type.Number(),
  totalTemplates: Type.Integer(),
  searchResults: Type.Integer(),
  templates: Type.Array(TemplateSchema),
});

const orgFacts = {
  orgHandle: Nullable(Type.String()),
  orgPublicKey: Type.Unknown(),
  adminPublicKeys: Type.Unknown(),
  membershipPolicy: Type.Unknown(),
  metadata: Type.Unknown(),
};

export const OrganizationSchema = Type.Object({
  data: Type.Object({
    ...orgFacts,
    name: Type.Unknown(),
    description: Type.Unknown(),
    date: Type.Unknown(),
    language: Type.Unknown(),
    nsfw: Type.Unknown(),
    webUrl: Type.Unknown(),
  }),
  oip: OipBlockSchema,
});

export const OrganizationsAnswer = Type.Object({
  qtyOrganizationsInDB: Type.Integer(),
  maxArweaveOrgBlockInDB: Type.Number(),
  organizationsInDB: Type.Array(OrganizationSchema),
});

export const CreatorsAnswer = Type.Object({
  qtyCreatorsInDB: Type.Integer(),
  maxArweaveCreatorRegBlockInDB: Type.Number(),
  creatorsInDB: Type.Array(Type.Object({ data: OpenObject(), oip: OipBlockSchema }, { additionalProperties: true })),
});
