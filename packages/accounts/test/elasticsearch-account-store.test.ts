import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACCOUNTS_INDEX_SCHEMA_VERSION,
  accountsIndexMappings,
  createElasticsearchAccountStore,
  type ElasticsearchAccountStore,
} from '../src/index.js';
import { makeAccount } from './helpers/accounts.js';
import { EsAccountsFake } from './helpers/es-accounts-fake.js';
import { codeOf } from './helpers/code-of.js';

describe('ElasticsearchAccountStore (requests and failures)', () => {
  const stores: ElasticsearchAccountStore[] = [];
  const servers: Server[] = [];
  const track = (s: ElasticsearchAccountStore): ElasticsearchAccountStore => {
    stores.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const srv of servers.splice(0)) await new Promise((r) => srv.close(r));
  });

  it('creates the index once, strict, with the schema version in _meta', async () => {
    const fake = new EsAccountsFake();
    const store = track(createElasticsearchAccountStore({ client: fake.client() }));
    await store.count();
    await store.count();
    expect(store.index).toBe('accounts');
    const idx = fake.indices.get('accounts');
    expect(idx?.mappings).toEqual(accountsIndexMappings);
    expect((idx?.mappings._meta as { accountsSchemaVersion: number }).accountsSchemaVersion).toBe(
      ACCOUNTS_INDEX_SCHEMA_VERSION,
    );
    expect(fake.seen.filter((r) => r.method === 'HEAD')).toHaveLength(1);
    expect(fake.seen.filter((r) => r.method === 'PUT' && r.path === '/accounts')).toHaveLength(1);
  });

  it('writes with the create API under _id = normalised email and waits for refresh', async () => {
    const fake = new EsAccountsFake();
    const store = track(createElasticsearchAccountStore({ client: fake.client(), index: 'acc' }));
    const account = makeAccount({ email: 'Erin@Example.com' });
    await store.create(account);
    const create = fake.calls().find((r) => r.path.includes('/_create/'));
    expect(create?.method).toBe('PUT');
    expect(create?.path).toBe('/acc/_create/erin@example.com');
    expect(create?.querystring).toEqual({ refresh: 'wait_for' });
    expect(create?.body).toEqual({ ...account, email: 'erin@example.com' });
    expect([...fake.indices.get('acc')!.docs.keys()]).toEqual(['erin@example.com']);
  });

  it('refuses an existing index that is not an accounts index, or is newer: ACCOUNTS_ERR_SCHEMA, checked again next call', async () => {
    const fake = new EsAccountsFake();
    fake.indices.set('accounts', { mappings: { properties: { did: { type: 'keyword' } } }, docs: new Map() });
    const store = track(createElasticsearchAccountStore({ client: fake.client() }));
    expect(await codeOf(store.count())).toBe('ACCOUNTS_ERR_SCHEMA');
    fake.indices.get('accounts')!.mappings = {
      ...accountsIndexMappings,
      _meta: { accountsSchemaVersion: ACCOUNTS_INDEX_SCHEMA_VERSION + 1 },
    };
    expect(await codeOf(store.count())).toBe('ACCOUNTS_ERR_SCHEMA');
    fake.indices.get('accounts')!.mappings = { ...accountsIndexMappings };
    expect(await store.count()).toBe(0);
  });

  it('adds the fields of a newer schema to a version 1 index in place; old documents read custody null and the v3 defaults', async () => {
    const fake = new EsAccountsFake();
    const {
      custody: _custody,
      tokenStamp: _stamp,
      calendarTokenHash: _hash,
      calendarTokenCreatedAt: _at,
      subscriptionStatus: _sub,
      paymentStatus: _pay,
      ...v1Properties
    } = accountsIndexMappings.properties;
    fake.indices.set('accounts', {
      mappings: { dynamic: 'strict', _meta: { accountsSchemaVersion: 1 }, properties: v1Properties },
      docs: new Map(),
    });
    const full = makeAccount({ email: 'old@example.com' });
    const {
      custody: _none,
      tokenStamp: _s,
      calendarTokenHash: _h,
      calendarTokenCreatedAt: _c,
      subscriptionStatus: _u,
      paymentStatus: _p,
      ...v1Doc
    } = full;
    fake.indices.get('accounts')!.docs.set('old@example.com', { source: v1Doc, version: 1 });
    const store = track(createElasticsearchAccountStore({ client: fake.client() }));
    expect(await store.findByEmail('old@example.com')).toEqual(full);
    expect((await store.setStatus(v1Doc.id, { subscriptionStatus: 'active' }))?.subscriptionStatus).toBe('active');
    expect(fake.indices.get('accounts')?.mappings).toEqual(accountsIndexMappings);
    expect((await store.setCustody(v1Doc.id, 'sealed'))?.custody).toBe('sealed');
    expect((await store.findById(v1Doc.id))?.custody).toBe('sealed');
  });

  it('maps 503 and 429 to ACCOUNTS_ERR_STORE_UNAVAILABLE and 500 to ACCOUNTS_ERR_STORE', async () => {
    const fake = new EsAccountsFake();
    const store = track(createElasticsearchAccountStore({ client: fake.client() }));
    await store.count();
    fake.failWith = { status: 503, type: 'unavailable_shards_exception' };
    expect(await codeOf(store.findByEmail('a@example.com'))).toBe('ACCOUNTS_ERR_STORE_UNAVAILABLE');
    fake.failWith = { status: 429, type: 'es_rejected_execution_exception' };
    expect(await codeOf(store.create(makeAccount()))).toBe('ACCOUNTS_ERR_STORE_UNAVAILABLE');
    fake.failWith = { status: 500, type: 'exception' };
    expect(await codeOf(store.findById('x'))).toBe('ACCOUNTS_ERR_STORE');
    fake.failWith = undefined;
    expect(await store.count()).toBe(0);
  });

  it('leaves an injected client open on close', async () => {
    const fake = new EsAccountsFake();
    const client = fake.client();
    const store = createElasticsearchAccountStore({ client });
    await store.create(makeAccount());
    await store.close();
    expect((await client.count({ index: 'accounts' })).count).toBe(1);
  });

  it('builds its own bounded client from { url, username, password } and sends basic auth over real HTTP', async () => {
    const seen: Array<{ method: string; url: string; auth: string | undefined }> = [];
    const server = createServer((req: IncomingMessage, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization });
      req.resume();
      const json = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'HEAD' && req.url?.startsWith('/accounts')) return json(200, {});
      if (req.method === 'GET' && req.url?.startsWith('/accounts/_mapping'))
        return json(200, { accounts: { mappings: accountsIndexMappings } });
      if (req.url?.startsWith('/accounts/_count')) return json(200, { count: 7 });
      return json(400, { error: { type: 'unexpected', reason: `${req.method} ${req.url}` }, status: 400 });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const store = track(
      createElasticsearchAccountStore({
        url: `http://127.0.0.1:${port}`,
        username: 'oip',
        password: 's3cret',
        maxRetries: 0,
      }),
    );
    expect(await store.count()).toBe(7);
    expect(seen.map((r) => r.method)).toEqual(['HEAD', 'GET', expect.stringMatching(/^(GET|POST)$/u)]);
    expect(new Set(seen.map((r) => r.auth))).toEqual(
      new Set([`Basic ${Buffer.from('oip:s3cret').toString('base64')}`]),
    );
    await store.close();
    expect(await codeOf(store.count())).toBe('ACCOUNTS_ERR_CLOSED');
  });

  it('answers ACCOUNTS_ERR_STORE_UNAVAILABLE when nothing listens at the url', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    const store = track(
      createElasticsearchAccountStore({ url: `http://127.0.0.1:${port}`, maxRetries: 0, requestTimeoutMs: 2000 }),
    );
    expect(await codeOf(store.findByEmail('a@example.com'))).toBe('ACCOUNTS_ERR_STORE_UNAVAILABLE');
  });
});
