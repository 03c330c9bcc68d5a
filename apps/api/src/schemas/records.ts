// Response schemas of the record reads (routes/records.ts). A record's `data` is open (each record
// type has its own categories and fields) and so is `oip` beyond the fields every record carries;
// legacy's added fields (scores, matchCount) ride beside them.
import { Type } from '@sinclair/typebox';
import { Nullable, OpenObject } from './common.js';

const EXAMPLE_DID = 'did:gun:647f79c2a338:post_1730505600';

export const OipBlockSchema = Type.Object(
  {
    ver: Type.Optional(Type.String()),
    recordType: Type.Optional(Type.String({ examples: ['post'] })),
    did: Type.Optional(Type.String({ examples: [EXAMPLE_DID] })),
    didTx: Type.Optional(Type.String()),
    storage: Type.Optional(Type.String({ examples: ['gun'] })),
    indexedAt: Type.Optional(Type.String({ description: 'When this node indexed the record (ISO time)' })),
    creator: Type.Optional(OpenObject('creatorHandle, didAddress, publicKey (unless includePubKeys=false)')),
  },
  { additionalProperties: true, description: "The record's OIP block: identity, type, creator, signature" },
);

export const RecordSchema = Type.Object(
  {
    data: Type.Optional(
      OpenObject("The record's fields by category (`basic` and the record type's own); drefs resolved as asked"),
    ),
    oip: Type.Optional(OipBlockSchema),
  },
  {
    additionalProperties: true,
    examples: [
      {
        data: { basic: { name: 'Morning run', date: 1730505600, dateReadable: 'Sat 02 Nov 2024' } },
        oip: { recordType: 'post', did: EXAMPLE_DID, storage: 'gun', indexedAt: '2026-11-02T10:00:00.000Z' },
      },
    ],
  },
);

const AuthState = Type.Object({
  authenticated: Type.Boolean(),
  user: Nullable(Type.Object({ email: Type.String(), userId: Type.String(), publicKey: Nullable(Type.String()) })),
});

export const RecordsPage = Type.Object(
  {
    message: Type.String({ examples: ['Records retrieved successfully'] }),
    latestArweaveBlockInDB: Type.Number({ description: 'Always 0: this node indexes no Arweave blocks' }),
    indexingProgress: Type.String({ examples: ['100%'] }),
    totalRecords: Type.Integer({ description: 'Records the caller may read, of the recordType / storage asked' }),
    pageSize: Type.Integer(),
    currentPage: Type.Integer(),
    searchResults: Type.Integer({
      description: 'Records matching the query (a lower bound when searchResultsRelation is gte)',
    }),
    searchResultsRelation: Type.Union([Type.Literal('eq'), Type.Literal('gte')]),
    tagSummary: Type.Optional(
      Type.Array(Type.Object({ tag: Type.String(), count: Type.Integer() }, { additionalProperties: true }), {
        description: 'With summarizeTags: tag counts over the matching records',
      }),
    ),
    tagCount: Type.Optional(Type.Integer({ description: 'With summarizeTags: distinct tags' })),
    totalPages: Type.Integer(),
    records: Type.Array(RecordSchema),
    auth: AuthState,
  },
  { description: "The legacy node's envelope" },
);

export const CreatorAnswer = Type.Object({
  success: Type.Literal(true),
  creator: Type.Object({
    data: Type.Object({
      creatorHandle: Nullable(Type.String()),
      didAddress: Nullable(Type.String()),
      didTx: Nullable(Type.String()),
      publicKey: Nullable(Type.String()),
    }),
  }),
});

export const RecordTypesAnswer = Type.Object({
  message: Type.String({ examples: ['Record types retrieved successfully'] }),
  totalRecords: Type.Integer(),
  recordTypeCount: Type.Integer(),
  totalRecordTypes: Type.Integer({ description: 'The same as recordTypeCount' }),
  recordTypes: Type.Array(Type.Object({ recordType: Type.String(), count: Type.Integer() })),
});
