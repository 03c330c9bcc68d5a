// Operations the api serves but does not describe through a route schema of its own, added to the
// document by the docs plugin so it lists every path of this port:
// - through the gateway (routes/gateway.ts): the media service's routes under /api/media/* and the
//   legacy web media URLs /media/*, and the relay's public reads under /gun-relay/* (get, list,
//   media/manifest; any write answers 405 API_ERR_RELAY_READ_ONLY);
// - memory-guard's /metrics, /health/memory and the legacy memory reports (registered before the
//   docs plugin), and bull-board's dashboard at /admin/queues (plugins/bull-board.ts).
// Upstream failures answer the house error body: 502 API_ERR_UPSTREAM_UNAVAILABLE, 504 API_ERR_UPSTREAM_TIMEOUT.
import { Type, type TSchema } from '@sinclair/typebox';
import { BOARD_COOKIE } from '../services/board-session.js';
import { bearer, ErrorBody, Nullable, OpenObject, optionalBearer } from './common.js';

type Operation = Record<string, unknown>;

const json = (schema: TSchema, description: string) => ({ description, content: { 'application/json': { schema } } });
const houseError = (description: string) => json(ErrorBody, description);
/** The media service's legacy routes refuse with `{ error: "<text>" }`. */
const LegacyError = Type.Object({ error: Type.String() });
const legacyError = (description: string) => json(LegacyError, description);
const binary = (description: string) => ({
  description,
  content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
});
const upstreamErrors = {
  '502': houseError('The upstream service is unavailable (API_ERR_UPSTREAM_UNAVAILABLE)'),
  '504': houseError('The upstream service did not answer in time (API_ERR_UPSTREAM_TIMEOUT)'),
};
const authErrors = {
  '401': houseError('No bearer token (API_ERR_TOKEN_REQUIRED)'),
  '403': houseError('The token is invalid, expired or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_ADMIN_REQUIRED)'),
};
const MEDIA_ID = {
  name: 'mediaId',
  in: 'path',
  required: true,
  description: "The file's SHA-256 (hex), from the upload",
  schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
};
const query = (name: string, schema: TSchema, description: string, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});

const UploadAnswer = Type.Object(
  {
    success: Type.Literal(true),
    mediaId: Type.String(),
    httpUrl: Type.String(),
    size: Type.Integer(),
    mime: Type.String(),
    originalName: Nullable(Type.String()),
    access_level: Type.Union([Type.Literal('public'), Type.Literal('private')]),
    owner: Type.String({ description: "The uploader's publisher public key" }),
    duplicate: Type.Boolean({ description: 'True when this node held the file already' }),
    magnetURI: Type.String({ description: "Always '' (no torrents here)" }),
    infoHash: Type.String({ description: "Always ''" }),
    torrentAvailable: Type.Boolean(),
    message: Type.String(),
  },
  { additionalProperties: true },
);

const upload: Operation = {
  summary: 'Upload a media file',
  operationId: 'uploadMedia',
  description:
    'Multipart: the file in the field `file`, and `access_level` (public or private, default private). Through the gateway to the media service. Then publish its record with POST /api/media/createRecord.',
  tags: ['media'],
  security: bearer,
  requestBody: {
    required: true,
    content: {
      'multipart/form-data': {
        schema: Type.Object({
          file: Type.Unsafe<string>({ type: 'string', contentMediaType: 'application/octet-stream' }),
          access_level: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')])),
        }),
      },
    },
  },
  responses: {
    '200': json(UploadAnswer, 'Stored'),
    '400': legacyError('Not a form with one file in the field "file"'),
    '401': legacyError('No bearer token'),
    '403': legacyError('The token is invalid or expired, or carries no publisher key'),
    '413': legacyError('The file is larger than the node takes'),
    '500': legacyError('The file could not be stored'),
    '507': legacyError('The disk is full'),
    ...upstreamErrors,
  },
};

const serveMedia: Operation = {
  summary: 'Download a media file',
  operationId: 'getMedia',
  description: 'Range requests answer 206. A private file only to its owner.',
  tags: ['media'],
  security: optionalBearer,
  parameters: [MEDIA_ID],
  responses: {
    '200': binary('The file'),
    '206': binary('The requested range'),
    '304': { description: 'Not modified' },
    '400': legacyError('Not a mediaId'),
    '403': houseError('The token is invalid or expired (checked by the api: API_ERR_TOKEN_INVALID)'),
    '404': legacyError('No such file the caller may read'),
    '412': legacyError('Precondition failed'),
    '416': legacyError('Range not satisfiable'),
    ...upstreamErrors,
  },
};

const mediaInfo: Operation = {
  summary: "A media file's manifest",
  operationId: 'getMediaInfo',
  tags: ['media'],
  security: optionalBearer,
  parameters: [MEDIA_ID],
  responses: {
    '200': json(
      OpenObject('mediaId, mimeType, fileSize, originalName, httpUrl, accessLevel, createdAt …'),
      'The manifest',
    ),
    '400': legacyError('Not a mediaId'),
    '403': houseError('The token is invalid or expired (checked by the api: API_ERR_TOKEN_INVALID)'),
    '404': legacyError('No such file the caller may read'),
    ...upstreamErrors,
  },
};

