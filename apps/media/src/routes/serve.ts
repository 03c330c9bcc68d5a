// GET/HEAD /api/media/:mediaId (optional auth, legacy): the stored file with the legacy headers,
// ranges and conditional requests (services/file-response.ts). A file this node lacks is asked of
// `fetchMissing` when the app has one (replication): true → served from disk, false → 404.
// GET /api/media/:mediaId/info: the caller's own manifest, else the public one.
// Who reads what: services/access.ts; a caller who may not is answered as for a missing id. Every
// answer but public media's file is `Cache-Control: private, no-store` with `Vary: Authorization`
// (a 404 included: it depends on who asks, and must look the same whether or not the id exists).
// Every file stream is counted while open and destroyed when the response closes, whatever ended it.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientGone } from '@oip/service-kit/fastify';
import { InvalidMediaIdError, MediaNotFoundError } from '../errors.js';
import { fileViewFor, infoViewFor } from '../services/access.js';
import { fileResponse, PRIVATE_CACHE_CONTROL } from '../services/file-response.js';
import { MEDIA_ID_PATTERN } from '../services/media-paths.js';
import type { LocatedMedia } from '../services/media-store.js';
import { replyWithFile } from './file-reply.js';

const Params = Type.Object({ mediaId: Type.String({ pattern: MEDIA_ID_PATTERN }) });
type ParamsT = Static<typeof Params>;

/** Asks for a media file this node lacks; true when it is now stored locally. */
export type FetchMissing = (mediaId: string) => Promise<boolean>;

export interface ServeRoutesOptions {
  readChunkBytes: number;
  fetchMissing?: FetchMissing;
}

/** Resolves with `p`, or with undefined as soon as `signal` aborts (the client went away). */
function unlessAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Marks an answer as depending on the caller: kept by no cache, and told apart by Authorization. */
function callerDependent(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  const list = typeof vary === 'string' && vary.length > 0 ? `${vary}, Authorization` : 'Authorization';
  void reply.header('cache-control', PRIVATE_CACHE_CONTROL).header('vary', list);
}

/** Undoes callerDependent's Vary for public media (its Cache-Control comes from the file response). */
function callerIndependent(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  const rest =
    typeof vary === 'string'
      ? vary
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== '' && v.toLowerCase() !== 'authorization')
      : [];
  if (rest.length > 0) void reply.header('vary', rest.join(', '));
  else reply.removeHeader('vary');
}

export default async function serveRoutes(app: FastifyInstance, opts: ServeRoutesOptions): Promise<void> {
  // The injected seam, else the app's replicator when replication is configured.
  const replicator = app.replicator;
  const fetchMissing: FetchMissing | undefined =
    opts.fetchMissing ?? (replicator ? (id) => replicator.fetchMissing(id) : undefined);
  const routeConfig = { legacy: true, validationError: () => new InvalidMediaIdError() };

  async function locateOrFetch(
    mediaId: string,
    reply: FastifyReply,
    req: FastifyRequest,
  ): Promise<LocatedMedia | null> {
    const local = await app.media.locate(mediaId);
    if (local !== null || fetchMissing === undefined) return local;
    const gone = clientGone(reply);
    try {
      const stored = await unlessAborted(fetchMissing(mediaId), gone.signal);
      if (stored !== true) {
        if (stored === false) app.mediaMetrics.fetchMissing('missing');
        return null;
      }
      app.mediaMetrics.fetchMissing('stored');
      app.media.invalidate(mediaId);
      return await app.media.locate(mediaId);
    } catch (err) {
      app.mediaMetrics.fetchMissing('error');
      req.log.warn({ err, mediaId }, 'fetching missing media failed');
      return null;
    } finally {
      gone.done();
    }
  }

  async function serve(req: FastifyRequest<{ Params: ParamsT }>, reply: FastifyReply) {
    const { mediaId } = req.params;
    callerDependent(reply);
    const media = await locateOrFetch(mediaId, reply, req);
    if (media === null) throw new MediaNotFoundError();
    const served = await fileViewFor(app.media, mediaId, media, req.auth);
    if (served === null) throw new MediaNotFoundError();
    if (served.cache === 'public') callerIndependent(reply);
    return replyWithFile(
      reply,
      app.mediaMetrics,
      fileResponse(req.method, req.headers, media, {
        root: app.media.paths.root,
        highWaterMark: opts.readChunkBytes,
        cache: served.cache,
        mimeType: served.view.mimeType,
      }),
    );
  }

  const schema = { params: Params };
  app.get<{ Params: ParamsT }>(
    '/api/media/:mediaId',
    { onRequest: app.optionalAuth, schema, config: routeConfig, exposeHeadRoute: false },
    serve,
  );
  app.head<{ Params: ParamsT }>(
    '/api/media/:mediaId',
    { onRequest: app.optionalAuth, schema, config: routeConfig },
    serve,
  );

  app.get<{ Params: ParamsT }>(
    '/api/media/:mediaId/info',
    { onRequest: app.optionalAuth, schema, config: routeConfig },
    async (req, reply) => {
      const { mediaId } = req.params;
      callerDependent(reply);
      const views = await app.media.views(mediaId);
      if (views === null) throw new MediaNotFoundError();
      const served = await infoViewFor(app.media, mediaId, views, req.auth);
      if (served === null) throw new MediaNotFoundError();
      return served.view;
    },
  );
}
