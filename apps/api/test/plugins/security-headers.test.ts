// Security headers on the api's own answers (JSON, errors, /docs) and on media answers proxied by
// the gateway from a real apps/media server: helmet's headers are there, the CSP lets /docs load
// its own scripts, and Range, ETag, 304 and media's own sandbox CSP pass through unchanged.
import { createHash, randomBytes } from 'node:crypto';
import { FormData, request } from 'undici';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../jwt.js';
import { startMediaBehindApi, type MediaBehindApi } from '../media-behind-api.js';

const SECRET = 'security-headers-secret-0123456789';
const alice = `Bearer ${signToken({ userId: 'u-alice', email: 'alice@example.org', publicKey: 'pk-alice' }, SECRET)}`;

let nodes: MediaBehindApi;
let api: FastifyInstance;
let apiUrl: string;

beforeAll(async () => {
  nodes = await startMediaBehindApi('api-headers-', SECRET, [alice]);
  ({ api, apiUrl } = nodes);
});
afterAll(async () => {
  await nodes?.close();
});

/** Directive name → its sources. */
function csp(header: unknown): Map<string, string[]> {
  expect(typeof header).toBe('string');
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0] !== '')
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function expectHelmet(headers: Record<string, unknown>): void {
  expect(headers).toMatchObject({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'SAMEORIGIN',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'cross-origin',
    'cross-origin-opener-policy': 'same-origin',
    'strict-transport-security': expect.stringMatching(/^max-age=\d+/),
  });
}

describe('security headers on the api', () => {
  it.each([
    ['GET /api/records (200)', '/api/records', 200],
    ['an unknown route (404)', '/nowhere', 404],
    ['a bad query (400)', '/api/records?limit=0', 400],
    ['GET /health (200)', '/health', 200],
  ])('%s carries helmet headers and the CSP', async (_name, url, status) => {
    const res = await api.inject(url);
    expect(res.statusCode).toBe(status);
    expectHelmet(res.headers);
    const policy = csp(res.headers['content-security-policy']);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
  });

  it('serves /docs with a CSP that allows its own scripts and stylesheets only', async () => {
    const page = await api.inject('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-initializer.js');
    const policy = csp(page.headers['content-security-policy']);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toContain("'self'");
    expect((await api.inject('/docs/static/swagger-initializer.js')).statusCode).toBe(200);
  });
});

describe('security headers on media answers through the gateway', () => {
  const bytes = randomBytes(200_000);
  const mediaId = createHash('sha256').update(bytes).digest('hex');
  const url = () => `${apiUrl}/api/media/${mediaId}`;

  beforeAll(async () => {
    const form = new FormData();
    form.append('access_level', 'public');
    form.append('file', new Blob([bytes], { type: 'video/mp4' }), 'clip.mp4');
    const res = await request(`${apiUrl}/api/media/upload`, {
      method: 'POST',
      body: form,
      headers: { authorization: alice },
    });
    const body = (await res.body.json()) as { mediaId?: string };
    expect([res.statusCode, body.mediaId]).toEqual([200, mediaId]);
  });

  it('answers a Range request 206 with the exact bytes, Content-Range and the ETag', async () => {
    const res = await request(url(), { headers: { range: 'bytes=1000-1999' } });
    const got = Buffer.from(await res.body.arrayBuffer());
    expect(res.statusCode).toBe(206);
    expect(res.headers).toMatchObject({
      'content-range': `bytes 1000-1999/${bytes.length}`,
      'content-length': '1000',
      'accept-ranges': 'bytes',
      etag: `"${mediaId}"`,
      'content-type': 'video/mp4',
    });
    expect(got.equals(bytes.subarray(1000, 2000))).toBe(true);
    expectHelmet(res.headers);
  });

  it("keeps media's own sandbox CSP and caching, and answers 304 to If-None-Match", async () => {
    const full = await request(url());
    const got = Buffer.from(await full.body.arrayBuffer());
    expect(full.statusCode).toBe(200);
    expect(got.equals(bytes)).toBe(true);
    expect(full.headers['content-security-policy']).toBe('sandbox');
    expect(full.headers['cache-control']).toMatch(/immutable/);
    const again = await request(url(), { headers: { 'if-none-match': `"${mediaId}"` } });
    await again.body.dump();
    expect(again.statusCode).toBe(304);
    expect(again.headers['etag']).toBe(`"${mediaId}"`);
    expect(again.headers['x-content-type-options']).toBe('nosniff');
  });
});
