// Input keyed into lookups (sort fields, field paths, record types) or that JSON cannot carry,
// through app.inject() on the real SQLite store and Redis: each answers a 400 with a stable code,
// or a correct 200 where the legacy node accepts it; never a 500.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { purgePrefix } from '@oip/queue-contracts';
import { Redis } from 'ioredis';
import { publisherKey, rec, useApi, type TestApi } from '../helpers.js';
import { signToken } from '../jwt.js';

const PK_ALICE = publisherKey();
const PK_ADMIN = publisherKey();

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'bad-input-test-secret-0123456789';
const alice = `Bearer ${signToken({ userId: 'u-alice', email: 'alice@example.org', publicKey: PK_ALICE }, SECRET)}`;
const admin = `Bearer ${signToken({ userId: 'u-admin', email: 'admin@example.org', publicKey: PK_ADMIN, isAdmin: true }, SECRET)}`;
const start = useApi({ accountsFor: [alice, admin] });
const HILL = 'did:gun:ab12cd34ef56:hill';

let api: TestApi;
let app: FastifyInstance;
let prefix: string;
let redis: Redis;

beforeEach(async () => {
  prefix = `t-bad-${randomUUID().slice(0, 8)}`;
  api = await start([rec('ab12cd34ef56:hill', 'workout', { total_duration_minutes: 20 }, { name: 'Hill sprints' })], {
    redisUrl: REDIS_URL,
    queuePrefix: prefix,
    jwtSecret: SECRET,
    writeRateLimit: 1000,
  });
  app = api.app;
  redis = new Redis(REDIS_URL);
});
afterEach(async () => {
  await purgePrefix(redis, prefix);
  await redis.quit();
});

const q = (o: Record<string, unknown>) => encodeURIComponent(JSON.stringify(o));

describe('GET /api/records with names of Object.prototype members', () => {
  const rows: Array<[url: string, param: string]> = [
    ['/api/records?fieldName=__proto__.x&fieldSearch=1', 'fieldName'],
    ['/api/records?fieldName=constructor&fieldSearch=1', 'fieldName'],
    ['/api/records?fieldName=data.workout.prototype&fieldSearch=1', 'fieldName'],
    [`/api/records?exactMatch=${q({ 'data.__proto__.x': 1 })}`, 'exactMatch'],
    [`/api/records?exactMatch=${q({ 'oip.constructor': 'x' })}`, 'exactMatch'],
    [`/api/records?exactMatch=${encodeURIComponent('{"__proto__":{"x":1}}')}`, 'exactMatch'],
  ];
  it.each(rows)('%s → 400 API_ERR_INVALID_QUERY naming %s', async (url, param) => {
    const res = await app.inject(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'API_ERR_INVALID_QUERY',
      message: expect.stringContaining(`parameter ${param}:`),
    });
  });
});

describe('GET /api/records with sortBy naming Object.prototype members', () => {
  // Unknown sortBy values fall back to the default order as legacy's do (issue 25), header and
  // all, never reaching a prototype member.
  it.each([['toString:asc'], ['__proto__:asc'], ['constructor:desc'], ['hasOwnProperty'], ['valueOf:asc']])(
    'sortBy=%s → 200 in the default order, saying so in x-oip-sort-fallback',
    async (sortBy) => {
      const res = await app.inject(`/api/records?sortBy=${sortBy}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-oip-sort-fallback']).toBe(
        `sortBy=${sortBy} is not a sort legacy knows; inArweaveBlock:desc`,
      );
      expect(res.json().records.map((r: { oip: { did: string } }) => r.oip.did)).toEqual([HILL]);
    },
  );
});

describe('GET /api/records with sortBy outside printable ASCII', () => {
  // Found by the api fuzz: the value echoed in x-oip-sort-fallback made Node refuse the header (500).
  it.each([
    ['%C4%80', 'Ā'],
    ['%F0%9D%94%B9:asc', '𝔹:asc'],
    ['a%0Db', 'a\rb'],
    ['%7F', '\x7f'],
  ])(
    'sortBy=%s → 200 in the default order, the value percent-encoded in x-oip-sort-fallback',
    async (query, sortBy) => {
      const res = await app.inject(`/api/records?sortBy=${query}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-oip-sort-fallback']).toBe(
        `sortBy=${encodeURIComponent(sortBy)} is not a sort legacy knows; inArweaveBlock:desc`,
      );
    },
  );
});

