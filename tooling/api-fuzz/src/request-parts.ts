// Parts every generated request shares: who sends it (and the garbage credentials a stranger might
// send), headers that change what the api decides (Origin, Referer and Host choose organization
// membership; Range and conditional headers reach media), methods, and garbage content types.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { hostileString } from './hostile-values.js';
import type { Identity } from './fuzz-request.js';

const visibleAscii = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
/** Header-safe text (what an HTTP client lets through): printable ASCII. */
export const headerText = (maxLength = 40): fc.Arbitrary<string> => fc.string({ unit: visibleAscii, maxLength });

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const CLAIMS = b64url(
  JSON.stringify({
    userId: '00000000-0000-4000-8000-000000000000',
    email: 'mallory@example.org',
    publicKey: '02'.padEnd(66, 'a'),
    isAdmin: true,
    scope: 'full',
    tokenType: 'standard',
    iat: 1_700_000_000,
    exp: 4_102_444_800,
  }),
);
const HS256 = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
/** A well-formed token signed with a secret the node does not have, and one claiming alg none. */
const FORGED = `${HS256}.${CLAIMS}.${createHmac('sha256', 'not-the-node-secret-0123456789').update(`${HS256}.${CLAIMS}`).digest('base64url')}`;
const UNSIGNED = `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${CLAIMS}.`;

export const garbageAuthorization: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'bearer x.y.z',
    'Basic dXNlcjpwYXNz',
    'Token abc',
    `Bearer ${FORGED}`,
    `Bearer ${UNSIGNED}`,
    `Bearer ${'a'.repeat(6000)}`,
    `Bearer  ${FORGED}`,
    `Bearer ${FORGED}x`,
  ),
  headerText(60).map((t) => `Bearer ${t}`),
  headerText(60),
);

/** The identity of a request and, for `garbage`, the Authorization header it sends. */
export const identity: fc.Arbitrary<{ identity: Identity; garbageAuth?: string }> = fc
  .tuple(
    // Refused credentials stop a request at the auth check: a smaller share, so more reach the routes.
    fc.oneof(
      ...(
        [
          ['anonymous', 3],
          ['user', 3],
          ['admin', 2],
          ['garbage', 1],
          ['deleted', 1],
        ] as const
      ).map(([id, weight]) => ({ weight, arbitrary: fc.constant<Identity>(id) })),
    ),
    garbageAuthorization,
  )
  .map(([id, auth]) => (id === 'garbage' ? { identity: id, garbageAuth: auth } : { identity: id }));

/** Headers that change what the api decides: Origin/Referer/Host (organization membership), Accept. */
export const contextHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      origin: fc.constantFrom(
        'https://example.org',
        'https://app.example.org',
        'https://example.org.evil.com',
        'null',
        'http://127.0.0.1',
      ),
      referer: fc.constantFrom('https://example.org/page', 'https://evil.com/?https://example.org', 'not a url'),
      host: fc.constantFrom('example.org', 'app.example.org:3005', 'evil.com', '[::1]'),
      accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', 'garbage'),
    },
    { requiredKeys: [] },
  )
  .map((h) => Object.fromEntries(Object.entries(h)) as Record<string, string>);

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/** Any method a client might send, common ones first. */
export const anyMethod: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...METHODS) },
  fc.constantFrom('PROPFIND', 'FOO', 'get', 'MKCOL'),
);

/** Content types a JSON route must refuse or survive. */
export const garbageContentType: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    'multipart/form-data; boundary=',
    'application/json; charset=utf-16',
    'application/json; charset=nonsense',
    'application/jsonx',
    'application/json, text/plain',
    'application/octet-stream',
    'application/JSON',
    ';;;',
    '*/*',
    'text/json',
    'application/vnd.api+json',
  ),
  headerText(30),
);

/** Bodies that are not JSON, or not the JSON a route takes. */
export const notJsonBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '}',
    '[',
    'null',
    '[]',
    '"text"',
    '1e400',
    'true',
    '{"a":}',
    '{"__proto__":{"isAdmin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '\u0000',
    '\uFEFF{}',
    "{'single':1}",
    '{"a":1}{"b":2}',
  ),
  fc.string({ maxLength: 64 }),
  hostileString,
);
