// The OpenAPI document the api serves at /docs/json: it passes the lint (Redocly's recommended
// rules and ours: a summary and a success response schema on every operation), and what it says
// about auth is what the routes do: an operation that refuses a request without a token (401
// API_ERR_TOKEN_REQUIRED) declares a required bearer token, one that reads a token when given
// (403 for a bad one) declares bearer auth, and one that declares neither reads no token at all.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PROXIED_PATHS } from '../src/schemas/proxied.js';
import { usePurgedPrefixes, useApi } from './helpers.js';
import { lintOpenapi } from './openapi-lint.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const start = useApi();
const prefixes = usePurgedPrefixes(REDIS_URL);

interface Operation {
  summary?: string;
  security?: Array<Record<string, string[]>>;
  responses: Record<string, unknown>;
}
type Doc = { paths: Record<string, Record<string, Operation>> };

const SAMPLE_PARAMS: Readonly<Record<string, string>> = {
  did: 'did:gun:647f79c2a338:post_1',
  didAddress: 'did:arweave:u4x2',
  mediaId: 'a'.repeat(64),
};
const urlOf = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(SAMPLE_PARAMS[name] ?? 'x'));

async function servedDocument() {
  const prefix = `t-openapi-${randomUUID().slice(0, 8)}`;
  prefixes.push(prefix);
  const { app } = await start([], { queuePrefix: prefix, jwtSecret: 'openapi-test-secret-0123456789abcdef' });
  const res = await app.inject('/docs/json');
  expect(res.statusCode).toBe(200);
  return { app, doc: res.json() as Doc };
}

/** The operations the api's own routes answer (the gateway's upstreams answer the proxied ones, /admin/queues aside). */
function ownOperations(doc: Doc): Array<{ method: string; path: string; op: Operation }> {
  const out: Array<{ method: string; path: string; op: Operation }> = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (Object.hasOwn(PROXIED_PATHS, path) && path !== '/admin/queues') continue;
    for (const [method, op] of Object.entries(item)) out.push({ method: method.toUpperCase(), path, op });
  }
  return out;
}

describe('the OpenAPI document', () => {
  it('passes the lint: Redocly recommended, a summary and a success response schema on every operation', async () => {
    const { doc } = await servedDocument();
    expect(await lintOpenapi(doc)).toEqual([]);
    // The routes the gateway, memory-guard and bull-board serve are listed too.
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/media/upload',
        '/api/media/{mediaId}',
        '/gun-relay/get',
        '/metrics',
        '/admin/queues',
        '/api/records/newRecord',
      ]),
    );
  });

  it('declares the security each route enforces', async () => {
    const { app, doc } = await servedDocument();
    const operations = ownOperations(doc);
    expect(operations.length).toBeGreaterThan(30);
    const mismatches: string[] = [];
    for (const { method, path, op } of operations) {
      const declared = op.security ?? [];
      const required = declared.length > 0 && !declared.some((s) => Object.keys(s).length === 0);
      const bare = await app.inject({ method, url: urlOf(path) });
      const demandsToken = bare.statusCode === 401 && bare.headers['x-error-code'] === 'API_ERR_TOKEN_REQUIRED';
      if (demandsToken !== required)
        mismatches.push(`${method} ${path}: required ${required}, answered ${bare.statusCode}`);
      const bad = await app.inject({ method, url: urlOf(path), headers: { authorization: 'Bearer not.a.token' } });
      const readsToken = bad.statusCode === 403 && bad.headers['x-error-code'] === 'API_ERR_TOKEN_INVALID';
      if (readsToken !== declared.length > 0)
        mismatches.push(
          `${method} ${path}: security ${JSON.stringify(declared)}, a bad token answered ${bad.statusCode}`,
        );
    }
    expect(mismatches).toEqual([]);
  });

  it('says register answers 201, as it does', async () => {
    const { app, doc } = await servedDocument();
    expect(Object.keys(doc.paths['/api/user/register']!['post']!.responses)).toContain('201');
    expect(doc.paths['/api/user/register']!['post']!.responses).not.toHaveProperty('200');
    const res = await app.inject({
      method: 'POST',
      url: '/api/user/register',
      payload: { email: `openapi-${randomUUID()}@example.org`, password: 'Correct-horse-battery-staple-9' },
    });
    expect(res.statusCode).toBe(201);
    // Every field the route answers survives its response schema's serializer.
    expect(Object.keys(res.json()).sort()).toEqual(['message', 'mnemonic', 'publicKey', 'success', 'token']);
  });
});

describe('the OpenAPI lint', () => {
  const fixture = (operation: Record<string, unknown>) => ({
    openapi: '3.1.0',
    info: { title: 'fixture', version: '1.0.0', license: { name: 'MIT', identifier: 'MIT' } },
    servers: [{ url: '/' }],
    paths: { '/things': { get: { operationId: 'listThings', ...operation } } },
  });
  const withSchema = {
    '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
    '400': { description: 'bad', content: { 'application/json': { schema: { type: 'object' } } } },
  };

  it('passes a fixture whose operation has a summary and a success response schema', async () => {
    expect(await lintOpenapi(fixture({ summary: 'List things', responses: withSchema }))).toEqual([]);
  });

  it('fails an operation whose success response has no schema', async () => {
    const problems = await lintOpenapi(
      fixture({ summary: 'List things', responses: { ...withSchema, '200': { description: 'ok' } } }),
    );
    expect(problems).toEqual([
      expect.objectContaining({ rule: 'oip/operation-success-schema', message: 'Response 200 has no schema' }),
    ]);
  });

  it('fails an operation with no success response, and one without a summary', async () => {
    const noSuccess = await lintOpenapi(fixture({ summary: 'List things', responses: { '400': withSchema['400'] } }));
    expect(noSuccess.map((p) => p.rule)).toEqual(['oip/operation-success-schema']);
    const noSummary = await lintOpenapi(fixture({ responses: withSchema }));
    expect(noSummary.map((p) => p.rule)).toEqual(['operation-summary']);
  });
});
