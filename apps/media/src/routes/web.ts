// The legacy web media URLs (legacy index.js serves `data/media/web` at /media with express.static;
// routes/media.js web-setup puts files there):
// - GET/HEAD /media/:project/:file (no auth, as legacy): a file of `<MEDIA_DIR>/web/<project>/`,
//   any project directory there (a legacy node's web directory copied over included), with ranges
//   and conditional requests (services/file-response.ts webFileResponse). Names are checked by
//   schema (services/web-paths.ts: no separator, control character or leading dot; 400
//   MEDIA_ERR_WEB_NAME_INVALID otherwise), and a symlink in place of the web directory, the
//   project directory or the file is not followed (404 MEDIA_ERR_NOT_FOUND).
// - POST /api/media/web-setup (auth, legacy body) `{ mediaId, filename }`: the owner of the media
//   publishes it at `/media/<MEDIA_WEB_PROJECT>/<filename>` (services/web-setup.ts) → legacy's
//   `{ success, webUrl, filename, message }`.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  MediaErrorCodes,
  MediaNotFoundError,
  PublisherKeyMissingError,
  WebNameInvalidError,
  WebSetupInvalidError,
} from '../errors.js';
import { webFileResponse } from '../services/file-response.js';
import { MEDIA_ID_PATTERN } from '../services/media-paths.js';
import { isWebFileName, WEB_FILE_PATTERN, WEB_PROJECT_PATTERN, WebPaths } from '../services/web-paths.js';
import { WebSetup } from '../services/web-setup.js';
import { replyWithFile } from './file-reply.js';

export interface WebRoutesOptions {
  readChunkBytes: number;
  /** The project directory web-setup writes to. */
  project: string;
  /** Most names in that directory. */
  maxFiles: number;
  publicBase: () => string;
}

const Params = Type.Object({
  project: Type.String({ pattern: WEB_PROJECT_PATTERN }),
  file: Type.String({ pattern: WEB_FILE_PATTERN }),
});
type ParamsT = Static<typeof Params>;

const SetupBody = Type.Object({
  mediaId: Type.String({ pattern: MEDIA_ID_PATTERN }),
  filename: Type.String({ pattern: WEB_FILE_PATTERN }),
});
type SetupBodyT = Static<typeof SetupBody>;

/** A web-setup request body is two short strings. */
const SETUP_BODY_LIMIT = 16 * 1024;

export default async function webRoutes(app: FastifyInstance, opts: WebRoutesOptions): Promise<void> {
  const web = new WebPaths(app.media.paths.root);
  const setup = new WebSetup(app.media, web, {
    project: opts.project,
    maxFiles: opts.maxFiles,
    publicBase: opts.publicBase,
  });

  const serveConfig = { validationError: () => new WebNameInvalidError() };
  const handler = async (req: FastifyRequest<{ Params: ParamsT }>, reply: FastifyReply) => {
    const { project, file } = req.params;
    // The pattern bounds characters; the file system bounds bytes.
    if (!isWebFileName(file)) throw new WebNameInvalidError();
    const found = await web.stat(project, file);
    if (found === null) throw new MediaNotFoundError();
    return replyWithFile(
      reply,
      app.mediaMetrics,
      webFileResponse(req.method, req.headers, found, { root: web.root, highWaterMark: opts.readChunkBytes }),
    );
  };
  const schema = { params: Params };
  app.get('/media/:project/:file', { schema, config: serveConfig, exposeHeadRoute: false }, handler);
  app.head('/media/:project/:file', { schema, config: serveConfig }, handler);

  app.post<{ Body: SetupBodyT }>(
    '/api/media/web-setup',
    {
      onRequest: app.requireAuth,
      bodyLimit: SETUP_BODY_LIMIT,
      schema: { body: SetupBody },
      config: {
        legacy: true,
        validationError: () => new WebSetupInvalidError(),
        legacyCodes: {
          [MediaErrorCodes.NOT_FOUND]: { status: 404, text: 'Media file not found' },
          [MediaErrorCodes.STORAGE]: { status: 500, text: 'Web setup failed' },
        },
      },
    },
    async (req) => {
      const owner = req.auth.user?.publicKey ?? '';
      if (owner === '') throw new PublisherKeyMissingError();
      const { mediaId, filename } = req.body;
      if (!isWebFileName(filename)) throw new WebSetupInvalidError();
      const { webUrl } = await setup.run(mediaId, filename, owner);
      return { success: true, webUrl, filename, message: 'Web access setup successfully' };
    },
  );
}
