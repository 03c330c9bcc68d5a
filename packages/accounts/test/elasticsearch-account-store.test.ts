// The Elasticsearch account store on a real node (index creation, the create API, schema checks
// and upgrades), and over a loopback HTTP server where a test needs an answer a node does not
// give at a chosen moment (503, 429, 500) or must see the requests' headers.
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACCOUNTS_INDEX_SCHEMA_VERSION,
  accountsIndexMappings,
  createElasticsearchAccountStore,
  type ElasticsearchAccountStore,
} from '../src/index.js';
import { makeAccount } from './helpers/accounts.js';
import { codeOf } from './helpers/code-of.js';
import {
  adminClient,
  dropIndex,
  elasticsearchUrl,
  noElasticsearch,
  uniqueIndex,
} from './helpers/real-elasticsearch.js';

const stores: ElasticsearchAccountStore[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
const track = (s: ElasticsearchAccountStore): ElasticsearchAccountStore => {
  stores.push(s);
  return s;
};
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const c of cleanups.splice(0)) await c();
});

describe.skipIf(noElasticsearch)('ElasticsearchAccountStore on a real node', () => {
  function fresh(): { index: string; admin: ReturnType<typeof adminClient> } {
    const index = uniqueIndex();
    const admin = adminClient();
    cleanups.push(
      () => dropIndex(index),
      () => admin.close(),
    );
    return { index, admin };
  }
  const mappingOf = async (admin: ReturnType<typeof adminClient>, index: string): Promise<unknown> =>
    ((await admin.indices.getMapping({ index })) as Record<string, { mappings: unknown }>)[index]!.mappings;

  it('creates the index once, strict, one shard, with the schema version in _meta', async () => {
    const { index, admin } = fresh();
    const a = track(createElasticsearchAccountStore({ url: elasticsearchUrl!, index }));
    const b = track(createElasticsearchAccountStore({ url: elasticsearchUrl!, index }));
    expect(await Promise.all([a.count(), b.count(), a.count()])).toEqual([0, 0, 0]);
    expect(await mappingOf(admin, index)).toEqual(accountsIndexMappings);
    const settings = (await admin.indices.getSettings({ index, flat_settings: true })) as Record<
      string,
      { settings: Record<string, unknown> }
    >;
    expect(settings[index]!.settings['index.number_of_shards']).toBe('1');
    // Strict: a stray field is refused by the node.
    await expect(admin.index({ index, id: 'x', document: { stray: 1 } })).rejects.toMatchObject({
      meta: { statusCode: 400 },
    });
  });

  it('writes with the create API under _id = normalised email, visible to lookups at once', async () => {
    const { index, admin } = fresh();
    const store = track(createElasticsearchAccountStore({ url: elasticsearchUrl!, index }));
    const account = makeAccount({ email: 'Erin@Example.com' });
    await store.create(account);
    const doc = await admin.get({ index, id: 'erin@example.com' });
    expect(doc._source).toEqual({ ...account, email: 'erin@example.com' });
    // findById is a search: it sees the write without waiting for a refresh interval.
    expect((await store.findById(account.id))?.email).toBe('erin@example.com');
    expect(await codeOf(store.create(makeAccount({ email: 'erin@EXAMPLE.com' })))).toBe('ACCOUNTS_ERR_DUPLICATE_EMAIL');
  });

  it('refuses an existing index that is not an accounts index, or is newer: ACCOUNTS_ERR_SCHEMA, checked again next call', async () => {
    const { index, admin } = fresh();
    await admin.indices.create({ index, mappings: { properties: { did: { type: 'keyword' } } } });
    const store = track(createElasticsearchAccountStore({ url: elasticsearchUrl!, index }));
    expect(await codeOf(store.count())).toBe('ACCOUNTS_ERR_SCHEMA');
    await admin.indices.delete({ index });
    await admin.indices.create({
      index,
      mappings: { ...accountsIndexMappings, _meta: { accountsSchemaVersion: ACCOUNTS_INDEX_SCHEMA_VERSION + 1 } },
    });
    expect(await codeOf(store.count())).toBe('ACCOUNTS_ERR_SCHEMA');
    await admin.indices.putMapping({ index, _meta: accountsIndexMappings._meta });
    expect(await store.count()).toBe(0);
  });

  it('adds the fields of a newer schema to a version 1 index in place; old documents read custody null and the v3 defaults', async () => {
    const { index, admin } = fresh();
    const {
      custody: _custody,
      tokenStamp: _stamp,
      calendarTokenHash: _hash,
      calendarTokenCreatedAt: _at,
      subscriptionStatus: _sub,
      paymentStatus: _pay,
      ...v1Properties
    } = accountsIndexMappings.properties;
    await admin.indices.create({
      index,
      mappings: { dynamic: 'strict', _meta: { accountsSchemaVersion: 1 }, properties: v1Properties },
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
    await admin.index({ index, id: 'old@example.com', document: v1Doc, refresh: true });
    const store = track(createElasticsearchAccountStore({ url: elasticsearchUrl!, index }));
    expect(await store.findByEmail('old@example.com')).toEqual(full);
    expect((await store.setStatus(v1Doc.id, { subscriptionStatus: 'active' }))?.subscriptionStatus).toBe('active');
    expect(await mappingOf(admin, index)).toEqual(accountsIndexMappings);
    expect((await store.setCustody(v1Doc.id, 'sealed'))?.custody).toBe('sealed');
    expect((await store.findById(v1Doc.id))?.custody).toBe('sealed');
  });

  it('leaves an injected client open on close', async () => {
    const { index, admin } = fresh();
    const store = createElasticsearchAccountStore({ client: admin, index });
    await store.create(makeAccount());
    await store.close();
    expect((await admin.count({ index })).count).toBe(1);
  });
});

/** A loopback HTTP server answering as an Elasticsearch node would, through `answer`. */
async function fakeNode(
  answer: (req: IncomingMessage, json: (status: number, body: unknown) => void) => void,
): Promise<string> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    answer(req, (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(body));
    });
  });
  cleanups.push(() => new Promise((r) => server.close(r)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('ElasticsearchAccountStore over loopback HTTP (answers at a chosen moment)', () => {
  it('maps 503 and 429 to ACCOUNTS_ERR_STORE_UNAVAILABLE and 500 to ACCOUNTS_ERR_STORE', async () => {
    let failWith: { status: number; type: string } | undefined;
    const url = await fakeNode((req, json) => {
      if (req.method === 'HEAD' && req.url?.startsWith('/accounts')) return json(200, {});
      if (req.url?.startsWith('/_cluster/health/accounts')) return json(200, { status: 'green', timed_out: false });
      if (req.method === 'GET' && req.url?.startsWith('/accounts/_mapping'))
        return json(200, { accounts: { mappings: accountsIndexMappings } });
      if (failWith !== undefined) {
        return json(failWith.status, { error: { type: failWith.type, reason: 'chosen' }, status: failWith.status });
      }
      if (req.url?.startsWith('/accounts/_count')) return json(200, { count: 0 });
      return json(400, { error: { type: 'unexpected', reason: `${req.method} ${req.url}` }, status: 400 });
    });
    const store = track(createElasticsearchAccountStore({ url, maxRetries: 0 }));
    expect(await store.count()).toBe(0);
    failWith = { status: 503, type: 'unavailable_shards_exception' };
    expect(await codeOf(store.findByEmail('a@example.com'))).toBe('ACCOUNTS_ERR_STORE_UNAVAILABLE');
    failWith = { status: 429, type: 'es_rejected_execution_exception' };
    expect(await codeOf(store.create(makeAccount()))).toBe('ACCOUNTS_ERR_STORE_UNAVAILABLE');
    failWith = { status: 500, type: 'exception' };
    expect(await codeOf(store.findById('x'))).toBe('ACCOUNTS_ERR_STORE');
    failWith = undefined;
    expect(await store.count()).toBe(0);
  });

  it('builds its own bounded client from { url, username, password } and sends basic auth', async () => {
    const seen: Array<{ method: string; auth: string | undefined }> = [];
    const url = await fakeNode((req, json) => {
      seen.push({ method: req.method ?? '', auth: req.headers.authorization });
      if (req.method === 'HEAD' && req.url?.startsWith('/accounts')) return json(200, {});
      if (req.url?.startsWith('/_cluster/health/accounts')) return json(200, { status: 'green', timed_out: false });
      if (req.method === 'GET' && req.url?.startsWith('/accounts/_mapping'))
        return json(200, { accounts: { mappings: accountsIndexMappings } });
      if (req.url?.startsWith('/accounts/_count')) return json(200, { count: 7 });
      return json(400, { error: { type: 'unexpected', reason: `${req.method} ${req.url}` }, status: 400 });
    });
    const store = track(createElasticsearchAccountStore({ url, username: 'oip', password: 's3cret', maxRetries: 0 }));
    expect(await store.count()).toBe(7);
    expect(seen.map((r) => r.method)).toEqual(['HEAD', 'GET', 'GET', expect.stringMatching(/^(GET|POST)$/u)]);
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
