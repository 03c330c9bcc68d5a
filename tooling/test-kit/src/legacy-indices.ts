// The indices a legacy node's Elasticsearch holds, created as legacy's ensureIndexExists creates
// them (oip-arweave-indexer helpers/elasticsearch.js:564-760): `records` with `data` nested and
// text-only oip.* fields, `templates`, `creatorregistrations` and `organizations`. Tests and
// benchmarks that stand up a legacy node's indices take their bodies from here.
const LIMITS = {
  'mapping.total_fields.limit': 5000,
  'mapping.nested_fields.limit': 100,
  'mapping.nested_objects.limit': 10000,
};
const text = { type: 'text' } as const;

export const LEGACY_MAPPINGS = {
  records: {
    properties: {
      data: { type: 'nested' },
      oip: {
        type: 'object',
        properties: {
          recordType: text,
          didTx: { type: 'keyword' },
          inArweaveBlock: { type: 'long' },
          indexedAt: { type: 'date' },
          ver: text,
          signature: text,
          creator: { type: 'object', properties: { creatorHandle: text, didAddress: text, didTx: text } },
        },
      },
    },
  },
  templates: {
    properties: {
      data: {
        type: 'object',
        properties: {
          TxId: text,
          template: text,
          fields: text,
          fieldsInTemplate: { type: 'object', dynamic: true, enabled: true },
          fieldsInTemplateCount: { type: 'integer' },
          creator: text,
          creatorSig: text,
        },
      },
      oip: {
        type: 'object',
        properties: {
          didTx: { type: 'keyword' },
          inArweaveBlock: { type: 'long' },
          indexedAt: { type: 'date' },
          recordStatus: text,
          ver: text,
          creator: {
            type: 'object',
            properties: { creatorHandle: text, didAddress: text, didTx: text, publicKey: text },
          },
        },
      },
    },
  },
  creatorregistrations: {
    properties: {
      data: {
        type: 'object',
        properties: Object.fromEntries(
          [
            'publicKey',
            'creatorHandle',
            'didAddress',
            'name',
            'surname',
            'description',
            'language',
            'youtube',
            'x',
            'instagram',
            'tiktok',
          ].map((k) => [k, text]),
        ),
      },
      oip: {
        type: 'object',
        properties: {
          didTx: { type: 'keyword' },
          inArweaveBlock: { type: 'long' },
          indexedAt: { type: 'date' },
          ver: text,
          creator: { type: 'object' },
        },
      },
    },
  },
  organizations: {
    properties: {
      data: {
        type: 'object',
        properties: Object.fromEntries(
          ['orgHandle', 'orgPublicKey', 'adminPublicKeys', 'membershipPolicy', 'metadata', 'didAddress', 'didTx'].map(
            (k) => [k, text],
          ),
        ),
      },
      oip: {
        type: 'object',
        properties: {
          didTx: { type: 'keyword' },
          inArweaveBlock: { type: 'long' },
          indexedAt: { type: 'date' },
          ver: text,
          organization: { type: 'object' },
        },
      },
    },
  },
} as const;

export type LegacyIndexKind = keyof typeof LEGACY_MAPPINGS;

/** The body of a `PUT /<index>` that creates a legacy index of `kind`. */
export function legacyIndexBody(kind: LegacyIndexKind): { settings: Record<string, number>; mappings: unknown } {
  return {
    settings: kind === 'records' || kind === 'templates' ? { ...LIMITS } : {},
    mappings: LEGACY_MAPPINGS[kind],
  };
}
