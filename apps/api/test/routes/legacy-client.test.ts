// The calls the legacy node's own HTTP client (helpers/oipClient.js) makes, made the same way
// (same paths, query parameters and bodies; a real server on loopback) against our api: they
// must work unchanged and answer the fields that client reads.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { purgePrefix } from '@oip/queue-contracts';
import { Redis } from 'ioredis';
import { useApi } from '../helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `t-legacy-${randomUUID().slice(0, 8)}`;
const start = useApi();

/** The legacy client's request(): JSON body, Bearer token when it has one, params as a query string. */
class LegacyClient {
  token: string | null = null;
  constructor(readonly baseURL: string) {}
  async request(
    method: string,
    endpoint: string,
    data: unknown = null,
    params: Record<string, string | number> | null = null,
  ) {
    const qs = params
      ? `?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`
      : '';
    const res = await fetch(`${this.baseURL}${endpoint}${qs}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      ...(data ? { body: JSON.stringify(data) } : {}),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the legacy client reads its answers untyped
    const body = (await res.json()) as Record<string, any>;
    if (res.status >= 400)
      throw Object.assign(new Error(body['error']?.message ?? body['error']), {
        status: res.status,
        response: { status: res.status, data: body },
      });
    return body;
  }
  getRecord = (did: string, options = {}) => this.request('GET', '/api/records', null, { did, ...options });
  publishRecord = (recordData: unknown, o: { recordType: string; storage: string; localId?: string }) =>
    this.request(
      'POST',
      `/api/records/newRecord?${new URLSearchParams({ recordType: o.recordType, storage: o.storage, ...(o.localId ? { localId: o.localId } : {}) })}`,
      recordData,
    );
  deleteRecord = (did: string) => this.request('POST', '/api/records/deleteRecord', { did });
  getRecordTypes = () => this.request('GET', '/api/records/recordTypes');
  indexRecord = (record: unknown) => this.request('POST', '/api/records/index', record);
  getCreatorByAddress = (didAddress: string) =>
    this.request('GET', `/api/records/creator/${encodeURIComponent(didAddress)}`);
  register = (email: string, password: string) => this.request('POST', '/api/user/register', { email, password });
  login = (email: string, password: string) => this.request('POST', '/api/user/login', { email, password });
  health = () => this.request('GET', '/health');
  gunSyncStatus = () => this.request('GET', '/api/health/gun-sync');
  memoryStatus = () => this.request('GET', '/api/health/memory');
}

let app: FastifyInstance;
let client: LegacyClient;
// useApi closes the app after each test, so everything runs in one test.
beforeEach(async () => {
  ({ app } = await start([], {
    redisUrl: REDIS_URL,
    queuePrefix: prefix,
    jwtSecret: 'legacy-client-secret-0123456789',
  }));
  client = new LegacyClient(await app.listen({ port: 0, host: '127.0.0.1' }));
});
afterEach(async () => {
  const redis = new Redis(REDIS_URL);
  await purgePrefix(redis, prefix);
  await redis.quit();
});

describe('the legacy oipClient calls, unchanged', () => {
  it('register, login, publish, read with resolveDepth, record types, creator, index, delete, health', async () => {
    expect((await client.register('ops@example.org', 'operator password')).token).toEqual(expect.any(String));
    // Direct indexing is an admin's: granted on the node (`oip admin grant`), as an operator would.
    await app.accounts.setAdminByEmail('ops@example.org', true);
    const session = await client.login('ops@example.org', 'operator password');
    client.token = session['token'];
    const post = await client.publishRecord(
      { basic: { name: 'Hello from the legacy client', tagItems: ['hello'] }, post: { articleText: 'first' } },
      { recordType: 'post', storage: 'gun' },
    );
    expect(post).toMatchObject({
      did: expect.stringMatching(/^did:gun:[0-9a-f]{12}:h:[0-9a-f]{12}$/),
      soul: expect.any(String),
      storage: 'gun',
    });
    const read = await client.getRecord(post['did'], { resolveDepth: 1 });
    expect(read).toMatchObject({
      message: 'Records retrieved successfully',
      searchResults: 1,
      auth: { authenticated: true },
    });
    expect(read['records'][0].oip.did).toBe(post['did']);
    expect((await client.getRecordTypes())['recordTypes']).toEqual([{ recordType: 'post', count: 1 }]);
    const didAddress = read['records'][0].oip.creator.didAddress as string;
    expect((await client.getCreatorByAddress(didAddress))['creator']).toMatchObject({ data: { didAddress } });
    const indexed = await client.indexRecord({
      data: { basic: { name: 'Indexed directly' } },
      oip: {
        ver: '0.8.0',
        recordType: 'post',
        did: 'did:gun:0123456789ab:direct',
        didTx: 'did:gun:0123456789ab:direct',
        storage: 'gun',
        creator: { didAddress: 'did:gun:x', publicKey: 'pk-x' },
      },
    });
    expect(indexed).toMatchObject({ success: true, recordId: 'did:gun:0123456789ab:direct' });
    expect(await client.deleteRecord(post['did'])).toMatchObject({ success: true, did: post['did'] });
    await expect(client.getRecord(post['did'])).resolves.toMatchObject({ searchResults: 0 });

    // Health, gun-sync status and memory status.
    expect(await client.health()).toMatchObject({ status: 'OK' });
    expect(await client.gunSyncStatus()).toMatchObject({
      service: 'gun-sync',
      running: false,
      metrics: expect.objectContaining({ totalDiscovered: 0 }),
    });
    expect(await client.memoryStatus()).toMatchObject({
      memory: { heapUsed: expect.any(Number), rss: expect.any(Number) },
      heapStats: expect.any(Object),
    });
  });
});
