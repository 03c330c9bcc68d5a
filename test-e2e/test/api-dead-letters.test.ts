// A real dead letter seen and handled through the api: a publisher's record on node A's relay
// (real GUN) has a field whose type conflicts with the store's mapping; node B's sync-worker
// dead-letters it; node B's api lists and shows it to an admin; in headless Chromium an admin opens
// the BullMQ dashboard, is sent to its login page, logs in with email and password and sees it
// (screenshot); and after the publisher fixes the record a REST replay indexes it.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium } from 'playwright-core';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eConfig } from '../src/config.js';
import { buildApp, parseConfig as apiConfig } from '@oip/api';
import { GunClient } from '@oip/gun-client';
import { buildRecordSoul, didFromSoul, registryIndexSoul } from '@oip/records';
import { startGunProxy, type StartedGunProxy } from '@oip/gun-proxy/testing';
import { DeadLetterCodes, purgePrefix } from '@oip/queue-contracts';
import { parseConfig as workerConfig, startSyncWorker, type SyncWorker } from '@oip/sync-worker';

const REDIS_URL = 'redis://127.0.0.1:6379';
const CHROMIUM = '/usr/bin/chromium';
/** Outside CI a machine without Chromium skips the browser tests (the test command says so in one line). */
const browserMissing = !existsSync(CHROMIUM) && !e2eConfig.ci;
const PUBLISHER = 'e2e-dlq-publisher-key';
const SECRET = 'e2e-dead-letters-secret-0123456789';
const ADMIN_EMAIL = 'admin@example.org';
const ADMIN_PASSWORD = 'e2e dead letters admin';
/** Set OIP_SAVE_SCREENSHOTS=1 to refresh the copy docs/ shows. */
const SHOT =
  process.env['OIP_SAVE_SCREENSHOTS'] === '1'
    ? join(import.meta.dirname, '..', '..', 'docs', 'images', 'bull-board-dead-letter.png')
    : null;

const prefix = `e2e-dlq-${randomUUID().slice(0, 8)}`;
const soul = buildRecordSoul({ publisherPublicKey: PUBLISHER, localId: 'bad-date' });
const did = didFromSoul(soul);
let relayA: StartedGunProxy;
let publisher: GunClient;
let worker: SyncWorker;
let api: FastifyInstance;
let apiUrl: string;
let redis: Redis;
let dir: string;
let admin: string;

function workout(date: number) {
  return {
    data: {
      basic: { name: 'Hill sprints', description: 'intervals', date, language: 'en', tagItems: ['cardio'] },
      workout: { total_duration_minutes: 25 },
    },
    oip: {
      ver: '0.8.0',
      recordType: 'workout',
      creator: { creatorHandle: 'e2e', didAddress: 'did:arweave:e2e', publicKey: PUBLISHER },
    },
    meta: { created: 1730505600000, localId: 'bad-date', encrypted: false },
  };
}

