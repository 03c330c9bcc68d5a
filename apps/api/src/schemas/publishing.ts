// Response schemas of publishing (routes/publish.ts, routes/media-record.ts): legacy's answers.
import { Type } from '@sinclair/typebox';
import { RecordSchema } from './records.js';

const EXAMPLE_DID = 'did:gun:647f79c2a338:post_1730505600';

export const NewRecordAnswer = Type.Object(
  {
    recordToIndex: Type.Object(RecordSchema.properties, {
      additionalProperties: true,
      description: 'The record as it was indexed here',
    }),
    storage: Type.String({ examples: ['gun'] }),
    did: Type.String(),
    soul: Type.String(),
    encrypted: Type.Boolean({
      description: 'True when the record went to GUN encrypted (private, shared, organization)',
    }),
  },
  {
    examples: [
      {
        recordToIndex: { data: { basic: { name: 'Morning run' } }, oip: { did: EXAMPLE_DID, recordType: 'post' } },
        storage: 'gun',
        did: EXAMPLE_DID,
        soul: '647f79c2a338:post_1730505600',
        encrypted: false,
      },
    ],
  },
);

export const DeleteAnswer = Type.Object({
  success: Type.Literal(true),
  message: Type.String({ examples: ['Record deleted successfully'] }),
  did: Type.String(),
  deletedCount: Type.Integer(),
  blockchainDeletion: Type.Boolean(),
  gunRegistryDeletion: Type.Boolean(),
  propagationNote: Type.String(),
});

export const IndexAnswer = Type.Object({
  success: Type.Literal(true),
  recordId: Type.String({ description: "Legacy's name for the DID" }),
  did: Type.String(),
});

export const MediaRecordAnswer = Type.Object(
  {
    success: Type.Literal(true),
    did: Type.String(),
    recordType: Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('audio')]),
    mediaId: Type.String(),
    storage: Type.Literal('gun'),
    encrypted: Type.Boolean(),
    message: Type.String(),
  },
  {
    examples: [
      {
        success: true,
        did: 'did:gun:647f79c2a338:media_4f1c',
        recordType: 'image',
        mediaId: '4f1c2e0b9d6a8c7e5f3b1a2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e',
        storage: 'gun',
        encrypted: false,
        message: 'Image record created successfully',
      },
    ],
  },
);
