import { describe, expect, it } from 'vitest';
import { signBody } from '../../src/app.js';
import { http, useProxies } from '../helpers.js';

const start = useProxies();
const TOKEN = 'a-shared-secret-of-32-characters!';

describe('write auth', () => {
  it('token mode: writes need the bearer token, reads do not', async () => {
    const p = await start({ authMode: 'token', authToken: TOKEN });
    const body = { soul: 'abc:auth-1', data: { a: 1 } };
    const none = await http(p.url, 'POST', '/put', body);
    expect(none).toMatchObject({ status: 401, body: { error: 'Unauthorized' } });
    expect(none.headers['x-error-code']).toBe('GUNPROXY_UNAUTHORIZED');
    expect((await http(p.url, 'POST', '/put', body, { authorization: 'Bearer wrong-token' })).status).toBe(401);
    expect((await http(p.url, 'POST', '/media/presence', { mediaId: 'm', peerId: 'p' })).status).toBe(401);
    expect(p.app.gunPeer.store.readNode('abc:auth-1')).toBeUndefined();

    expect((await http(p.url, 'POST', '/put', body, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await http(p.url, 'GET', '/get?soul=abc:auth-1')).status).toBe(200);
  });

  it('hmac mode: the body signature must match the exact bytes sent', async () => {
    const p = await start({ authMode: 'hmac', authToken: TOKEN });
    const raw = JSON.stringify({ soul: 'abc:auth-2', data: { a: 2 } });
    expect((await http(p.url, 'POST', '/put', raw)).status).toBe(401);
    const tampered = raw.replace('"a":2', '"a":3');
    expect((await http(p.url, 'POST', '/put', tampered, { 'x-oip-signature': signBody(TOKEN, raw) })).status).toBe(401);
    expect((await http(p.url, 'POST', '/put', raw, { 'x-oip-signature': signBody(TOKEN, raw) })).status).toBe(200);
    expect(p.app.gunPeer.store.readNode('abc:auth-2')).toMatchObject({ a: 2 });
  });
});
