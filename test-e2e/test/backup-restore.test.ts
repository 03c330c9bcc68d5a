// `oip backup` / `oip restore` on a real node (issue 28): the four apps started from their dist
// entries on loopback (./src/single-node.ts); a user registered, records published and an image
// uploaded through the api; `node scripts/oip.mjs backup` while the node runs; the node stopped;
// `oip restore` into a fresh data dir; the node started there: the user logs in with the same
// publisher key, the records and the image are there with the same sha256. A restore over a
// running node, into data already there, and from a backup with one damaged byte are refused
// with their codes, changing nothing.
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgePrefix } from '@oip/queue-contracts';
import { until } from '@oip/test-kit';
import { e2eConfig } from '../src/config.js';
import { sha256 } from '../src/node-api.js';
import { runToEnd } from '../src/processes.js';
import { SHARED_REDIS_URL, SingleNode } from '../src/single-node.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const EMAIL = 'backup-user@example.org';
const PASSWORD = 'a long backup test password';
const prefix = `e2e-backup-${randomUUID().slice(0, 8)}`;

let dir: string;
let first: SingleNode;
let second: SingleNode | null = null;

/** `node scripts/oip.mjs backup|restore …` with the node's variables; bounded at 120 s. */
function oip(node: SingleNode, args: string[]) {
  return runToEnd(process.execPath, [join(REPO, 'scripts', 'oip.mjs'), ...args], {
    cwd: REPO,
    env: { ...e2eConfig.baseEnv, ...node.dataEnv, ...node.portEnv },
    timeoutMs: 120_000,
  });
}

/** Each record's JSON as the api answers it, by DID. */
async function recordHashes(node: SingleNode): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const did of await node.http.allDids()) {
    const r = await node.http.expect<{ records: unknown[] }>(200, `/api/records?did=${encodeURIComponent(did)}`);
    out[did] = sha256(Buffer.from(JSON.stringify(r.records)));
  }
  return out;
}

/**
 * The records once the sync-worker has indexed what the api wrote (it rewrites each record once,
 * with its own indexedAt): two reads a sync interval apart that agree, bounded at 60 s.
 */
async function settledRecords(node: SingleNode): Promise<Record<string, string>> {
  let last = JSON.stringify(await recordHashes(node));
  return until(
    async () => {
      await new Promise((r) => setTimeout(r, 2500));
      const now = JSON.stringify(await recordHashes(node));
      const same = now === last;
      last = now;
      return same ? (JSON.parse(now) as Record<string, string>) : null;
    },
    { what: 'the records unchanged over one sync interval', timeoutMs: 60_000, intervalMs: 0 },
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oip-e2e-backup-'));
  first = await SingleNode.create({
    repoRoot: REPO,
    baseEnv: e2eConfig.baseEnv,
    dataDir: join(dir, 'data'),
    logDir: join(dir, 'logs-1'),
    prefix,
  });
}, 30_000);

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  const redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    await purgePrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
  if (!e2eConfig.keepDir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('oip backup / oip restore', () => {
  const before = { publicKey: '', records: {} as Record<string, string>, mediaId: '', mediaSha: '', secret: '' };

  it('backs up a running node: a manifest with versions, counts and every sha256', async () => {
    await first.start();
    const account = await first.http.account(EMAIL, PASSWORD);
    before.publicKey = account.publicKey;
    for (let i = 0; i < 3; i++)
      await first.http.publish(account.token, 'post', `post-${i}`, {
        basic: {
          name: `Post ${i}`,
          description: `backup test ${i}`,
          date: 1730505600 + i,
          language: 'en',
          tagItems: ['backup'],
        },
        post: { articleText: `text of post ${i}` },
      });
    const image = randomBytes(64 * 1024);
    before.mediaId = await first.http.uploadPublic(account.token, image, 'image.bin', 'application/octet-stream');
    before.mediaSha = sha256(image);
    before.records = await settledRecords(first);
    before.secret = first.jwtSecret;
    expect(Object.keys(before.records)).toHaveLength(3);

    const r = await oip(first, ['backup', join(dir, 'backup'), '--data-dir', join(dir, 'data')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'backup', 'manifest.json'), 'utf8')) as {
      app: string;
      version: string;
      items: Record<string, Record<string, number>>;
      files: Array<{ path: string; sha256: string }>;
    };
    expect(manifest.app).toBe('oip-node');
    expect(manifest.version).toBe('0.1.0');
    expect(manifest.items['api/accounts.sqlite']?.['accounts']).toBe(1);
    expect(manifest.items['sync-worker/records.db']?.['records']).toBe(3);
    expect(manifest.items['gun-proxy/graph.sqlite']?.['souls']).toBeGreaterThan(0);
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'api/accounts.sqlite',
        'sync-worker/records.db',
        'gun-proxy/graph.sqlite',
        `media/media/${before.mediaId}/original`,
        'jwt-secret',
      ]),
    );
    const original = manifest.files.find((f) => f.path === `media/media/${before.mediaId}/original`);
    expect(original?.sha256).toBe(before.mediaSha);
  }, 180_000);

  it('refuses to restore over the running node (BACKUP_ERR_NODE_RUNNING), changing nothing', async () => {
    const r = await oip(first, ['restore', join(dir, 'backup'), '--data-dir', join(dir, 'data'), '--force']);
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toContain('BACKUP_ERR_NODE_RUNNING');
    expect(await recordHashes(first)).toEqual(before.records);
  }, 60_000);

  it('restores into a fresh data dir: the user logs in, records and media have the same hashes', async () => {
    expect(await first.stop()).toEqual(first.processes.map((p) => ({ name: p.spec.name, code: 0 })));
    second = await SingleNode.create({
      repoRoot: REPO,
      baseEnv: e2eConfig.baseEnv,
      // Made by the restore, secret included (create() keeps the one it finds).
      dataDir: join(dir, 'restored'),
      logDir: join(dir, 'logs-2'),
      prefix,
    });
    rmSync(join(dir, 'restored', 'jwt-secret'));
    const r = await oip(second, ['restore', join(dir, 'backup'), '--data-dir', join(dir, 'restored')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(second.jwtSecret).toBe(before.secret);

    await second.start();
    const login = await second.http.expect<{ token: string; publicKey: string }>(200, '/api/user/login', {
      method: 'POST',
      body: { email: EMAIL, password: PASSWORD },
    });
    expect(login.publicKey).toBe(before.publicKey);
    expect(await recordHashes(second)).toEqual(before.records);
    const media = await second.http.media(before.mediaId);
    expect(media.status).toBe(200);
    expect(sha256(media.bytes)).toBe(before.mediaSha);
  }, 180_000);

  it('refuses data already there without --force (BACKUP_ERR_TARGET_NOT_EMPTY)', async () => {
    await second!.stop();
    const r = await oip(second!, ['restore', join(dir, 'backup'), '--data-dir', join(dir, 'restored')]);
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toContain('BACKUP_ERR_TARGET_NOT_EMPTY');
  }, 60_000);

  it('refuses a backup with one damaged byte (BACKUP_ERR_CORRUPT) and writes nothing', async () => {
    const damaged = join(dir, 'damaged');
    cpSync(join(dir, 'backup'), damaged, { recursive: true });
    const file = join(damaged, 'api', 'accounts.sqlite');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(file, bytes);
    const r = await oip(second!, ['restore', damaged, '--data-dir', join(dir, 'fresh')]);
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toMatch(/BACKUP_ERR_CORRUPT: api\/accounts\.sqlite/);
    expect(existsSync(join(dir, 'fresh'))).toBe(false);
  }, 60_000);
});
