// Publishing (legacy routes): POST /api/records/newRecord (auth), /api/records/deleteRecord (owner
// or admin), /api/records/index (admin: a record body indexed directly). Writes are rate limited
// per caller (the rate-limit plugin's Redis store, shared by every api instance).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { perCaller } from '../plugins/rate-limit.js';
import type { OipRecord } from '@oip/record-store';
import { PublisherKeyMissingError, RecordRefusedError, StorageNotSupportedError } from '../errors.js';
import { legacyPublishInput } from '../services/legacy-publish-input.js';
import { invalidRecord, routePublisher } from '../services/publisher.js';
import { bearer, errors, requireAuthErrors } from '../schemas/common.js';
import { DeleteAnswer, IndexAnswer, NewRecordAnswer } from '../schemas/publishing.js';

// Legacy's inputs (services/legacy-publish-input.ts): storage / blockchain / localId / accessControl
// in the query or the body. Only gun is written here (400 API_ERR_STORAGE_NOT_SUPPORTED otherwise).
const NewRecordQuery = Type.Object({
  recordType: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z][A-Za-z0-9_-]*$' }),
  storage: Type.Optional(Type.String({ maxLength: 32 })),
  blockchain: Type.Optional(Type.String({ maxLength: 32 })),
  localId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  accessControl: Type.Optional(
    Type.String({ maxLength: 20_000, description: 'A JSON object, used when the body has none' }),
  ),
});
const DataBody = Type.Record(Type.String(), Type.Unknown(), {
  description:
    "The record's fields by category: `basic` and the record type's own (legacy's body); storage, localId and accessControl may come here too",
  examples: [{ basic: { name: 'Morning run', description: '5 km', language: 'en', date: 1730505600 } }],
});
// The legacy client sends `{ delete: { did } }`; `{ did }` is accepted too.
const DeleteBody = Type.Union(
  [
    Type.Object({ delete: Type.Object({ did: Type.String({ minLength: 1, maxLength: 1100 }) }) }),
    Type.Object({ did: Type.String({ minLength: 1, maxLength: 1100 }) }),
  ],
  { examples: [{ delete: { did: 'did:gun:647f79c2a338:post_1730505600' } }] },
);
const IndexBody = Type.Object(
  {
    data: DataBody,
    oip: Type.Object(
      { did: Type.String({ minLength: 1 }), recordType: Type.String({ minLength: 1 }) },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);

export interface PublishRouteOptions {
  nodeId: string;
  registryRoot: string;
  /** @fastify/rate-limit route config for writes. */
  writeLimit: { max: number; timeWindow: number };
}

export default async function publishRoutes(app: FastifyInstance, opts: PublishRouteOptions): Promise<void> {
  const publisher = routePublisher(app, opts);
  const rateLimit = perCaller(opts.writeLimit);

  app.post<{ Querystring: Static<typeof NewRecordQuery>; Body: Static<typeof DataBody> }>(
    '/api/records/newRecord',
    {
      onRequest: app.requireAuth,
      config: { rateLimit },
      schema: {
        summary: 'Publish a record',
        operationId: 'newRecord',
        description:
          "Signs the record with the caller's publisher key, writes it to GUN and indexes it here (legacy's storage=gun answer). Restricted records (private, shared, organization) go encrypted.",
        tags: ['publishing'],
        security: bearer,
        querystring: NewRecordQuery,
        body: DataBody,
        response: {
          200: { ...NewRecordAnswer, description: 'Published and indexed' },
          ...errors(
            [
              400,
              'Invalid record or parameter (API_ERR_INVALID_RECORD with details, API_ERR_INVALID_QUERY, API_ERR_STORAGE_NOT_SUPPORTED, API_VALIDATION)',
            ],
            [409, 'The store refused the record (API_ERR_RECORD_REFUSED); nothing was published'],
            429,
            [502, 'The relay did not take the record (API_ERR_RELAY_UNAVAILABLE); nothing was published'],
            503,
          ),
          ...requireAuthErrors(),
          403: {
            ...errors(403)['403']!,
            description:
              'Invalid token, or no publisher key for it here (API_ERR_TOKEN_INVALID, API_ERR_PUBLISHER_KEY_MISSING, API_ERR_PUBLISHER_KEY_LOCKED)',
          },
        },
      },
    },
    async (req) => {
      const user = req.auth.user!;
      if (user.publicKey === null) throw new PublisherKeyMissingError();
      const input = legacyPublishInput(req.query, req.body, user.publicKey);
      if (input.storage !== 'gun') throw new StorageNotSupportedError(input.storage);
      if (input.localId !== undefined && (typeof input.localId !== 'string' || input.localId.length > 200))
        throw invalidRecord([{ path: 'localId', rule: 'must be a string of at most 200 characters' }]);
      const handle = user.email.split('@')[0] ?? user.email;
      const published = await publisher.publish({
        recordType: req.query.recordType,
        localId: input.localId,
        data: input.data,
        publisher: { publicKey: user.publicKey, handle },
      });
      // Legacy's answer for storage=gun (records.js:168-180): recordToIndex, storage, did, soul, encrypted.
      return {
        recordToIndex: published.recordToIndex,
        storage: published.storage,
        did: published.did,
        soul: published.soul,
        encrypted: published.encrypted,
      };
    },
  );

  app.post<{ Body: Static<typeof DeleteBody> }>(
    '/api/records/deleteRecord',
    {
      onRequest: app.requireAuth,
      config: { rateLimit },
      schema: {
        summary: 'Delete a record',
        operationId: 'deleteRecord',
        description: "Only the record's creator or an admin; the deletion propagates to other nodes through GUN.",
        tags: ['publishing'],
        security: bearer,
        body: DeleteBody,
        response: {
          200: { ...DeleteAnswer, description: 'Deleted' },
          ...errors(
            400,
            [404, 'No such record (API_ERR_RECORD_NOT_FOUND)'],
            429,
            [502, 'The relay did not take the deletion (API_ERR_RELAY_UNAVAILABLE)'],
            503,
          ),
          ...requireAuthErrors(),
          403: {
            ...errors(403)['403']!,
            description:
              'Invalid token, or not the creator nor an admin (API_ERR_TOKEN_INVALID, API_ERR_NOT_OWNER, API_ERR_PUBLISHER_KEY_LOCKED)',
          },
        },
      },
    },
    async (req) => {
      const did = 'delete' in req.body ? req.body.delete.did : req.body.did;
      const user = req.auth.user!;
      await publisher.delete(did, { publicKey: user.publicKey, isAdmin: user.isAdmin });
      return {
        success: true,
        message: 'Record deleted successfully',
        did,
        deletedCount: 1,
        blockchainDeletion: false,
        gunRegistryDeletion: true,
        propagationNote: 'GUN deletion registry updated. Deletion will propagate to all nodes during sync.',
      };
    },
  );

  app.post<{ Body: Static<typeof IndexBody> }>(
    '/api/records/index',
    {
      onRequest: app.requireAdmin,
      config: { rateLimit },
      schema: {
        summary: 'Index a record body directly (admin)',
        operationId: 'indexRecord',
        description: 'The record is indexed here as given, without publishing it to GUN.',
        tags: ['publishing'],
        security: bearer,
        body: IndexBody,
        response: {
          200: { ...IndexAnswer, description: 'Indexed' },
          ...errors(
            [400, 'Invalid record (API_ERR_INVALID_RECORD, API_VALIDATION)'],
            [409, 'The store refused the record (API_ERR_RECORD_REFUSED)'],
            429,
            503,
          ),
          ...requireAuthErrors(),
        },
      },
    },
    async (req) => {
      const [result] = await app.store.bulkUpsert([req.body as unknown as OipRecord]);
      // Legacy answered `recordId`; `did` beside it.
      if (result?.ok) return { success: true, recordId: result.did, did: result.did };
      if (result?.error?.code === 'STORE_ERR_INVALID')
        throw invalidRecord([{ path: 'record', rule: result.error.message }]);
      throw new RecordRefusedError(result?.error?.message ?? 'unknown reason');
    },
  );
}