describe('GET /api/records with control characters in search', () => {
  // A NUL (or any control character) separates search terms, as whitespace does.
  it.each([['hill%00sprints'], ['sprints%00'], ['%00hill%07']])(
    'search=%s → 200 with the matching record',
    async (search) => {
      const res = await app.inject(`/api/records?search=${search}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().records.map((r: { oip: { did: string } }) => r.oip.did)).toEqual([HILL]);
    },
  );

  it.each([
    ['tags=a%00b'],
    ['fieldName=workout.name&fieldSearch=a%00b'],
    ['creatorHandle=%00'],
    ['exerciseNames=a%00b'],
  ])('%s → 200, no match', async (query) => {
    const res = await app.inject(`/api/records?${query}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().records).toEqual([]);
  });
});

const publish = (recordType: string, payload: string) =>
  app.inject({
    method: 'POST',
    url: `/api/records/newRecord?recordType=${recordType}&storage=gun`,
    headers: { authorization: alice, 'content-type': 'application/json' },
    payload,
  });

describe('POST /api/records/newRecord with a recordType named like an Object.prototype member', () => {
  // The legacy node publishes any record type to GUN: these are ordinary (unknown) types.
  it.each([['constructor'], ['toString'], ['hasOwnProperty'], ['valueOf']])(
    'recordType=%s → 200, readable by its type',
    async (recordType) => {
      const res = await publish(recordType, JSON.stringify({ basic: { name: `a ${recordType}` } }));
      expect(res.statusCode).toBe(200);
      expect(res.json().recordToIndex.oip.recordType).toBe(recordType);
      const read = await app.inject(`/api/records?recordType=${recordType}`);
      expect(read.json().records.map((r: { data: { basic: { name: string } } }) => r.data.basic.name)).toEqual([
        `a ${recordType}`,
      ]);
      const types = (await app.inject('/api/records/recordTypes')).json().recordTypes as Array<{
        recordType: string;
        count: unknown;
      }>;
      expect(types.find((t) => t.recordType === recordType)).toEqual({ recordType, count: 1 });
    },
  );
});

describe('JSON bodies with numbers that overflow to Infinity, or nested too deep', () => {
  const deep = `{"basic":{"name":"deep"},"workout":{"x":${'['.repeat(100)}${']'.repeat(100)}}}`;
  const rows: Array<[name: string, payload: string, code: string, message: string]> = [
    [
      '1e400 in a free field',
      '{"basic":{"name":"x"},"workout":{"note":1e400}}',
      'API_JSON_NUMBER_NOT_FINITE',
      'at $.workout.note ',
    ],
    [
      '-1e400 in an array',
      '{"basic":{"name":"x","tagItems":["a"]},"workout":{"laps":[1,-1e400]}}',
      'API_JSON_NUMBER_NOT_FINITE',
      'at $.workout.laps.1 ',
    ],
    [
      '1e400 in a known field',
      '{"basic":{"name":"x"},"workout":{"total_duration_minutes":1e400}}',
      'API_JSON_NUMBER_NOT_FINITE',
      'at $.workout.total_duration_minutes ',
    ],
    ['nesting past 64 levels', deep, 'API_JSON_TOO_DEEP', 'deeper than 64 levels'],
    ['an own __proto__ key', '{"basic":{"name":"x","__proto__":{"a":1}}}', 'API_INVALID_JSON', 'not valid JSON'],
  ];
  it.each(rows)('newRecord, %s → 400', async (_name, payload, code, message) => {
    const res = await publish('workout', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code, message: expect.stringContaining(message) });
    expect(await api.store.count()).toBe(1);
  });

  it('index (admin), 1e400 in a free field → 400 and nothing stored', async () => {
    const did = 'did:gun:ab12cd34ef56:inf';
    const payload = `{"data":{"basic":{"name":"x"},"workout":{"note":1e400}},"oip":{"did":"${did}","recordType":"workout","creator":{"publicKey":"${PK_ADMIN}","didAddress":"did:arweave:a"}}}`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/records/index',
      headers: { authorization: admin, 'content-type': 'application/json' },
      payload,
    });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'API_JSON_NUMBER_NOT_FINITE']);
    expect(await api.store.get(did)).toBeNull();
  });

  it('a large finite number is published as it was sent', async () => {
    const res = await publish('workout', '{"basic":{"name":"big"},"workout":{"note":1e300}}');
    expect(res.statusCode).toBe(200);
    expect((await api.store.get(res.json().did))?.data['workout']).toEqual({ note: 1e300 });
  });
});
