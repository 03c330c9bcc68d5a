// Issue 27's acceptance through the umbrella: a legacy node, made as legacy makes it, on the real
// Elasticsearch 7.17.8 of LEGACY_ELASTICSEARCH_URL (a `users` index of users registered by legacy's schemes,
// @oip/test-kit legacyUserDocument; a `records` index with legacy's mapping holding Arweave
// exercises, one without oip.did, and GUN workouts with their drefs, one private) and a legacy
// MEDIA_DIR on disk (an upload and its web-setup copy, legacy routes/media.js:88-147, 615-637).
// `node scripts/oip.mjs migrate --from-elasticsearch … --from-media …` (accounts, records, media,
// the built apps' CLIs as processes) moves it into a node of ours (SQLite store and a media dir in
// a temp dir); then the api and the media service on real ports: the migrated user logs in with
// the old password and keeps the publisher key, sees their private record, a workout's exercise
// drefs resolve at resolveDepth=2, source=arweave lists the Arweave records, the private upload
// streams to its owner only and the web file is at its legacy URL; a second run writes nothing.
// Every index made is deleted.
import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisherKeys } from '@oip/accounts';
import { buildApp as buildApi, parseConfig as parseApiConfig } from '@oip/api';
import { startFakeRelay } from '@oip/fake-relay';
import { buildApp as buildMedia, parseConfig as parseMediaConfig } from '@oip/media';
import {
  createLegacyUsersIndex,
  dropElasticsearchIndex,
  legacyArweaveSource,
  legacyGunSource,
  legacyIndexBody,
  legacyUserDocument,
  runNode,
} from '@oip/test-kit';

// The legacy node's own Elasticsearch version (7.17.8), which the test command starts beside ours.
const ES = process.env['LEGACY_ELASTICSEARCH_URL'] || undefined;
if (ES === undefined && process.env['CI']) throw new Error('LEGACY_ELASTICSEARCH_URL is not set: CI runs this suite');

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const SECRET = 'migrate-legacy-node-secret-0123456789';
const PASSWORD = 'alice legacy password';
const run = randomUUID().slice(0, 8);
const usersIndex = `oip-migrate-${run}-users`;
const recordsIndex = `oip-migrate-${run}-records`;
const alice = createPublisherKeys();
const PUB = createHash('sha256').update(alice.publicKey).digest('hex').slice(0, 12);

/** The legacy node's `records` index creation (helpers/elasticsearch.js ensureIndexExists). */
const LEGACY_RECORDS = legacyIndexBody('records');

const basic = (name: string) => ({ name, description: `${name}.`, date: 1730505600, language: 'en', tagItems: [] });

const COACH = {
  creatorHandle: 'coach',
  didAddress: 'did:arweave:coachAddr',
  didTx: 'did:arweave:coachReg',
  publicKey: 'pk-coach',
};

/** An Arweave record as legacy's processNewRecord indexed it (no storage; the oldest without oip.did). */
function arweaveDoc(tx: string, recordType: string, category: Record<string, unknown>, withDid = true) {
  const did = `did:arweave:${tx}`;
  const source = legacyArweaveSource({
    did,
    recordType,
    data: { basic: basic(`${recordType} ${tx}`), [recordType]: category },
    creator: COACH,
    inArweaveBlock: 1_500_000,
    indexedAt: '2024-06-01T10:00:00.000Z',
    templates: { basic: 'tplBasic', [recordType]: `tpl-${recordType}` },
    withDid,
  });
  return { id: did, source };
}

/** A GUN record of Alice's as the legacy sync indexed it (storage gun, did = didTx = did:gun:<soul>). */
function gunDoc(
  local: string,
  recordType: string,
  category: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const did = `did:gun:${PUB}:${local}`;
  const source = legacyGunSource({
    did,
    recordType,
    data: { basic: basic(`${recordType} ${local}`), [recordType]: category, ...extra },
    creator: { creatorHandle: 'alice', didAddress: 'did:arweave:aliceAddr', publicKey: alice.publicKey },
    indexedAt: '2024-11-02T10:00:00.000Z',
  });
  return { id: did, source };
}

const RECORDS = [
  arweaveDoc('EX1', 'exercise', { instructions: ['Lower', 'Push'], muscleGroups: ['chest'], exercise_type: 'Main' }),
  arweaveDoc('EX2', 'exercise', { instructions: ['Pull'], muscleGroups: ['back'], exercise_type: 'Main' }, false),
  gunDoc('push-day', 'workout', {
    total_duration_minutes: 45,
    exercise: ['did:arweave:EX1', 'did:arweave:EX2'],
    exercise_amount: [3, 3],
  }),
  gunDoc(
    'diary',
    'post',
    { articleText: 'only for me' },
    { accessControl: { access_level: 'private', owner_public_key: alice.publicKey } },
  ),
];

