// The hand-written layer against a loopback HTTP server standing in for a node: the base URL, the
// bearer token, the time bound, and errors carrying a code (the api's, or the client's own).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOipClient, OipClientErrorCodes, ok, type OipApiError } from '../src/index.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((done) => s.close(done));
  }
});

/** A loopback server answering with `handler`; what it received, in order. */
async function serve(handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(s);
      handler(req, res, s);
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function rejection(p: Promise<unknown>): Promise<OipApiError> {
  return p.then(
    () => {
      throw new Error('resolved, expected a rejection');
    },
    (err: unknown) => err as OipApiError,
  );
}

describe('createOipClient', () => {
  it('sends to the base URL (trailing slash dropped) with the JSON body and the bearer token', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, { success: true, token: 't2', publicKey: 'k' }));
    const oip = createOipClient({ baseUrl: `${url}/`, token: 'secret-token' });
    const answer = await ok(oip.POST('/api/user/login', { body: { email: 'a@example.org', password: 'pw' } }));
    expect(answer).toMatchObject({ token: 't2', publicKey: 'k' });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/api/user/login',
        authorization: 'Bearer secret-token',
        body: JSON.stringify({ email: 'a@example.org', password: 'pw' }),
      },
    ]);
  });

  it('reads a token function before each request; none sends no header; a request header wins', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, { records: [], searchResults: 0 }));
    const session: { token?: string } = {};
    const oip = createOipClient({ baseUrl: url, token: () => session.token });
    await ok(oip.GET('/api/records', { params: { query: { limit: '5' } } }));
    session.token = 'later';
    await ok(oip.GET('/api/records'));
    await ok(oip.GET('/api/records', { headers: { authorization: 'Bearer own' } }));
    expect(seen.map((s) => [s.url, s.authorization])).toEqual([
      ['/api/records?limit=5', undefined],
      ['/api/records', 'Bearer later'],
      ['/api/records', 'Bearer own'],
    ]);
  });
});

describe('ok', () => {
  it("throws the api's house error with its code, status and request id", async () => {
    const { url } = await serve((_req, res) =>
      json(res, 401, {
        error: { code: 'API_ERR_TOKEN_REQUIRED', message: 'Authentication token required' },
        requestId: 'req-7',
      }),
    );
    const err = await rejection(
      ok(createOipClient({ baseUrl: url }).POST('/api/records/deleteRecord', { body: { did: 'did:gun:x:y' } })),
    );
    expect([err.name, err.code, err.status, err.requestId]).toEqual([
      'OipApiError',
      'API_ERR_TOKEN_REQUIRED',
      401,
      'req-7',
    ]);
    expect(err.message).toBe(
      '/api/records/deleteRecord answered 401 API_ERR_TOKEN_REQUIRED: Authentication token required',
    );
  });

  it("takes the code of a legacy account refusal, and the x-error-code header's when the body has none", async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/api/user/register')
        return json(res, 400, {
          success: false,
          error: 'User is already registered.',
          code: 'ACCOUNTS_ERR_DUPLICATE_EMAIL',
        });
      res.writeHead(502, { 'content-type': 'text/html', 'x-error-code': 'API_ERR_UPSTREAM' });
      res.end('<html>bad gateway</html>');
    });
    const oip = createOipClient({ baseUrl: url });
    const legacy = await rejection(ok(oip.POST('/api/user/register', { body: { email: 'a@b.c', password: 'p' } })));
    expect([legacy.code, legacy.status, legacy.body]).toEqual([
      'ACCOUNTS_ERR_DUPLICATE_EMAIL',
      400,
      { success: false, error: 'User is already registered.', code: 'ACCOUNTS_ERR_DUPLICATE_EMAIL' },
    ]);
    const page = await rejection(ok(oip.GET('/api/records')));
    expect([page.code, page.status, page.body]).toEqual(['API_ERR_UPSTREAM', 502, '<html>bad gateway</html>']);
  });

  it('gives CLIENT_ERR_HTTP_STATUS to an error answer without any code', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const err = await rejection(ok(createOipClient({ baseUrl: url }).GET('/api/records')));
    expect([err.code, err.status]).toEqual([OipClientErrorCodes.HTTP_STATUS, 503]);
  });
});

describe('failures before an answer', () => {
  it('a silent server: CLIENT_ERR_TIMEOUT after timeoutMs', async () => {
    const { url } = await serve(() => undefined);
    const oip = createOipClient({ baseUrl: url, timeoutMs: 300 });
    const t0 = Date.now();
    const err = await rejection(ok(oip.GET('/api/records')));
    expect([err.name, err.code]).toEqual(['OipRequestError', 'CLIENT_ERR_TIMEOUT']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("the caller's signal: CLIENT_ERR_ABORTED", async () => {
    const { url } = await serve(() => undefined);
    const controller = new AbortController();
    const call = ok(createOipClient({ baseUrl: url }).GET('/api/records', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    expect((await rejection(call)).code).toBe('CLIENT_ERR_ABORTED');
  });

  it('a closed port: CLIENT_ERR_REQUEST naming the cause', async () => {
    const { url } = await serve(() => undefined);
    await new Promise((done) => servers.pop()!.close(done));
    const err = await rejection(createOipClient({ baseUrl: url }).GET('/api/records'));
    expect([err.code, err.message]).toEqual(['CLIENT_ERR_REQUEST', 'GET /api/records: ECONNREFUSED']);
    expect(err.cause).toBeInstanceOf(TypeError);
  });
});
