// Media manifests and peer presence (legacy relay `/media/*`).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ManifestNotFoundError, MediaIdParamRequiredError, MediaIdRequiredError, PresenceFieldsError } from '../errors.js';
import { checkSoul, clientGone, writeError } from './relay.js';

const ManifestBody = Type.Object({});
const ManifestQuery = Type.Object({ mediaId: Type.Optional(Type.String()), id: Type.Optional(Type.String()) });
const PresenceBody = Type.Object({
  mediaId: Type.String({ minLength: 1, maxLength: 128 }),
  peerId: Type.String({ minLength: 1, maxLength: 128 }),
  protocols: Type.Optional(Type.Object({})),
  endpoints: Type.Optional(Type.Object({})),
});

export default async function mediaRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Static<typeof ManifestBody> }>(
    '/media/manifest',
    { schema: { body: ManifestBody }, config: { legacy: true, write: true, validationError: () => new MediaIdRequiredError() } },
    async (req) => {
      const manifest = req.body as Record<string, unknown>;
      const media = manifest.media as Record<string, unknown> | undefined;
      const mediaId = typeof media?.id === 'string' ? media.id : '';
      if (!mediaId) throw new MediaIdRequiredError();
      checkSoul(`media:${mediaId}`);
      try {
        const soul = await app.relay.putManifest(mediaId, manifest);
        return { success: true, mediaId, soul };
      } catch (err) {
        throw writeError(err);
      }
    },
  );

  app.get<{ Querystring: Static<typeof ManifestQuery> }>(
    '/media/manifest',
    { schema: { querystring: ManifestQuery }, config: { legacy: true } },
    async (req, reply) => {
      const mediaId = req.query.mediaId || req.query.id;
      if (!mediaId) throw new MediaIdParamRequiredError();
      checkSoul(`media:${mediaId}`);
      const gone = clientGone(reply);
      try {
        const manifest = await app.relay.getManifest(mediaId, gone.signal);
        if (!manifest) throw new ManifestNotFoundError();
        return manifest;
      } finally {
        gone.done();
      }
    },
  );

  app.post<{ Body: Static<typeof PresenceBody> }>(
    '/media/presence',
    { schema: { body: PresenceBody }, config: { legacy: true, write: true, validationError: () => new PresenceFieldsError() } },
    async (req) => {
      const { mediaId, peerId, protocols, endpoints } = req.body;
      checkSoul(`media:${mediaId}:peers:${peerId}`);
      try {
        await app.relay.putPresence({ mediaId, peerId, protocols, endpoints });
      } catch (err) {
        throw writeError(err);
      }
      return { success: true, mediaId, peerId };
    },
  );
}
