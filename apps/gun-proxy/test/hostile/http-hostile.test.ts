// The hostile-input suite over HTTP against a REAL gun-proxy process (harness.ts): every issue-10
// case, auth off and auth on; afterwards the process is alive, /metrics answers 200,
// Object.prototype is untouched inside the process, and nothing refused (or unauthenticated) is stored.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/app.js';
import { buildGunProxy, startHostileProxy, stopAll, type HostileProxy } from './harness.js';

const TOKEN = 'hostile-suite-token-0123456789abcdef';

interface Answer {
  status: number;
  code: string | undefined;
  body: string;
}

async function send(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await request(base + path, {
    method,
    body,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
  });
  const text = await res.body.text();
  const code = res.headers['x-error-code'];
  return { status: res.statusCode, code: typeof code === 'string' ? code : undefined, body: text };
}

const deep = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** [name, method, path, body, expected status, expected code] */
type Case = [string, 'GET' | 'POST', string, string | Buffer | undefined, number, string];

const CASES: Case[] = [
  ...['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'].map((soul): Case => [
    `soul ${soul}`,
    'POST',
    '/put',
    `{"soul":"${soul}","data":{"polluted":"yes","_":{"#":"${soul}"}}}`,
    400,
    'GUNPROXY_RESERVED_NAME',
  ]),
  ['get soul __proto__', 'GET', '/get?soul=__proto__', undefined, 400, 'GUNPROXY_RESERVED_NAME'],
  [
    'data key __proto__',
    'POST',
    '/put',
    '{"soul":"abc:h1","data":{"__proto__":{"polluted":"yes"}}}',
    400,
    'GUNPROXY_RESERVED_NAME',
  ],
  [
    'escaped __proto__ key',
    'POST',
    '/put',
    '{"soul":"abc:h1","data":{"\\u005f_proto__":{"polluted":"yes"}}}',
    400,
    'GUNPROXY_RESERVED_NAME',
  ],
  [
    'nested __proto__ in presence',
    'POST',
    '/media/presence',
    '{"mediaId":"m1","peerId":"p1","protocols":{"__proto__":{"polluted":1}}}',
    400,
    'GUNPROXY_RESERVED_NAME',
  ],
  ['5,000 deep data', 'POST', '/put', `{"soul":"abc:h2","data":${deep(5000)}}`, 400, 'GUNPROXY_TOO_DEEP'],
  [
    '20,000 deep protocols',
    'POST',
    '/media/presence',
    `{"mediaId":"m1","peerId":"p2","protocols":${deep(20_000)}}`,
    400,
    'GUNPROXY_TOO_DEEP',
  ],
  ['list offset=1e20', 'GET', '/list?publisherHash=abc&offset=1e20', undefined, 400, 'GUNPROXY_VALIDATION'],
  ['1e400', 'POST', '/put', '{"soul":"abc:h3","data":{"n":1e400}}', 400, 'GUNPROXY_NUMBER_NOT_FINITE'],
  ['soul 123', 'POST', '/put', '{"soul":123,"data":{"v":1}}', 400, 'GUNPROXY_SOUL_NOT_STRING'],
  ['soul true', 'POST', '/put', '{"soul":true,"data":{"v":1}}', 400, 'GUNPROXY_SOUL_NOT_STRING'],
  ['soul ["a"]', 'POST', '/put', '{"soul":["a"],"data":{"v":1}}', 400, 'GUNPROXY_SOUL_NOT_STRING'],
  [
    'invalid UTF-8',
    'POST',
    '/put',
    Buffer.concat([Buffer.from('{"soul":"abc:h4","data":{"s":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]),
    400,
    'GUNPROXY_INVALID_UTF8',
  ],
  [
    'manifest id m1:peers:p1',
    'POST',
    '/media/manifest',
    '{"media":{"id":"m1:peers:p1"},"peerId":"evil"}',
    400,
    'GUNPROXY_INVALID_MEDIA_ID',
  ],
  ['paged limit 0', 'GET', '/get?soul=abc:h1&limit=0', undefined, 400, 'GUNPROXY_VALIDATION'],
  ['paged limit 5000', 'GET', '/get?soul=abc:h1&limit=5000', undefined, 400, 'GUNPROXY_VALIDATION'],
  [
    'paged after too long',
    'GET',
    `/get?soul=abc:h1&limit=5&after=${'k'.repeat(1025)}`,
    undefined,
    400,
    'GUNPROXY_VALIDATION',
  ],
  ['bad JSON', 'POST', '/put', '{"soul":', 400, 'GUNPROXY_INVALID_JSON'],
];

/** Souls the cases above would have written had they been accepted. */
const NEVER_STORED = [
  'abc:h1',
  'abc:h2',
  'abc:h3',
  'abc:h4',
  '123',
  'true',
  'a',
  'media:m1:peers:p1',
  'media:m1:peers:p2',
];

async function expectHealthyAndClean(p: HostileProxy): Promise<void> {
  expect(p.alive()).toBe(true);
  expect((await send(p.url, 'GET', '/metrics')).status).toBe(200);
  expect((await send(p.url, 'GET', '/health')).status).toBe(200);
  expect(await p.prototype()).toEqual({ added: [], changed: [], inherited: [], prototypeOfObject: true });
  for (const soul of NEVER_STORED) {
    const get = await send(p.url, 'GET', `/get?soul=${encodeURIComponent(soul)}`);
    expect({ soul, status: get.status }).toEqual({ soul, status: 404 });
  }
}

beforeAll(() => buildGunProxy(), 120_000);
afterAll(() => stopAll());

describe('hostile HTTP input against a gun-proxy process', () => {
  it('auth off: every case is a 4xx with its code; the process stays alive and clean', async () => {
    const p = await startHostileProxy({ GUNPROXY_GET_MISS_WAIT_MS: '0' });
    for (const [name, method, path, body, status, code] of CASES) {
      const res = await send(p.url, method, path, body);
      expect({ name, status: res.status, code: res.code }).toEqual({ name, status, code });
    }
    await expectHealthyAndClean(p);
    // Still a working relay.
    expect((await send(p.url, 'POST', '/put', '{"soul":"abc:fine","data":{"constructor":"x","v":1}}')).status).toBe(
      200,
    );
    expect(JSON.parse((await send(p.url, 'GET', '/get?soul=abc:fine')).body)).toEqual({
      success: true,
      data: { constructor: 'x', v: 1 },
    });
    expect(await p.stop()).toBe(0);
  }, 60_000);

  it('read amplification: 40 links to a 60,000-key node answer a bounded body while /health keeps answering', async () => {
    const p = await startHostileProxy({ GUNPROXY_GET_MISS_WAIT_MS: '0' });
    for (let part = 0; part < 2; part++) {
      const keys = Object.fromEntries(
        Array.from({ length: 30_000 }, (_, i) => [`k${part}${String(i).padStart(5, '0')}`, i]),
      );
      expect((await send(p.url, 'POST', '/put', JSON.stringify({ soul: 'abc:big', data: keys }))).status).toBe(200);
    }
    const links = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`l${i}`, { '#': 'abc:big' }]));
    expect((await send(p.url, 'POST', '/put', JSON.stringify({ soul: 'abc:amp', data: links }))).status).toBe(200);
    let healthMax = 0;
    let running = true;
    const health = (async () => {
      while (running) {
        const t0 = performance.now();
        expect((await send(p.url, 'GET', '/health')).status).toBe(200);
        healthMax = Math.max(healthMax, performance.now() - t0);
      }
    })();
    const t0 = performance.now();
    const gets = await Promise.all(Array.from({ length: 8 }, () => send(p.url, 'GET', '/get?soul=abc:amp')));
    const ms = performance.now() - t0;
    running = false;
    await health;
    expect(gets.map((g) => g.status)).toEqual(gets.map(() => 200));
    expect(Math.max(...gets.map((g) => g.body.length))).toBeLessThanOrEqual(8 * 1024 * 1024 + 64 * 1024);
    console.log(
      `8 concurrent amplified GETs against the process: ${ms.toFixed(0)} ms, /health max ${healthMax.toFixed(0)} ms`,
    );
    expect(ms).toBeLessThan(15_000);
    expect(healthMax).toBeLessThan(2000);
    expect(p.alive()).toBe(true);
    expect(await p.prototype()).toEqual({ added: [], changed: [], inherited: [], prototypeOfObject: true });
    expect(await p.stop()).toBe(0);
  }, 90_000);

  it('auth on (token): unauthenticated writes of every case are refused and store nothing', async () => {
    const p = await startHostileProxy({ GUNPROXY_AUTH_TOKEN: TOKEN, GUNPROXY_GET_MISS_WAIT_MS: '0' });
    for (const [name, method, path, body] of CASES.filter((c) => c[1] === 'POST')) {
      const res = await send(p.url, method, path, body);
      // Refused before or at auth: never a 2xx, never a 5xx.
      expect({ name, ok: res.status === 400 || res.status === 401 }).toEqual({ name, ok: true });
    }
    // Well-formed writes without a credential (or with a wrong one) are 401 and not stored.
    for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token-00' }] as Array<
      Record<string, string>
    >) {
      const res = await send(p.url, 'POST', '/put', '{"soul":"abc:h1","data":{"v":1}}', headers);
      expect(res).toMatchObject({ status: 401, code: 'GUNPROXY_UNAUTHORIZED' });
      expect((await send(p.url, 'POST', '/media/presence', '{"mediaId":"m1","peerId":"p1"}', headers)).status).toBe(
        401,
      );
    }
    // Authenticated, the hostile cases are still refused with their codes.
    for (const [name, method, path, body, status, code] of CASES.filter((c) => c[1] === 'POST')) {
      const res = await send(p.url, method, path, body, { authorization: `Bearer ${TOKEN}` });
      expect({ name, status: res.status, code: res.code }).toEqual({ name, status, code });
    }
    await expectHealthyAndClean(p);
    expect(await p.stop()).toBe(0);
  }, 60_000);

  it('auth on (hmac): unsigned, stale and replayed writes store nothing', async () => {
    const p = await startHostileProxy({
      GUNPROXY_AUTH_MODE: 'hmac',
      GUNPROXY_AUTH_TOKEN: TOKEN,
      GUNPROXY_GET_MISS_WAIT_MS: '0',
    });
    const body = '{"soul":"abc:h1","data":{"v":1}}';
    expect((await send(p.url, 'POST', '/put', body)).status).toBe(401);
    expect((await send(p.url, 'POST', '/put', body, signedHeaders(TOKEN, body, Date.now() - 3_600_000))).code).toBe(
      'GUNPROXY_SIGNATURE_EXPIRED',
    );
    const v2 = '{"soul":"abc:signed","data":{"v":2}}';
    const captured = signedHeaders(TOKEN, v2);
    expect((await send(p.url, 'POST', '/put', v2, captured)).status).toBe(200);
    expect((await send(p.url, 'POST', '/put', v2, captured)).code).toBe('GUNPROXY_SIGNATURE_REPLAYED');
    // Correctly signed, the hostile bodies are still refused with their codes (the non-UTF-8 body
    // is refused before auth: it has no text to sign).
    for (const [name, method, path, raw, status, code] of CASES.filter(
      (c) => c[1] === 'POST' && typeof c[3] === 'string',
    )) {
      const res = await send(p.url, method, path, raw, signedHeaders(TOKEN, raw as string));
      expect({ name, status: res.status, code: res.code }).toEqual({ name, status, code });
    }
    await expectHealthyAndClean(p);
    expect(await p.stop()).toBe(0);
  }, 60_000);
});
