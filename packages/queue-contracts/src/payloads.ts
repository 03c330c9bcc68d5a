// Payload schemas of the sync jobs. Producers validate before adding; consumers before use.
import { Type, type Static } from '@sinclair/typebox';

export const SyncRecordPayloadSchema = Type.Object(
  {
    /** `did:gun:<soul>`. */
    did: Type.String({ minLength: 9, pattern: '^did:gun:.+' }),
    soul: Type.String({ minLength: 1 }),
    recordType: Type.String({ minLength: 1 }),
    /**
     * Content version: the registry entry's timestamp (decimal string). Publishers re-register
     * on every update, so a new timestamp is a new version; discovery decides without fetching.
     */
    version: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
    /** Base URL of the relay whose registry listed the record. */
    relay: Type.String({ minLength: 1 }),
    /** Epoch ms of the discovery pass that queued it. */
    discoveredAt: Type.Integer(),
    /** Set when an operator replayed a dead letter; part of the job id. */
    replay: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export type SyncRecordPayload = Static<typeof SyncRecordPayloadSchema>;

export const DiscoverPayloadSchema = Type.Object(
  {
    /** Restrict this pass to these record types; all configured types when absent. */
    recordTypes: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export type DiscoverPayload = Static<typeof DiscoverPayloadSchema>;

/** The legacy indices `oip migrate records` reads, each holding one kind of document. */
export const LegacyIndexKindSchema = Type.Union([
  Type.Literal('records'),
  Type.Literal('templates'),
  Type.Literal('creatorregistrations'),
  Type.Literal('organizations'),
]);

export const MigrateRecordPayloadSchema = Type.Object(
  {
    /** The record's DID (`did:arweave:…`, `did:gun:…`). */
    did: Type.String({ minLength: 5, maxLength: 1100, pattern: '^did:' }),
    /** The legacy document's id. */
    docId: Type.String({ minLength: 1, maxLength: 1100 }),
    kind: LegacyIndexKindSchema,
    /** `legacy-es:<url>/<index>` (no credentials): the worker reads only URLs it is configured for. */
    source: Type.String({ minLength: 12, maxLength: 2048, pattern: '^legacy-es:https?://' }),
    recordType: Type.String(),
    /** The legacy document's content hash when it was dead-lettered. */
    version: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
    discoveredAt: Type.Integer(),
    replay: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export type MigrateRecordPayload = Static<typeof MigrateRecordPayloadSchema>;