const webSetup: Operation = {
  summary: 'Publish a media file at a web URL',
  operationId: 'setupWebMedia',
  description: 'Copies the caller’s file to /media/<project>/<filename> (legacy web media).',
  tags: ['media'],
  security: bearer,
  requestBody: {
    required: true,
    content: {
      'application/json': {
        schema: Type.Object({ mediaId: Type.String({ pattern: '^[0-9a-f]{64}$' }), filename: Type.String() }),
      },
    },
  },
  responses: {
    '200': json(
      Type.Object({
        success: Type.Literal(true),
        webUrl: Type.String(),
        filename: Type.String(),
        message: Type.String(),
      }),
      'Set up',
    ),
    '400': legacyError('Invalid mediaId or filename'),
    '401': legacyError('No bearer token'),
    '403': legacyError('The token is invalid, or the caller does not own the file'),
    '404': legacyError('Media file not found'),
    '409': legacyError('A different file is already published under this name'),
    '507': legacyError('The web directory is full'),
    ...upstreamErrors,
  },
};

const webFile: Operation = {
  summary: 'A web media file (legacy URL)',
  operationId: 'getWebMedia',
  tags: ['media'],
  parameters: [
    { name: 'project', in: 'path', required: true, schema: { type: 'string' } },
    { name: 'file', in: 'path', required: true, schema: { type: 'string' } },
  ],
  responses: {
    '200': binary('The file'),
    '206': binary('The requested range'),
    '304': { description: 'Not modified' },
    '400': houseError('Not a web media path (MEDIA_ERR_WEB_NAME_INVALID)'),
    '404': houseError('No such file (MEDIA_ERR_NOT_FOUND)'),
    '412': houseError('Precondition failed'),
    '416': houseError('Range not satisfiable'),
    ...upstreamErrors,
  },
};

const relayGet: Operation = {
  summary: 'Read a GUN soul from the relay',
  operationId: 'relayGet',
  description: 'Peers sync through it. Paged with limit and after.',
  tags: ['gun-relay'],
  parameters: [
    query('soul', Type.String(), 'The soul to read', true),
    query('limit', Type.Integer({ minimum: 1, maximum: 1000 }), 'Keys per page (the paged form)'),
    query('after', Type.String(), 'The key the page starts after'),
  ],
  responses: {
    '200': json(
      Type.Object({
        success: Type.Literal(true),
        data: Type.Unknown({ description: 'The node' }),
        next: Type.Optional(Nullable(Type.String({ description: 'The paged form: the next page starts after it' }))),
      }),
      'The node',
    ),
    '400': legacyError('No soul, or an invalid one'),
    '404': legacyError('No such soul'),
    '405': houseError('A write: the relay is read-only through this port (API_ERR_RELAY_READ_ONLY)'),
    ...upstreamErrors,
  },
};

const relayList: Operation = {
  summary: "A publisher's records on the relay",
  operationId: 'relayList',
  tags: ['gun-relay'],
  parameters: [
    query('publisherHash', Type.String(), 'The first 12 hex of the publisher key’s SHA-256', true),
    query('recordType', Type.String(), 'Only this record type'),
    query('limit', Type.Integer({ minimum: 0, default: 50 }), 'At most this many'),
    query('offset', Type.Integer({ minimum: 0, default: 0 }), 'Skip this many'),
  ],
  responses: {
    '200': json(Type.Object({ success: Type.Literal(true), records: Type.Array(Type.Unknown()) }), 'The records'),
    '400': legacyError('No publisherHash, or an invalid one'),
    ...upstreamErrors,
  },
};

const relayManifest: Operation = {
  summary: "A media file's manifest on the relay",
  operationId: 'relayMediaManifest',
  tags: ['gun-relay'],
  parameters: [query('mediaId', Type.String(), "The file's id"), query('id', Type.String(), 'The same, legacy name')],
  responses: {
    '200': json(OpenObject('The manifest'), 'The manifest'),
    '400': legacyError('No mediaId'),
    '404': legacyError('No such manifest'),
    ...upstreamErrors,
  },
};

const memory = (summary: string, operationId: string, description: string): Operation => ({
  summary,
  operationId,
  tags: ['health'],
  responses: { '200': json(OpenObject(description), 'The report') },
});

/** The path items the docs plugin adds to the document. */
export const PROXIED_PATHS: Readonly<Record<string, Record<string, Operation>>> = {
  '/api/media/upload': { post: upload },
  '/api/media/web-setup': { post: webSetup },
  '/api/media/{mediaId}': { get: serveMedia },
  '/api/media/{mediaId}/info': { get: mediaInfo },
  '/media/{project}/{file}': { get: webFile },
  '/gun-relay/get': { get: relayGet },
  '/gun-relay/list': { get: relayList },
  '/gun-relay/media/manifest': { get: relayManifest },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics',
      operationId: 'getMetrics',
      tags: ['health'],
      responses: {
        '200': {
          description: 'The text exposition format',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      },
    },
  },
  '/health/memory': {
    get: memory('Memory health', 'getMemoryHealth', "The memory guard's snapshot: heap, RSS, pressure, timestamp"),
  },
  '/api/health/memory': { get: memory('Memory health (legacy)', 'getLegacyMemoryHealth', "Legacy's memory report") },
  '/api/health/memory/tracker': {
    get: memory('Memory tracker (legacy)', 'getLegacyMemoryTracker', "Legacy's memory tracker report"),
  },
  '/admin/queues': {
    get: {
      summary: 'Queue dashboard (admin)',
      operationId: 'getQueueDashboard',
      description: `bull-board, read-only, over the sync records, discovery and dead-letter queues. An admin's bearer token, or the ${BOARD_COOKIE} cookie POST /admin/login sets.`,
      tags: ['admin'],
      security: [{ bearerAuth: [] }, { boardSession: [] }],
      responses: {
        '200': { description: 'The dashboard page', content: { 'text/html': { schema: { type: 'string' } } } },
        '303': {
          description: 'A browser without a live session: Location is the login page',
          headers: { Location: { schema: { type: 'string' } } },
        },
        ...authErrors,
      },
    },
  },
};
