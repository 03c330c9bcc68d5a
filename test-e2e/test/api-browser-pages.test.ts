// The api's two HTML pages in headless Chromium under its security headers: the OpenAPI UI
// (/docs, swagger-ui) and the BullMQ dashboard (/admin/queues, bull-board, as an admin) render,
// and the browser reports no Content-Security-Policy violation, no console error and no page error.
// Requests to other origins (bull-board's Google Fonts stylesheet) are answered empty by the test,
// so it needs no network; the CSP is checked before a request is made, so a blocked one still shows.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eConfig } from '../src/config.js';
import { buildApp, parseConfig } from '@oip/api';
import { purgePrefix } from '@oip/queue-contracts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const CHROMIUM = '/usr/bin/chromium';
/** Outside CI a machine without Chromium skips the browser tests (the test command says so in one line). */
const browserMissing = !existsSync(CHROMIUM) && !e2eConfig.ci;
const SECRET = 'e2e-browser-pages-secret-0123456789';
const prefix = `e2e-pages-${randomUUID().slice(0, 8)}`;

let api: FastifyInstance;
let apiUrl: string;
let dir: string;
interface AccountsDecorator {
  register(input: {
    email: string;
    password: string;
  }): Promise<{ account: { id: string; email: string; publicKey: string } }>;
  setAdmin(id: string, isAdmin: boolean): Promise<unknown>;
}

let browser: Browser;
let admin: string;

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`).toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'oip-e2e-pages-'));
  api = buildApp(
    parseConfig({
      port: 0,
      store: { kind: 'sqlite', dataDir: join(dir, 'records') },
      relayUrl: 'http://127.0.0.1:9',
      redisUrl: REDIS_URL,
      queuePrefix: prefix,
      jwtSecret: SECRET,
      logLevel: 'silent',
    }),
  );
  apiUrl = await api.listen({ port: 0, host: '127.0.0.1' });
  // An admin as the node knows one: a registered account with the admin flag set, and its token.
  // The accounts decorator's type lives in the api's plugin, which its published types do not carry.
  const accounts = (api as unknown as { accounts: AccountsDecorator }).accounts;
  const { account } = await accounts.register({
    email: 'admin@example.org',
    password: 'quiet-lantern-orbit-7294-Maple',
  });
  await accounts.setAdmin(account.id, true);
  const sign = (api as unknown as { jwt: { sign(claims: object): string } }).jwt.sign;
  admin = `Bearer ${sign({ userId: account.id, email: account.email, publicKey: account.publicKey, isAdmin: true, scope: 'full', tokenType: 'standard' })}`;
  browser = await chromium.launch({
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
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  const redis = new Redis(REDIS_URL);
  await purgePrefix(redis, prefix);
  await redis.quit();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  context: BrowserContext;
  /** `directive blocked-uri` of every securitypolicyviolation event. */
  violations: string[];
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests to other origins (answered empty by the test). */
  external: string[];
}

async function watchedPage(headers: Record<string, string> = {}): Promise<Watched> {
  const context = await browser.newContext({ extraHTTPHeaders: headers, viewport: { width: 1280, height: 800 } });
  const w: Watched = {
    context,
    page: await context.newPage(),
    violations: [],
    consoleErrors: [],
    pageErrors: [],
    external: [],
  };
  await context.exposeBinding('__cspViolation', (_source, text: string) => void w.violations.push(text));
  // Page-side code as text: this workspace compiles without the DOM types.
  await context.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => window.__cspViolation(e.effectiveDirective + ' ' + e.blockedURI));",
  });
  await context.route(
    (url) => url.origin !== new URL(apiUrl).origin,
    async (route) => {
      w.external.push(route.request().url());
      await route.fulfill({
        status: 200,
        contentType: route.request().resourceType() === 'stylesheet' ? 'text/css' : 'text/plain',
        body: '',
      });
    },
  );
  w.page.on('console', (msg) => {
    if (msg.type() === 'error') w.consoleErrors.push(msg.text());
  });
  w.page.on('pageerror', (err) => void w.pageErrors.push(err.message));
  return w;
}

/** Lets late violations (async scripts, styles) arrive, then asserts there were none. */
async function expectClean(w: Watched): Promise<void> {
  await w.page.waitForLoadState('networkidle');
  expect({ violations: w.violations, consoleErrors: w.consoleErrors, pageErrors: w.pageErrors }).toEqual({
    violations: [],
    consoleErrors: [],
    pageErrors: [],
  });
}

describe.skipIf(browserMissing)('the api pages in headless Chromium', () => {
  it('renders /docs (swagger-ui) with the operations listed and no CSP violation', async () => {
    const w = await watchedPage();
    try {
      const res = await w.page.goto(`${apiUrl}/docs`);
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
      await w.page.locator('.swagger-ui .info .title').filter({ hasText: 'OIP node API' }).waitFor({ timeout: 20_000 });
      await w.page
        .locator('.opblock-summary-path')
        .filter({ hasText: '/api/records/newRecord' })
        .first()
        .waitFor({ timeout: 20_000 });
      await expectClean(w);
    } finally {
      await w.context.close();
    }
  }, 60_000);

  it('renders /admin/queues (bull-board) for an admin with its queues and no CSP violation', async () => {
    const w = await watchedPage({ authorization: admin });
    try {
      const res = await w.page.goto(`${apiUrl}/admin/queues`);
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
      await w.page.getByText('sync-dead-letter').first().waitFor({ timeout: 20_000 });
      await w.page.getByText('OIP node queues').first().waitFor({ timeout: 20_000 });
      await expectClean(w);
      // The one external resource is the font stylesheet, which the CSP allows (style-src https:).
      expect(w.external.every((u) => u.startsWith('https://fonts.googleapis.com/'))).toBe(true);
    } finally {
      await w.context.close();
    }
  }, 60_000);

  it("reports a violation when a page breaks the api's policy (the watcher works)", async () => {
    const w = await watchedPage();
    try {
      // A page with an inline script under the api's own policy: the CSP must block it and say so.
      const policy = (await fetch(`${apiUrl}/health`)).headers.get('content-security-policy');
      expect(policy).toContain("script-src 'self'");
      await w.page.route(`${apiUrl}/csp-probe`, (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html',
          headers: { 'content-security-policy': policy! },
          body: '<script>document.title = "ran"</script>',
        }),
      );
      await w.page.goto(`${apiUrl}/csp-probe`);
      await w.page.waitForLoadState('networkidle');
      expect(await w.page.title()).not.toBe('ran');
      expect(w.violations).toEqual([expect.stringMatching(/^script-src-elem inline/)]);
    } finally {
      await w.context.close();
    }
  }, 60_000);
});
