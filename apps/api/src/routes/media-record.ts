// POST /api/media/createRecord (auth, legacy): publishes the OIP image/video/audio record that
// describes a media file the caller uploaded, by the same path as newRecord. The manifest comes
// from apps/media with the caller's token; only the file's owner may describe it.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { perCaller } from '../plugins/rate-limit.js';
import { MediaForbiddenError, PublisherKeyMissingError } from '../errors.js';
import { MediaManifestReader } from '../services/media-manifest.js';
import { routePublisher } from '../services/publisher.js';
import { bearer, errors, requireAuthErrors } from '../schemas/common.js';
import { MediaRecordAnswer } from '../schemas/publishing.js';
import { publicBaseOf, publicMediaUrl } from '../services/public-url.js';

const Body = Type.Object({
  mediaId: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'From POST /api/media/upload' }),
  recordType: Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('audio')]),
  basicInfo: Type.Optional(
    Type.Object({
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
      description: Type.Optional(Type.String({ maxLength: 10_000 })),
      language: Type.Optional(Type.String({ maxLength: 16 })),
      nsfw: Type.Optional(Type.Boolean()),
      tagItems: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 1000 })),
    }),
  ),
  accessControl: Type.Optional(
    Type.Object({ access_level: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')])) }),
  ),
  width: Type.Optional(Type.Integer({ minimum: 0 })),
  height: Type.Optional(Type.Integer({ minimum: 0 })),
  duration: Type.Optional(Type.Number({ minimum: 0 })),
});

export interface MediaRecordOptions {
  mediaUrl: string;
  /** API_PUBLIC_URL: the base of the record's webUrl (else the request's protocol and host). */
  publicUrl?: string | undefined;
  timeoutMs: number;
  nodeId: string;
  registryRoot: string;
  writeLimit: { max: number; timeWindow: number };
}

export default async function mediaRecordRoutes(app: FastifyInstance, opts: MediaRecordOptions): Promise<void> {
  const manifests = new MediaManifestReader(opts.mediaUrl, opts.timeoutMs);
  app.addHook('onClose', async () => manifests.close());
  const publisher = routePublisher(app, opts);
  const rateLimit = perCaller(opts.writeLimit);

  app.post<{ Body: Static<typeof Body> }>(
    '/api/media/createRecord',
    {
      onRequest: app.requireAuth,
      config: { rateLimit },
      schema: {
        summary: 'Publish the record of an uploaded media file',
        operationId: 'createMediaRecord',
        description: 'An image, video or audio record describing a file the caller uploaded (only its owner may).',
        tags: ['publishing', 'media'],
        security: bearer,
        body: Body,
        response: {
          200: { ...MediaRecordAnswer, description: 'Published and indexed' },
          ...errors(
            [400, 'Invalid request or record (API_VALIDATION, API_ERR_INVALID_RECORD)'],
            [404, 'No such media file (API_ERR_MEDIA_NOT_FOUND)'],
            [409, 'The store refused the record (API_ERR_RECORD_REFUSED)'],
            429,
            [502, 'The media service or the relay failed (API_ERR_UPSTREAM_UNAVAILABLE, API_ERR_RELAY_UNAVAILABLE)'],
            503,
            [504, 'The media service did not answer in time (API_ERR_UPSTREAM_TIMEOUT)'],
          ),
          ...requireAuthErrors(),
          403: {
            ...errors(403)['403']!,
            description:
              'Invalid token, not the owner of the file, or no publisher key (API_ERR_TOKEN_INVALID, API_ERR_MEDIA_FORBIDDEN, API_ERR_PUBLISHER_KEY_MISSING)',
          },
        },
      },
    },
    async (req) => {
      const { mediaId, recordType, basicInfo = {}, accessControl = {} } = req.body;
      const user = req.auth.user!;
      if (user.publicKey === null) throw new PublisherKeyMissingError();
      const manifest = await manifests.read(mediaId, req.headers.authorization!);
      if (manifest.userPublicKey !== user.publicKey) throw new MediaForbiddenError();
      const file = {
        // On the api's public base: media's own httpUrl is on its internal port.
        webUrl: publicMediaUrl(publicBaseOf(req, opts.publicUrl), mediaId),
        mediaId,
        filename: manifest.originalName ?? null,
        size: manifest.fileSize ?? null,
        contentType: manifest.mimeType ?? null,
        ...(recordType === 'audio' ? {} : { width: req.body.width ?? 0, height: req.body.height ?? 0 }),
        ...(recordType === 'image' ? {} : { duration: req.body.duration ?? 0 }),
      };
      const data = {
        basic: {
          name: basicInfo.name ?? manifest.originalName ?? mediaId,
          description: basicInfo.description ?? `${recordType} file: ${manifest.originalName ?? mediaId}`,
          language: basicInfo.language ?? 'en',
          date: Math.floor(Date.now() / 1000),
          nsfw: basicInfo.nsfw ?? false,
          tagItems: basicInfo.tagItems ?? [],
        },
        accessControl: {
          access_level: accessControl.access_level ?? manifest.accessLevel ?? 'private',
          owner_public_key: user.publicKey,
        },
        [recordType]: file,
      };
      const handle = user.email.split('@')[0] ?? user.email;
      const result = await publisher.publish({
        recordType,
        localId: `media_${mediaId}`,
        data,
        publisher: { publicKey: user.publicKey, handle },
      });
      return {
        success: true,
        did: result.did,
        recordType,
        mediaId,
        storage: 'gun',
        encrypted: false,
        message: `${recordType.charAt(0).toUpperCase()}${recordType.slice(1)} record created successfully`,
      };
    },
  );
}
