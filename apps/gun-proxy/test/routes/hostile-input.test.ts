// Client input that used to pollute Object.prototype, answer 5xx, or be acknowledged and stored
// differently (issue 10): each is a 400 with a stable code and nothing is stored.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { http, useProxies } from '../helpers.js';

const start = useProxies();

const PRISTINE = Object.getOwnPropertyNames(Object.prototype).sort();
afterEach(() => {
  // Objects made from here on must not inherit anything a request put there.
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PRISTINE);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

const deep = (n: number, leaf = '1'): string => '{"a":'.repeat(n) + leaf + '}'.repeat(n);

async function rawPost(
  base: string,
  path: string,
  body: Buffer | string,
): Promise<{ status: number; code: unknown; body: unknown }> {
  const res = await request(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    code: res.headers['x-error-code'],
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

describe('hostile HTTP input', () => {
  it('refuses reserved souls (__proto__, constructor, Object.prototype members) with GUNPROXY_RESERVED_NAME', async () => {
    const p = await start();
    for (const soul of [
      '__proto__',
      'constructor',
      'prototype',
      'hasOwnProperty',
      'toString',
      'valueOf',
      '__defineGetter__',
    ]) {
      const res = await rawPost(
        p.url,
        '/put',
        `{"soul":${JSON.stringify(soul)},"data":{"polluted":"yes","_":{"#":"x"}}}`,
      );
      expect({ soul, status: res.status, code: res.code }).toEqual({
        soul,
        status: 400,
        code: 'GUNPROXY_RESERVED_NAME',
      });
      expect(p.app.gunPeer.store.hasSoul(soul)).toBe(false);
      const get = await http(p.url, 'GET', `/get?soul=${soul}`);
      expect({ soul, status: get.status, code: get.headers['x-error-code'] }).toEqual({
        soul,
        status: 400,
        code: 'GUNPROXY_RESERVED_NAME',
      });
    }
    // The app still answers (prom-client threw on every response after a pollution).
    expect((await http(p.url, 'GET', '/metrics')).status).toBe(200);
  });

  it('refuses a __proto__ key anywhere in the body; stores constructor/prototype keys as plain keys', async () => {
    const p = await start();
    for (const body of [
      '{"soul":"abc:p1","data":{"__proto__":{"polluted":"yes"}}}',
      '{"soul":"abc:p1","data":{"x":{"y":{"__proto__":{"polluted":"yes"}}}}}',
      '{"soul":"abc:p1","data":{"\\u005f_proto__":{"polluted":"yes"}}}',
      '{"__proto__":{"polluted":"yes"},"soul":"abc:p1","data":{}}',
    ]) {
      const res = await rawPost(p.url, '/put', body);
      expect({ body, status: res.status, code: res.code }).toEqual({
        body,
        status: 400,
        code: 'GUNPROXY_RESERVED_NAME',
      });
    }
    expect(p.app.gunPeer.store.hasSoul('abc:p1')).toBe(false);

    const data = { constructor: { prototype: { polluted: 'yes' } }, hasOwnProperty: 'x', toString: 1 };
    expect((await http(p.url, 'POST', '/put', { soul: 'abc:p2', data })).status).toBe(200);
    expect((await http(p.url, 'GET', '/get?soul=abc:p2')).body).toEqual({ success: true, data });
  });

  it('answers 400 for 5,000+ deep nesting in data and in presence protocols', async () => {
    const p = await start();
    const put = await rawPost(p.url, '/put', `{"soul":"abc:deep","data":${deep(5000)}}`);
    expect(put).toMatchObject({ status: 400, code: 'GUNPROXY_TOO_DEEP' });
    const presence = await rawPost(
      p.url,
      '/media/presence',
      `{"mediaId":"m1","peerId":"p1","protocols":${deep(20_000)}}`,
    );
    expect(presence).toMatchObject({ status: 400, code: 'GUNPROXY_TOO_DEEP' });
    // Nesting within the bound is still stored (deep levels as JSON strings, as before).
    expect((await rawPost(p.url, '/put', `{"soul":"abc:deep","data":${deep(40)}}`)).status).toBe(200);
    expect(p.app.gunPeer.store.hasSoul('abc:deep')).toBe(true);
  });

  it('bounds /list numbers in the schema (offset=1e20 was a 500)', async () => {
    const p = await start();
    for (const q of ['offset=1e20', 'limit=1e20', 'offset=-1', 'limit=abc', 'offset=1.5']) {
      const res = await http(p.url, 'GET', `/list?publisherHash=abc&${q}`);
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
    }
    expect((await http(p.url, 'GET', '/list?publisherHash=abc&offset=10&limit=5')).status).toBe(200);
  });

  it('refuses numbers that overflow (1e400) instead of storing null', async () => {
    const p = await start();
    for (const data of ['{"n":1e400}', '{"n":-1e400}', '{"x":{"n":1e999}}']) {
      const res = await rawPost(p.url, '/put', `{"soul":"abc:inf","data":${data}}`);
      expect({ data, status: res.status, code: res.code }).toEqual({
        data,
        status: 400,
        code: 'GUNPROXY_NUMBER_NOT_FINITE',
      });
    }
    // In a record, data is stored as a JSON string: Infinity would have become null there too.
    const rec = await rawPost(
      p.url,
      '/put',
      '{"soul":"abc:inf","data":{"data":{"n":1e400},"oip":{"recordType":"post"}}}',
    );
    expect(rec).toMatchObject({ status: 400, code: 'GUNPROXY_NUMBER_NOT_FINITE' });
    expect(p.app.gunPeer.store.hasSoul('abc:inf')).toBe(false);
  });

  it('refuses non-string souls instead of coercing them', async () => {
    const p = await start();
    for (const soul of ['123', 'true', '["a"]', '{"#":"a"}']) {
      const res = await rawPost(p.url, '/put', `{"soul":${soul},"data":{"v":1}}`);
      expect({ soul, status: res.status, code: res.code }).toEqual({
        soul,
        status: 400,
        code: 'GUNPROXY_SOUL_NOT_STRING',
      });
    }
    for (const soul of ['123', 'true', 'a']) expect(p.app.gunPeer.store.hasSoul(soul)).toBe(false);
    // data must be an object, not coerced either; the legacy body and code for that are unchanged.
    expect(await rawPost(p.url, '/put', '{"soul":"abc:x","data":"v"}')).toMatchObject({
      status: 400,
      code: 'GUNPROXY_PUT_BODY',
      body: { error: 'soul and data required' },
    });
  });

  it('refuses a body that is not UTF-8 instead of storing U+FFFD', async () => {
    const p = await start();
    const body = Buffer.concat([
      Buffer.from('{"soul":"abc:utf","data":{"name":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}}'),
    ]);
    expect(await rawPost(p.url, '/put', body)).toMatchObject({ status: 400, code: 'GUNPROXY_INVALID_UTF8' });
    expect(p.app.gunPeer.store.hasSoul('abc:utf')).toBe(false);
    // Well-formed multi-byte text is fine.
    expect((await http(p.url, 'POST', '/put', { soul: 'abc:utf', data: { name: 'Zoë 🎉' } })).status).toBe(200);
    expect((await http(p.url, 'GET', '/get?soul=abc:utf')).body).toEqual({ success: true, data: { name: 'Zoë 🎉' } });
  });

  it('refuses a media id that would reach another soul (m1:peers:p1 is a presence soul)', async () => {
    const p = await start();
    expect(
      (await http(p.url, 'POST', '/media/presence', { mediaId: 'm1', peerId: 'p1', endpoints: { http: 'http://h' } }))
        .status,
    ).toBe(200);
    const before = p.app.gunPeer.store.readNode('media:m1:peers:p1');
    for (const id of ['m1:peers:p1', 'm1/peers', 'a b', 'x'.repeat(129)]) {
      const res = await http(p.url, 'POST', '/media/manifest', { media: { id }, name: 'evil' });
      expect({ id, status: res.status, code: res.headers['x-error-code'] }).toEqual({
        id,
        status: 400,
        code: 'GUNPROXY_INVALID_MEDIA_ID',
      });
    }
    expect(await http(p.url, 'POST', '/media/presence', { mediaId: 'm1:x', peerId: 'p1' })).toMatchObject({
      status: 400,
    });
    expect(await http(p.url, 'POST', '/media/presence', { mediaId: 'm1', peerId: 'p1/x' })).toMatchObject({
      status: 400,
    });
    expect(p.app.gunPeer.store.readNode('media:m1:peers:p1')).toEqual(before);
    expect((await http(p.url, 'POST', '/media/manifest', { media: { id: 'ab'.repeat(32) }, name: 'ok' })).status).toBe(
      200,
    );
  });
});
