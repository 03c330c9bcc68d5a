// The compose files run for real: images built locally (infra/images/build.mjs, no registry),
// the SQLite-variant node started with podman-compose from infra/compose.yaml on loopback ports,
// then through the api's public port: register, publish, query, the relay through the gateway,
// a media upload and its download;
// one service restarted and nothing lost; everything torn down (containers and volumes).
// Run by `pnpm --filter @oip/test-e2e test:compose` (skipped when podman is not installed).
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApi } from '../src/node-api.js';
import { until } from '@oip/test-kit';

const root = path.resolve(import.meta.dirname, '..', '..');
const project = `oip-smoke-${randomBytes(3).toString('hex')}`;
const API_PORT = 23005;
const RELAY_PORT = 28765;
const api = `http://127.0.0.1:${API_PORT}`;
const env = {
  ...process.env,
  JWT_SECRET: randomBytes(24).toString('hex'),
  GUNPROXY_AUTH_TOKEN: randomBytes(16).toString('hex'),
  API_PUBLISH_PORT: `127.0.0.1:${API_PORT}`,
  GUNPROXY_PUBLISH_PORT: `127.0.0.1:${RELAY_PORT}`,
  MEDIA_PUBLISH_PORT: '23006',
  MEDIA_PUBLIC_URL: api,
  SYNC_INTERVAL_MS: '5000',
  LOG_LEVEL: 'warn',
};
const compose = (...args: string[]) => {
  const r = spawnSync('podman-compose', ['-p', project, '-f', path.join(root, 'infra', 'compose.yaml'), ...args], {
    cwd: path.join(root, 'infra'),
    env,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0)
    throw new Error(`podman-compose ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

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
/** The api's health answers 200; when it does not in time, the containers' last log lines go with the error. */
async function healthy(): Promise<void> {
  try {
    await until(
      () =>
        fetch(`${api}/health`).then(
          (r) => r.status,
          () => 0,
        ),
      { what: 'api healthy', ok: (s) => s === 200, timeoutMs: 120_000, intervalMs: 250 },
    );
  } catch (err) {
    const ps = spawnSync(
      'podman',
      ['ps', '-a', '--filter', `label=io.podman.compose.project=${project}`, '--format', '{{.Names}} {{.Status}}'],
      { encoding: 'utf8' },
    );
    const names = ps.stdout
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter((n): n is string => Boolean(n));
    const logs = names.map((n) => {
      const r = spawnSync('podman', ['logs', '--tail', '15', n], { encoding: 'utf8' });
      return `--- ${n}\n${`${r.stdout}${r.stderr}`.slice(-3000)}`;
    });
    throw new Error(`${(err as Error).message}\ncontainers:\n${ps.stdout}${logs.join('\n')}`, { cause: err });
  }
}

beforeAll(async () => {
  const build = spawnSync(
    process.execPath,
    [path.join(root, 'infra', 'images', 'build.mjs'), '--apps', 'gun-proxy,sync-worker,api,media'],
    { cwd: root, stdio: 'inherit', timeout: 1_500_000 },
  );
  if (build.status !== 0) throw new Error('building the images failed');
  compose('up', '-d');
  await healthy();
}, 1_800_000);

afterAll(() => {
  compose('down', '-v');
}, 300_000);

describe('the SQLite-variant node from infra/compose.yaml', () => {
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
