// The compose files run for real: images built locally (infra/images/build.mjs, no registry),
// then, one after the other, on loopback ports with podman-compose:
// - the SQLite-variant node from infra/compose.yaml, through the api's public port: register,
//   publish, query, the relay through the gateway, a media upload and its download; one service
//   restarted and nothing lost;
// - the Elasticsearch-variant node from infra/compose.elasticsearch.yaml (its Elasticsearch image
//   built from Maven Central's distribution, security on): register, publish and query through the
//   api, the record read back from Elasticsearch's own index, anonymous access to it refused;
// each torn down (containers and volumes). Bounded: the image builds (30 min at most), each stack's
// start (10 min at most) and every request; measured here: 3 min 12 s with the base and
// Elasticsearch images already made, 6 min 7 s when the app images' layers were new.
// Run by `pnpm --filter @oip/test-e2e test:compose` (skipped when podman is not installed).
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApi } from '../src/node-api.js';
import { until } from '@oip/test-kit';
import { composeProject, repoRoot as root } from './compose-project.js';

const API_PORT = 23005;
const RELAY_PORT = 28765;
const ES_API_PORT = 23015;
const ES_PORT = 29200;
const api = `http://127.0.0.1:${API_PORT}`;
const esApi = `http://127.0.0.1:${ES_API_PORT}`;
const es = `http://127.0.0.1:${ES_PORT}`;
// The image build.mjs --elasticsearch makes carries the version our client speaks (the catalog's).
const { elasticsearchVersion } = (await import(
  pathToFileURL(path.join(root, 'scripts', 'elasticsearch-setup.mjs')).href
)) as { elasticsearchVersion: () => string };
const commonEnv = {
  JWT_SECRET: randomBytes(24).toString('hex'),
  GUNPROXY_AUTH_TOKEN: randomBytes(16).toString('hex'),
  SYNC_INTERVAL_MS: '5000',
  LOG_LEVEL: 'warn',
};
const sqlite = composeProject('compose.yaml', {
  ...process.env,
  ...commonEnv,
  API_PUBLISH_PORT: `127.0.0.1:${API_PORT}`,
  GUNPROXY_PUBLISH_PORT: `127.0.0.1:${RELAY_PORT}`,
  MEDIA_PUBLISH_PORT: '23006',
  MEDIA_PUBLIC_URL: api,
});
const compose = (...args: string[]) => sqlite.run(...args);
const healthy = () => sqlite.healthy(`${api}/health`, 120_000);

/** The fields of the api's answers this test reads. */
interface Body {
  token: string;
  did: string;
  soul: string;
  running: boolean;
  records: Array<{ oip: { did: string } }>;
  data: { oip: { did: string }; data: { basic: { name: string } } };
}

