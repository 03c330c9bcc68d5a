// Media manifests and peer presence (legacy relay `/media/*`).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { clientGone } from '@oip/service-kit/fastify';
import {
  InvalidMediaIdError,
  ManifestNotFoundError,
  MediaIdParamRequiredError,
  MediaIdRequiredError,
  PresenceFieldsError,
} from '../errors.js';
import type { RelayLimits } from '../services/relay-service.js';
import { mediaIdProblem } from '@oip/records';
import { checkSoul, writeError } from './relay.js';
import { strictBodyCompiler } from './strict-body.js';

/** A write's media or peer id must not reach another soul (`m1:peers:p1` is a presence soul). */
function checkMediaId(field: 'mediaId' | 'peerId', id: string): void {
  const problem = mediaIdProblem(id);
  if (problem) throw new InvalidMediaIdError(field, problem);
}

const ManifestBody = Type.Object({});
const ManifestQuery = Type.Object({ mediaId: Type.Optional(Type.String()), id: Type.Optional(Type.String()) });
const PresenceBody = Type.Object({
  mediaId: Type.String({ minLength: 1, maxLength: 128 }),
  peerId: Type.String({ minLength: 1, maxLength: 128 }),
  protocols: Type.Optional(Type.Object({})),
  endpoints: Type.Optional(Type.Object({})),
});

export default async function mediaRoutes(app: FastifyInstance, opts: { limits: RelayLimits }): Promise<void> {
  const { limits } = opts;
  app.post<{ Body: Static<typeof ManifestBody> }>(
    '/media/manifest',
    {
      schema: { body: ManifestBody },
      validatorCompiler: strictBodyCompiler,
      config: { legacy: true, write: true, validationError: () => new MediaIdRequiredError() },
    },
    async (req) => {
      const manifest = req.body as Record<string, unknown>;
      const media = manifest.media as Record<string, unknown> | undefined;
      const mediaId = typeof media?.id === 'string' ? media.id : '';
      if (!mediaId) throw new MediaIdRequiredError();
      checkMediaId('mediaId', mediaId);
      checkSoul(`media:${mediaId}`);
      try {
        const soul = await app.relay.putManifest(mediaId, manifest, limits);
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
        const manifest = await app.relay.getManifest(mediaId, gone.signal, limits);
        if (!manifest) throw new ManifestNotFoundError();
        return manifest;
      } finally {
        gone.done();
      }
    },
  );

  app.post<{ Body: Static<typeof PresenceBody> }>(
    '/media/presence',
    {
      schema: { body: PresenceBody },
      validatorCompiler: strictBodyCompiler,
      config: { legacy: true, write: true, validationError: () => new PresenceFieldsError() },
    },
    async (req) => {
      const { mediaId, peerId, protocols, endpoints } = req.body;
      checkMediaId('mediaId', mediaId);
      checkMediaId('peerId', peerId);
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