async function es(method: string, p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${ES}${p}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/x-ndjson' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok || json['errors'] === true) throw new Error(`Elasticsearch ${method} ${p}: ${JSON.stringify(json)}`);
  return json;
}

interface Run {
  code: number | null;
  out: string;
  err: string;
}

async function oipMigrate(args: string[], env: Record<string, string>): Promise<Run> {
  const r = await runNode([path.join(repo, 'scripts/oip.mjs'), 'migrate', ...args], {
    cwd: repo,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    timeoutMs: 180_000,
  });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

/** The JSON line a part printed with --json. */
const jsonOf = (r: Run): Record<string, unknown> =>
  JSON.parse(r.out.split('\n').find((l) => l.startsWith('{'))!) as Record<string, unknown>;

/** A record as /api/records lists it (the fields read here). */
interface Listed {
  oip: { did: string };
  data: Record<string, Record<string, unknown>>;
}

const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe.skipIf(ES === undefined)('oip migrate: a legacy node into ours', () => {
  let env: Record<string, string>;
  let legacyMedia: string;
  let dataDir: string;
  let mediaDir: string;
  const video = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 13) & 0xff));
  const mediaId = createHash('sha256').update(video).digest('hex');

  beforeAll(async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'migrate-legacy-node-'));
    cleanup.push(() => rm(tmp, { recursive: true, force: true }));
    dataDir = path.join(tmp, 'records');
    mediaDir = path.join(tmp, 'media');
    legacyMedia = path.join(tmp, 'legacy-media');

    cleanup.push(() => dropElasticsearchIndex(ES!, usersIndex));
    cleanup.push(() => dropElasticsearchIndex(ES!, recordsIndex));
    const user = await legacyUserDocument({ email: 'alice@example.org', password: PASSWORD, keys: alice });
    await createLegacyUsersIndex(ES!, usersIndex, [user]);
    await es('PUT', `/${recordsIndex}`, LEGACY_RECORDS);
    const lines = RECORDS.flatMap((d) => [JSON.stringify({ index: { _id: d.id } }), JSON.stringify(d.source)]);
    await es('POST', `/${recordsIndex}/_bulk?refresh=true`, `${lines.join('\n')}\n`);

    // Alice's private upload and her web-setup of it, as legacy wrote them.
    await mkdir(path.join(legacyMedia, mediaId), { recursive: true });
    await writeFile(path.join(legacyMedia, mediaId, 'original'), video);
    await writeFile(
      path.join(legacyMedia, mediaId, 'manifest.json'),
      JSON.stringify({
        mediaId,
        originalName: 'intro.mp4',
        mimeType: 'video/mp4',
        fileSize: video.length,
        magnetURI: '',
        infoHash: '',
        httpUrl: `https://legacy.example/api/media/${mediaId}`,
        createdAt: '2025-06-01T10:00:00.000Z',
        userPublicKey: alice.publicKey,
        accessLevel: 'private',
        webUrl: 'https://legacy.example/media/oip-arweave-indexer/intro.mp4',
      }),
    );
    await mkdir(path.join(legacyMedia, 'web', 'oip-arweave-indexer'), { recursive: true });
    await copyFile(
      path.join(legacyMedia, mediaId, 'original'),
      path.join(legacyMedia, 'web', 'oip-arweave-indexer', 'intro.mp4'),
    );

    // The records part's dead letters and queues live under this prefix: removed after.
    cleanup.push(async () => {
      const redis = new Redis(REDIS_URL, { lazyConnect: true });
      await redis.connect();
      try {
        const keys = await redis.keys(`t-migrate-e2e-${run}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    });
    env = {
      STORE_KIND: 'sqlite',
      STORE_DATA_DIR: dataDir,
      MEDIA_DATA_DIR: mediaDir,
      REDIS_URL,
      SYNC_QUEUE_PREFIX: `t-migrate-e2e-${run}`,
    };
  }, 60_000);

  const sources = () => [
    '--from-elasticsearch',
    ES!,
    '--users-index',
    usersIndex,
    '--records-index',
    recordsIndex,
    '--from-media',
    legacyMedia,
    '--no-build',
  ];

  it('moves accounts, records and media; the apps serve them; a second run writes nothing', async () => {
    const first = await oipMigrate(sources(), env);
    expect(first.code, `${first.out}\n${first.err}`).toBe(0);
    expect(first.out).toMatch(
      /\[oip\] migrate: summary\n\[oip\] {3}accounts: done\n\[oip\] {3}records: done\n\[oip\] {3}media: done\n/,
    );

    const relay = await startFakeRelay();
    cleanup.push(() => relay.close());
    const api: FastifyInstance = buildApi(
      parseApiConfig({
        store: { kind: 'sqlite', dataDir },
        relayUrl: relay.url,
        redisUrl: REDIS_URL,
        queuePrefix: `t-migrate-e2e-${run}`,
        jwtSecret: SECRET,
        logLevel: 'silent',
        maxEventLoopDelayMs: 0,
      }),
    );
    cleanup.push(() => api.close());
    const base = await api.listen({ host: '127.0.0.1', port: 0 });
    const media = buildMedia(
      parseMediaConfig({
        port: 0,
        mediaDir,
        jwtSecret: SECRET,
        logLevel: 'silent',
        relayPublish: false,
        maxEventLoopDelayMs: 0,
      }),
    );
    cleanup.push(() => media.close());
    const mediaBase = await media.listen({ host: '127.0.0.1', port: 0 });

    // The old password logs in, with the legacy publisher key.
    const login = await fetch(`${base}/api/user/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@example.org', password: PASSWORD }),
    });
    const session = (await login.json()) as { token?: string; publicKey?: string };
    expect([login.status, session.publicKey]).toEqual([200, alice.publicKey]);
    const auth = { authorization: `Bearer ${session.token}` };

    const records = async (query: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${base}/api/records?${query}`, { headers });
      expect(res.status, query).toBe(200);
      return ((await res.json()) as { records: Listed[] }).records;
    };
    // Her private record is hers alone.
    const diary = `did:gun:${PUB}:diary`;
    expect((await records('recordType=post', auth)).map((r) => r.oip.did)).toEqual([diary]);
    expect(await records('recordType=post')).toEqual([]);
    // The workout's exercise drefs resolve to the Arweave exercises.
    const [workout] = await records('recordType=workout&resolveDepth=2');
    const exercises = workout!.data['workout']!['exercise'] as Listed[];
    expect(exercises.map((e) => e.oip.did)).toEqual(['did:arweave:EX1', 'did:arweave:EX2']);
    expect(exercises[0]!.data['exercise']!['muscleGroups']).toEqual(['chest']);
    // source=arweave: the Arweave records only.
    const arweave = (await records('source=arweave&sortBy=date:asc')).map((r) => r.oip.did).sort();
    expect(arweave).toEqual(['did:arweave:EX1', 'did:arweave:EX2']);

    // The private upload streams to its owner (with a range and the content-hash ETag), to no one else.
    const own = await fetch(`${mediaBase}/api/media/${mediaId}`, { headers: { ...auth, range: 'bytes=100-199' } });
    expect([own.status, own.headers.get('etag')]).toEqual([206, `"${mediaId}"`]);
    expect(Buffer.from(await own.arrayBuffer()).equals(video.subarray(100, 200))).toBe(true);
    expect((await fetch(`${mediaBase}/api/media/${mediaId}`)).status).toBe(404);
    const web = await fetch(`${mediaBase}/media/oip-arweave-indexer/intro.mp4`);
    expect(web.status).toBe(200);
    expect(Buffer.from(await web.arrayBuffer()).equals(video)).toBe(true);

    // A second run, each part with its JSON report: nothing written.
    const es = ['--from-elasticsearch', ES!, '--index'];
    const accounts = await oipMigrate(['accounts', ...es, usersIndex, '--json'], env);
    expect(accounts.code, accounts.err).toBe(0);
    expect(jsonOf(accounts)['report']).toMatchObject({ read: 1, written: 0 });
    const again = await oipMigrate(['records', ...es, recordsIndex, '--json'], env);
    expect(again.code, again.err).toBe(0);
    expect(jsonOf(again)).toMatchObject({ totals: { read: RECORDS.length, written: 0, failed: 0 } });
    const files = await oipMigrate(['media', '--from-media', legacyMedia, '--json'], env);
    expect(files.code, files.err).toBe(0);
    expect(jsonOf(files)['report']).toMatchObject({
      media: { written: 0, unchanged: 1 },
      web: { written: 0, unchanged: 1 },
    });
  }, 400_000);
});