beforeAll(async () => {
  relayA = await startGunProxy();
  publisher = new GunClient({ baseUrl: relayA.url });
  // A first record fixes basic.date as a whole number; ours then carries a fraction there.
  const good = buildRecordSoul({ publisherPublicKey: PUBLISHER, localId: 'good' });
  await publisher.putRecord(good, { ...workout(1730505600), meta: { created: 1, localId: 'good', encrypted: false } });
  await publisher.putRecord(soul, workout(1730505600.5));
  await publisher.putSoul(registryIndexSoul('workout'), {
    [good]: { soul: good, nodeId: 'aaaaaaaaaaaaaaaa', timestamp: 1 },
    [soul]: { soul, nodeId: 'aaaaaaaaaaaaaaaa', timestamp: 2 },
  });

  dir = mkdtempSync(join(tmpdir(), 'oip-e2e-dlq-'));
  const store = { kind: 'sqlite' as const, dataDir: join(dir, 'records') };
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  worker = await startSyncWorker(
    workerConfig({
      unsignedRecords: 'accept',
      redisUrl: REDIS_URL,
      queuePrefix: prefix,
      relays: [relayA.url],
      recordTypes: ['workout'],
      store,
      syncIntervalMs: 3_600_000,
      discoverOnStart: false,
      concurrency: 4,
      healthPort: -1,
      logLevel: 'silent',
      nodeId: 'bbbbbbbbbbbbbbbb',
    }),
    { redis, logger: pino({ level: 'silent' }), memoryGuard: false },
  );
  api = buildApp(
    apiConfig({
      port: 0,
      store,
      relayUrl: relayA.url,
      redisUrl: REDIS_URL,
      queuePrefix: prefix,
      jwtSecret: SECRET,
      logLevel: 'silent',
    }),
  );
  apiUrl = await api.listen({ port: 0, host: '127.0.0.1' });
  // An admin as the node makes one: an account, granted admin on the node (what `oip admin grant`
  // does), and a token from the api's own signer for it (the api reads the account on every request).
  const node = api as unknown as {
    jwt: { sign(claims: object): string };
    accounts: {
      register(i: { email: string; password: string }): Promise<{ account: { id: string; publicKey: string } }>;
      setAdmin(id: string, on: boolean): Promise<unknown>;
    };
  };
  const { account } = await node.accounts.register({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  await node.accounts.setAdmin(account.id, true);
  admin = `Bearer ${node.jwt.sign({ userId: account.id, email: ADMIN_EMAIL, publicKey: account.publicKey, isAdmin: true, scope: 'full', tokenType: 'standard' })}`;
}, 60_000);

afterAll(async () => {
  await api?.close();
  await worker?.close();
  await publisher?.close();
  await relayA?.close();
  if (redis) {
    await purgePrefix(redis, prefix);
    await redis.quit();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string) => {
  const res = await fetch(`${apiUrl}${path}`, { headers: { authorization: admin } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('a dead letter through the api', () => {
  it('dead-letters the conflicting record after one attempt and lists it for an admin', async () => {
    await worker.discoverNow();
    const c = await worker.waitIdle(20_000);
    expect(c).toMatchObject({ indexed: 1, dead: 1, inflight: 0 });
    const list = await get(`/api/admin/dlq?code=${DeadLetterCodes.MAPPING_CONFLICT}`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({
      total: 1,
      entries: [
        expect.objectContaining({ did, code: DeadLetterCodes.MAPPING_CONFLICT, attempts: 1, recordType: 'workout' }),
      ],
    });
    const shown = await get(`/api/admin/dlq/${encodeURIComponent(did)}`);
    expect(shown.body['message']).toMatch(/basic\.date/);
    expect((await fetch(`${apiUrl}/api/admin/dlq`)).status).toBe(401);
  }, 30_000);

  it.skipIf(browserMissing)(
    'shows the dead letter in the BullMQ dashboard to an admin who logs in through its page in headless Chromium',
    async () => {
      expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`).toBe(true);
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        // A browser as a person uses one: no Authorization header, only what the pages set.
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        const cspViolations: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
        });
        const queue = `${apiUrl}/admin/queues/queue/sync-dead-letter?status=waiting`;
        const res = await page.goto(queue);
        // Sent to the login page, which brings the browser back to this queue after the login.
        expect([res?.status(), new URL(page.url()).pathname]).toEqual([200, '/admin/login']);
        await page.waitForLoadState('networkidle');
        expect(cspViolations).toEqual([]);
        await page.getByLabel('Email').fill(ADMIN_EMAIL);
        await page.getByLabel('Password').fill('not the password');
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.getByText('Wrong email or password').waitFor({ timeout: 10_000 });
        await page.getByLabel('Password').fill(ADMIN_PASSWORD);
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.waitForURL(queue, { timeout: 10_000 });
        // The job card carries the dead letter's id (dl_<did key>) once the board has loaded it.
        const entry = (await get(`/api/admin/dlq/${encodeURIComponent(did)}`)).body;
        await page.getByText(String(entry['id'])).first().waitFor({ timeout: 20_000 });
        const cookies = await context.cookies();
        expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite, c.path])).toEqual([
          ['oip_board_session', true, 'Strict', '/admin'],
        ]);
        const file = SHOT ?? join(dir, 'bull-board-dead-letter.png');
        await page.screenshot({ path: file, fullPage: true });
        const png = readFileSync(file);
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect(png.length).toBeGreaterThan(10_000);
        // The overview: the worker consumes the records and discovery queues; the dead-letter queue
        // has no consumer by design and carries no "nothing is consuming this queue" badge.
        await page.goto(`${apiUrl}/admin/queues`);
        await page.getByText('sync-dead-letter').first().waitFor({ timeout: 20_000 });
        // The cards' counts come with the workers' answers; the badge's code is loaded after them.
        await page
          .getByText(/^\d+ Jobs?$/)
          .first()
          .waitFor({ timeout: 20_000 });
        await page.waitForLoadState('networkidle');
        expect(await page.getByRole('button', { name: 'Nothing is consuming this queue' }).count()).toBe(0);
        expect(cspViolations).toEqual([]);
        // "Log out" in the board's header menu, then its page's button, ends the session: the board
        // sends the browser to the login page again.
        await page.locator('ul[class*="actions"] > li').last().getByRole('button').click();
        await page.getByText('Log out').click();
        await page.waitForURL(`${apiUrl}/admin/logout`, { timeout: 10_000 });
        await page.getByRole('button', { name: 'Log out' }).click();
        await page.waitForURL(`${apiUrl}/admin/login`, { timeout: 10_000 });
        await page.goto(`${apiUrl}/admin/queues`);
        expect(new URL(page.url()).pathname).toBe('/admin/login');
      } finally {
        await browser.close();
      }
    },
    60_000,
  );

  it('indexes the record after the publisher fixes it and an admin replays it over REST', async () => {
    await publisher.putRecord(soul, workout(1730505600));
    const replay = await fetch(`${apiUrl}/api/admin/dlq/${encodeURIComponent(did)}/replay`, {
      method: 'POST',
      headers: { authorization: admin },
    });
    expect(replay.status).toBe(200);
    const c = await worker.waitIdle(20_000);
    // Counters are cumulative: the replay is discovered again and indexed; the earlier death stays counted.
    expect(c).toMatchObject({ discovered: 3, indexed: 2, dead: 1, replayed: 1, inflight: 0 });
    const read = await fetch(`${apiUrl}/api/records?did=${encodeURIComponent(did)}`);
    const body = (await read.json()) as { records: Array<{ oip: { did: string } }> };
    expect(body.records.map((r) => r.oip.did)).toEqual([did]);
    expect((await get('/api/admin/dlq')).body['total']).toBe(0);
  }, 30_000);
});
