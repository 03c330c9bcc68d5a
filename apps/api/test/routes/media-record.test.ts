// POST /api/media/createRecord against a media service on loopback that answers
// /api/media/:id/info by the caller's token (as apps/media does): the owner's record is published
// as newRecord would publish it; others get 403, unknown media 404, media down 502; the gateway
// never forwards createRecord itself.
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { publisherHash } from '@oip/records';
import { purgePrefix } from '@oip/queue-contracts';
import { Redis } from 'ioredis';
import { publisherKey, useApi } from '../helpers.js';
import { signToken } from '../jwt.js';

const PK_ALICE = publisherKey();
const PK_BOB = publisherKey();

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'media-record-secret-0123456789';
const mediaId = createHash('sha256').update('the bytes of a photo').digest('hex');
const alice = `Bearer ${signToken({ userId: 'u-a', email: 'alice@example.org', publicKey: PK_ALICE }, SECRET)}`;
const bob = `Bearer ${signToken({ userId: 'u-b', email: 'bob@example.org', publicKey: PK_BOB }, SECRET)}`;
const manifest = {
  mediaId,
  originalName: 'hill.jpg',
  mimeType: 'image/jpeg',
  fileSize: 20,
  httpUrl: `http://media.example/api/media/${mediaId}`,
  userPublicKey: PK_ALICE,
  accessLevel: 'public',
};

const start = useApi({ accountsFor: [alice, bob] });
let media: http.Server;
let mediaUrl: string;
const seen: string[] = [];
let app: FastifyInstance;
let prefix: string;

beforeEach(async () => {
  seen.length = 0;
  // Private-by-owner info, as apps/media answers it: the owner's token gets the manifest.
  media = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const own = req.headers.authorization === alice;
    const status = req.url === `/api/media/${mediaId}/info` ? (own ? 200 : 403) : 404;
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify(status === 200 ? manifest : { error: 'nope' }));
  });
  await new Promise<void>((r) => media.listen(0, '127.0.0.1', r));
  mediaUrl = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
  prefix = `t-media-${randomUUID().slice(0, 8)}`;
  ({ app } = await start([], {
    redisUrl: REDIS_URL,
    queuePrefix: prefix,
    jwtSecret: SECRET,
    mediaUrl,
    nodeId: 'aaaaaaaaaaaaaaaa',
  }));
});
afterEach(async () => {
  await new Promise((r) => media.close(r));
  const redis = new Redis(REDIS_URL);
  await purgePrefix(redis, prefix);
  await redis.quit();
});

const create = (authorization: string | undefined, body: object) =>
  app.inject({
    method: 'POST',
    url: '/api/media/createRecord',
    headers: authorization ? { authorization } : {},
    payload: body,
  });

describe('POST /api/media/createRecord', () => {
  it("publishes the owner's image record from the manifest, readable at once", async () => {
    const res = await create(alice, {
      mediaId,
      recordType: 'image',
      basicInfo: { name: 'Hill', tagItems: ['run'] },
      width: 640,
      height: 480,
    });
    expect(res.statusCode).toBe(200);
    const did = `did:gun:${publisherHash(PK_ALICE)}:media_${mediaId}`;
    expect(res.json()).toEqual({
      success: true,
      did,
      recordType: 'image',
      mediaId,
      storage: 'gun',
      encrypted: false,
      message: 'Image record created successfully',
    });
    const rec = (await app.inject(`/api/records/${encodeURIComponent(did)}`)).json();
    expect(rec.data.image).toEqual({
      // On the api's base (inject's Host is localhost:80), not media's own httpUrl.
      webUrl: `http://localhost:80/api/media/${mediaId}`,
      mediaId,
      filename: 'hill.jpg',
      size: 20,
      contentType: 'image/jpeg',
      width: 640,
      height: 480,
    });
    expect(rec.data.accessControl).toEqual({ access_level: 'public', owner_public_key: PK_ALICE });
    expect(rec.data.basic).toMatchObject({ name: 'Hill', tagItems: ['run'] });
    // Only the info lookup reached media: the gateway did not forward createRecord.
    expect(seen).toEqual([`GET /api/media/${mediaId}/info`]);
  });

  it('refuses others (403), unknown media (404), bad input (400), no token (401), media down (502)', async () => {
    const other = await create(bob, { mediaId, recordType: 'image' });
    expect([other.statusCode, other.json().error.code]).toEqual([403, 'API_ERR_MEDIA_FORBIDDEN']);
    const unknown = await create(alice, { mediaId: 'f'.repeat(64), recordType: 'video' });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'API_ERR_MEDIA_NOT_FOUND']);
    expect((await create(alice, { mediaId: '../etc/passwd', recordType: 'image' })).statusCode).toBe(400);
    expect((await create(alice, { mediaId, recordType: 'document' })).statusCode).toBe(400);
    expect((await create(undefined, { mediaId, recordType: 'image' })).statusCode).toBe(401);
    await new Promise((r) => media.close(r));
    media.closeAllConnections();
    const down = await create(alice, { mediaId, recordType: 'image' });
    expect([down.statusCode, down.json().error.code]).toEqual([502, 'API_ERR_UPSTREAM_UNAVAILABLE']);
    media = http.createServer();
  });
});
