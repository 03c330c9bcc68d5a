// Requests for what the OpenAPI document hides: the gateway (/gun-relay/* to gun-proxy, /api/media/*
// to apps/media, any method and path), the memory and metrics routes, the docs and the queue
// dashboard, and paths nothing serves. Media uploads are multipart bodies written here: a file with
// its form fields, and forms broken in the ways a client might break them.
import fc from 'fast-check';
import type { FuzzRequest } from './fuzz-request.js';
import { anyJson, hostileString, prototypeKey } from './hostile-values.js';
import { jsonObject, toJsonText } from './json-text.js';
import { fixture } from './param-hints.js';
import { anyMethod, contextHeaders, headerText, identity, notJsonBody } from './request-parts.js';

type Pairs = Array<[string, string]>;
type Unsigned = Omit<FuzzRequest, 'identity'>;

const segment = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9._-]{1,12}$/) },
  hostileString,
  prototypeKey,
);
const pathTail = fc.array(segment, { minLength: 1, maxLength: 3 });
const readMethod = fc.oneof(
  { weight: 6, arbitrary: fc.constant('GET') },
  fc.constantFrom('HEAD', 'OPTIONS'),
  anyMethod,
);
const num = fc.oneof(fc.integer({ min: -2, max: 2000 }).map(String), fc.constantFrom('', 'x', '1e9', '1.5'));

const soul = fc.oneof(
  { weight: 3, arbitrary: fixture('soul') },
  fc.constantFrom(
    'oip:registry:index:post',
    'oip:registry:nodes',
    'oip:deleted:records:index',
    'oip:media:manifest',
    '',
  ),
  hostileString,
);
const relayQuery: Record<string, fc.Arbitrary<Pairs>> = {
  get: fc
    .tuple(
      soul,
      fc.option(num, { nil: undefined }),
      fc.option(fc.oneof(soul, fc.string({ maxLength: 8 })), { nil: undefined }),
    )
    .map(([s, limit, after]) => [
      ['soul', s],
      ...(limit ? ([['limit', limit]] as Pairs) : []),
      ...(after ? ([['after', after]] as Pairs) : []),
    ]),
  list: fc
    .tuple(
      fc.oneof(fc.stringMatching(/^[0-9a-f]{12}$/), hostileString),
      num,
      num,
      fc.oneof(fc.constantFrom('post', 'image'), hostileString),
    )
    .map(([h, limit, offset, t]) => [
      ['publisherHash', h],
      ['limit', limit],
      ['offset', offset],
      ['recordType', t],
    ]),
  'media/manifest': fc
    .tuple(
      fc.constantFrom('mediaId', 'id'),
      fc.oneof(fixture('media'), fc.stringMatching(/^[0-9a-f]{64}$/), hostileString),
    )
    .map(([k, v]) => [[k, v]]),
};

function relayRequests(): fc.Arbitrary<Unsigned> {
  const known = fc.constantFrom('get', 'list', 'media/manifest').chain((p) =>
    fc.record({ method: readMethod, query: relayQuery[p]! }).map(({ method, query }): Unsigned => ({
      route: 'gateway /gun-relay/*',
      kind: 'valid',
      method,
      segments: ['gun-relay', ...p.split('/')],
      query,
      headers: {},
    })),
  );
  const writes = fc
    .record({
      method: fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH'),
      path: fc.constantFrom('put', 'media/manifest', 'media/presence', 'get'),
      body: fc.oneof(
        fc.tuple(soul, anyJson).map(([s, data]) =>
          toJsonText(
            jsonObject([
              ['soul', s],
              ['data', data],
            ]),
          ),
        ),
        notJsonBody,
      ),
    })
    .map(({ method, path, body }): Unsigned => ({
      route: 'gateway /gun-relay/*',
      kind: 'invalid',
      method,
      segments: ['gun-relay', ...path.split('/')],
      query: [],
      headers: { 'content-type': 'application/json' },
      body,
    }));
  const other = fc
    .record({
      method: anyMethod,
      tail: fc.oneof(
        fc.constantFrom(['metrics'], ['health'], ['peers', 'status'], [''], ['..', 'health'], ['get', '']),
        pathTail,
      ),
    })
    .map(({ method, tail }): Unsigned => ({
      route: 'gateway /gun-relay/*',
      kind: 'invalid',
      method,
      segments: ['gun-relay', ...tail],
      query: [],
      headers: {},
    }));
  return fc.oneof({ weight: 3, arbitrary: known }, writes, other);
}

const BOUNDARY = 'fuzzBoundary7MA4YWxkTrZu0gW';
interface Part {
  name: string;
  filename?: string;
  type?: string;
  content: string;
}
const multipart = (parts: Part[], boundary = BOUNDARY): string =>
  parts
    .map((p) => {
      const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
      return `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n${p.content}\r\n`;
    })
    .join('') + `--${boundary}--\r\n`;

const fileName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('photo.png', 'clip.mp4', 'notes.txt', 'a') },
  headerText(20).map((s) => s.replaceAll('"', '')),
);
const filePart: fc.Arbitrary<Part> = fc.record({
  name: fc.constant('file'),
  filename: fileName,
  type: fc.constantFrom('image/png', 'video/mp4', 'text/plain', 'application/octet-stream', 'text/html', 'garbage'),
  content: fc.string({ maxLength: 2048 }),
});
const fieldPart: fc.Arbitrary<Part> = fc.record({
  name: fc.oneof(
    { weight: 3, arbitrary: fc.constant('access_level') },
    prototypeKey,
    fc.stringMatching(/^[a-z_]{1,12}$/),
  ),
  content: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('public', 'private') }, fc.string({ maxLength: 16 })),
});