const apiClient = new NodeApi(api, 'compose api');
const call = (pathname: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
  apiClient.call<Body>(pathname, init);

beforeAll(() => {
  const build = spawnSync(
    process.execPath,
    [path.join(root, 'infra', 'images', 'build.mjs'), '--apps', 'gun-proxy,sync-worker,api,media', '--elasticsearch'],
    { cwd: root, stdio: 'inherit', timeout: 1_800_000 },
  );
  if (build.status !== 0) throw new Error('building the images failed');
}, 1_860_000);

describe('the SQLite-variant node from infra/compose.yaml', () => {
  beforeAll(async () => {
    compose('up', '-d');
    await healthy();
  }, 600_000);

  afterAll(() => {
    compose('down', '-v');
  }, 300_000);

  let token: string;
  let did: string;
  let mediaId: string;

  it('registers, publishes and answers the record through the public port', async () => {
    expect(
      (
        await call('/api/user/register', {
          method: 'POST',
          body: { email: 'ops@example.org', password: 'compose smoke battery staple 42' },
        })
      ).status,
    ).toBe(201);
    token = (
      await call('/api/user/login', {
        method: 'POST',
        body: { email: 'ops@example.org', password: 'compose smoke battery staple 42' },
      })
    ).body.token;
    const pub = await call('/api/records/newRecord?recordType=post&storage=gun&localId=smoke', {
      method: 'POST',
      token,
      body: { basic: { name: 'Compose smoke' }, post: { articleText: 'hello from the containers' } },
    });
    expect(pub.status).toBe(200);
    did = pub.body.did;
    const read = await call(`/api/records?did=${encodeURIComponent(did)}`);
    expect(read.body.records.map((r) => r.oip.did)).toEqual([did]);
    // The relay behind the gateway has it in the legacy node shape.
    const relay = await call(`/gun-relay/get?soul=${encodeURIComponent(pub.body.soul)}`);
    expect([relay.status, relay.body.data.oip.did]).toEqual([200, did]);
    expect((await call('/api/health/gun-sync')).body.running).toBe(true);
  }, 60_000);

  it("refuses raw writes to GUN through the public port, anonymous or signed in: the record, and the relay's copy, stay as published", async () => {
    const soul = did.slice('did:gun:'.length);
    const forged = [
      { soul: 'oip:deleted:records:index', data: { [did]: true } },
      { soul, data: { data: { basic: { name: 'Forged' } }, oip: { recordType: 'post', ver: '0.8.0' } } },
    ];
    for (const extra of [{}, { token }]) {
      for (const body of forged) {
        const res = await call('/gun-relay/put', { method: 'POST', body, ...extra });
        expect([body.soul, res.status]).toEqual([body.soul, 405]);
      }
    }
    const relay = await call(`/gun-relay/get?soul=${encodeURIComponent(soul)}`);
    expect(relay.body.data.data.basic.name).toBe('Compose smoke');
    const read = await call(`/api/records?did=${encodeURIComponent(did)}`);
    expect(read.body.records.map((r) => r.oip.did)).toEqual([did]);
  }, 60_000);

  it('uploads media through the api and streams it back, range honoured', async () => {
    const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) & 0xff));
    const boundary = 'oip-compose-smoke';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="access_level"\r\n\r\npublic\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="clip.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await fetch(`${api}/api/media/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(up.status).toBe(200);
    mediaId = ((await up.json()) as { mediaId: string }).mediaId;
    expect(mediaId).toBe(createHash('sha256').update(bytes).digest('hex'));
    const whole = await fetch(`${api}/api/media/${mediaId}`);
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(bytes);
    const part = await fetch(`${api}/api/media/${mediaId}`, { headers: { range: 'bytes=10-19' } });
    expect([part.status, Buffer.from(await part.arrayBuffer())]).toEqual([206, bytes.subarray(10, 20)]);
  }, 60_000);

  it('loses nothing when the api and gun-proxy restart', async () => {
    compose('restart', 'gun-proxy', 'api', 'media');
    await healthy();
    const read = await call(`/api/records?did=${encodeURIComponent(did)}`);
    expect(read.body.records.map((r) => r.oip.did)).toEqual([did]);
    const login = await call('/api/user/login', {
      method: 'POST',
      body: { email: 'ops@example.org', password: 'compose smoke battery staple 42' },
    });
    expect(login.status).toBe(200);
    const relay = await until(() => call(`/gun-relay/get?soul=${encodeURIComponent(did.slice('did:gun:'.length))}`), {
      what: 'relay back',
      ok: (r) => r.status === 200,
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(relay.body.data.oip.did).toBe(did);
    const media = await until(
      () =>
        fetch(`${api}/api/media/${mediaId}`).then(
          (r) => r.status,
          () => 0,
        ),
      { what: 'media back', ok: (st) => st === 200, timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(media).toBe(200);
  }, 180_000);
});

describe('the Elasticsearch-variant node from infra/compose.elasticsearch.yaml', () => {
  const password = randomBytes(12).toString('hex');
  const elastic = { authorization: `Basic ${Buffer.from(`elastic:${password}`).toString('base64')}` };
  const stack = composeProject('compose.elasticsearch.yaml', {
    ...process.env,
    ...commonEnv,
    ES_VERSION: elasticsearchVersion(),
    ELASTIC_PASSWORD: password,
    ES_JAVA_OPTS: '-Xms512m -Xmx512m',
    ES_PUBLISH_PORT: String(ES_PORT),
    API_PUBLISH_PORT: `127.0.0.1:${ES_API_PORT}`,
    GUNPROXY_PUBLISH_PORT: '127.0.0.1:28775',
    MEDIA_PUBLISH_PORT: '23016',
    MEDIA_PUBLIC_URL: esApi,
  });
  const esCall = new NodeApi(esApi, 'compose api (elasticsearch)');
  const callEs = (pathname: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
    esCall.call<Body & { store: string }>(pathname, init);

  beforeAll(async () => {
    stack.run('up', '-d');
    await stack.healthy(`${es}/_cluster/health?wait_for_status=yellow&timeout=5s`, 240_000, elastic);
    await stack.healthy(`${esApi}/health`, 180_000);
    // The api answers /health before its store does when it came up ahead of Elasticsearch.
    await until(() => callEs('/api/health'), {
      what: "the api's store up",
      ok: (r) => r.body.store === 'ok',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
  }, 600_000);

  afterAll(() => {
    stack.run('down', '-v');
  }, 300_000);

  it("refuses anonymous requests to Elasticsearch: security on, the elastic user's password from ELASTIC_PASSWORD", async () => {
    expect((await fetch(`${es}/_cluster/health`)).status).toBe(401);
    const wrong = { authorization: `Basic ${Buffer.from('elastic:not-the-password').toString('base64')}` };
    expect((await fetch(`${es}/_cluster/health`, { headers: wrong })).status).toBe(401);
    expect((await fetch(`${es}/_cluster/health`, { headers: elastic })).status).toBe(200);
  }, 30_000);

  it("registers, publishes and answers the record through the public port, the record and the account in Elasticsearch's indices", async () => {
    const account = { email: 'ops@example.org', password: 'compose smoke battery staple 42' };
    expect((await callEs('/api/user/register', { method: 'POST', body: account })).status).toBe(201);
    const token = (await callEs('/api/user/login', { method: 'POST', body: account })).body.token;
    const pub = await callEs('/api/records/newRecord?recordType=post&storage=gun&localId=smoke-es', {
      method: 'POST',
      token,
      body: { basic: { name: 'Compose smoke on Elasticsearch' }, post: { articleText: 'hello from the index' } },
    });
    expect(pub.status).toBe(200);
    const did = pub.body.did;
    // Searches see a write once Elasticsearch refreshes (a second at most by default).
    const read = await until(() => callEs(`/api/records?did=${encodeURIComponent(did)}`), {
      what: 'the record searchable',
      ok: (r) => r.body.records?.length === 1,
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    expect(read.body.records.map((r) => r.oip.did)).toEqual([did]);
    const doc = await fetch(`${es}/records/_doc/${encodeURIComponent(did)}`, { headers: elastic });
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { _source: { oip: { did: string } } })._source.oip.did).toBe(did);
    expect((await fetch(`${es}/accounts/_refresh`, { method: 'POST', headers: elastic })).status).toBe(200);
    const accounts = await fetch(`${es}/accounts/_count`, { headers: elastic });
    expect(((await accounts.json()) as { count: number }).count).toBe(1);
  }, 90_000);
});