/** A multipart upload: a file and fields, or a form broken (no file, two files, another field, truncated, wrong boundary). */
const upload: fc.Arbitrary<{ headers: Record<string, string>; body: string; valid: boolean }> = fc.oneof(
  fc.tuple(filePart, fc.array(fieldPart, { maxLength: 2 })).map(([f, fields]) => ({
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: multipart([...fields, f]),
    valid: true,
  })),
  fc
    .tuple(
      filePart,
      fc.array(fieldPart, { maxLength: 3 }),
      fc.constantFrom('none', 'two', 'renamed', 'truncated', 'boundary', 'noboundary'),
      fc.nat(),
    )
    .map(([f, fields, how, cut]) => {
      const parts =
        how === 'none'
          ? fields
          : how === 'two'
            ? [f, f]
            : how === 'renamed'
              ? [{ ...f, name: 'upload' }]
              : [...fields, f];
      let body = multipart(parts);
      if (how === 'truncated') body = body.slice(0, cut % Math.max(1, body.length));
      const type =
        how === 'boundary'
          ? 'multipart/form-data; boundary=other'
          : how === 'noboundary'
            ? 'multipart/form-data'
            : `multipart/form-data; boundary=${BOUNDARY}`;
      return { headers: { 'content-type': type }, body, valid: false };
    }),
);

const mediaId = fc.oneof(
  { weight: 3, arbitrary: fixture('media') },
  fc.stringMatching(/^[0-9a-f]{64}$/),
  hostileString,
);
const mediaHeaders = fc.record(
  {
    range: fc.constantFrom(
      'bytes=0-10',
      'bytes=-5',
      'bytes=5-',
      'bytes=100-50',
      'bytes=0-0,5-6',
      'bytes=x',
      'items=0-1',
      'bytes=0-99999999999999999999',
    ),
    'if-none-match': fc.constantFrom('*', '"abc"', 'W/"x"', 'garbage'),
    'if-modified-since': fc.constantFrom('Thu, 01 Jan 1970 00:00:00 GMT', 'yesterday'),
  },
  { requiredKeys: [] },
);

function mediaRequests(): fc.Arbitrary<Unsigned> {
  const reads = fc
    .record({ method: readMethod, id: mediaId, info: fc.boolean(), headers: mediaHeaders })
    .map(({ method, id, info, headers }): Unsigned => ({
      route: 'gateway /api/media/*',
      kind: 'valid',
      method,
      segments: ['api', 'media', id, ...(info ? ['info'] : [])],
      query: [],
      headers: Object.fromEntries(Object.entries(headers)) as Record<string, string>,
    }));
  const uploads = fc
    .record({ method: fc.oneof({ weight: 5, arbitrary: fc.constant('POST') }, anyMethod), form: upload })
    .map(({ method, form }): Unsigned => ({
      route: 'gateway /api/media/*',
      kind: form.valid && method === 'POST' ? 'valid' : 'invalid',
      method,
      segments: ['api', 'media', 'upload'],
      query: [],
      headers: form.headers,
      body: form.body,
    }));
  const other = fc
    .record({
      method: anyMethod,
      tail: fc.oneof(fc.constantFrom(['createRecord'], [''], ['upload', ''], ['..', 'health']), pathTail),
    })
    .map(({ method, tail }): Unsigned => ({
      route: 'gateway /api/media/*',
      kind: 'invalid',
      method,
      segments: ['api', 'media', ...tail],
      query: [],
      headers: {},
    }));
  return fc.oneof({ weight: 3, arbitrary: reads }, { weight: 2, arbitrary: uploads }, other);
}

const EXTRA_PATHS = [
  ['health', 'memory'],
  ['metrics'],
  ['api', 'health', 'memory'],
  ['api', 'health', 'memory', 'tracker'],
  ['docs'],
  ['docs', 'json'],
  ['docs', 'yaml'],
  ['docs', 'static', 'index.html'],
  ['admin', 'queues'],
  ['admin', 'queues', 'api', 'queues'],
  [''],
  ['api'],
  ['api', 'records', ''],
  ['api', 'user'],
];

function extraRequests(): fc.Arbitrary<Unsigned> {
  return fc
    .record({
      method: fc.oneof({ weight: 4, arbitrary: fc.constant('GET') }, anyMethod),
      path: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...EXTRA_PATHS) }, pathTail),
      query: fc.array(fc.tuple(fc.oneof(segment, fc.constant('activeQueue')), hostileString), { maxLength: 2 }),
    })
    .map(({ method, path, query }): Unsigned => {
      const known = EXTRA_PATHS.some((p) => p.join('/') === path.join('/'));
      return {
        route: `extra /${known ? path.join('/') : '*'}`,
        kind: known && method === 'GET' ? 'valid' : 'invalid',
        method,
        segments: path,
        query,
        headers: {},
      };
    });
}

const withWho = (a: fc.Arbitrary<Unsigned>): fc.Arbitrary<FuzzRequest> =>
  fc
    .tuple(a, identity, contextHeaders)
    .map(([r, who, context]): FuzzRequest => ({ ...r, ...who, headers: { ...context, ...r.headers } }));

/** Requests through the gateway to gun-proxy. */
export const relayGatewayRequests = (): fc.Arbitrary<FuzzRequest> => withWho(relayRequests());
/** Requests through the gateway to apps/media, uploads among them. */
export const mediaGatewayRequests = (): fc.Arbitrary<FuzzRequest> => withWho(mediaRequests());
/** The routes the document does not list (memory, metrics, docs, dashboard) and paths nothing serves. */
export const extraRouteRequests = (): fc.Arbitrary<FuzzRequest> => withWho(extraRequests());
