import { describe, expect, it } from 'vitest';
import { signBody, signedHeaders } from '../../src/app.js';
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

  it('hmac mode: the signature covers the timestamp and the exact bytes sent', async () => {
    const p = await start({ authMode: 'hmac', authToken: TOKEN });
    const raw = JSON.stringify({ soul: 'abc:auth-2', data: { a: 2 } });
    expect((await http(p.url, 'POST', '/put', raw)).status).toBe(401);
    const tampered = raw.replace('"a":2', '"a":3');
    expect((await http(p.url, 'POST', '/put', tampered, signedHeaders(TOKEN, raw))).status).toBe(401);
    // The old body-only signature is not enough any more.
    expect((await http(p.url, 'POST', '/put', raw, { 'x-oip-signature': `sha256=${'0'.repeat(64)}` })).status).toBe(
      401,
    );
    // A signature for another timestamp does not verify.
    const now = Date.now();
    expect(
      (
        await http(p.url, 'POST', '/put', raw, {
          'x-oip-timestamp': String(now + 1),
          'x-oip-signature': signBody(TOKEN, raw, now),
        })
      ).status,
    ).toBe(401);
    expect((await http(p.url, 'POST', '/put', raw, signedHeaders(TOKEN, raw))).status).toBe(200);
    expect(p.app.gunPeer.store.readNode('abc:auth-2')).toMatchObject({ a: 2 });
    // Seconds since epoch are accepted too.
    const secs = String(Math.floor(Date.now() / 1000));
    const raw3 = JSON.stringify({ soul: 'abc:auth-3', data: { a: 3 } });
    expect(
      (
        await http(p.url, 'POST', '/put', raw3, {
          'x-oip-timestamp': secs,
          'x-oip-signature': signBody(TOKEN, raw3, secs),
        })
      ).status,
    ).toBe(200);
  });

  it('hmac mode: a captured write is refused outside the window and when replayed inside it', async () => {
    const p = await start({ authMode: 'hmac', authToken: TOKEN, hmacWindowSeconds: 60 });
    const v1 = JSON.stringify({ soul: 'abc:rollback', data: { v: 1 } });
    const v2 = JSON.stringify({ soul: 'abc:rollback', data: { v: 2 } });
    const captured = signedHeaders(TOKEN, v1);
    expect((await http(p.url, 'POST', '/put', v1, captured)).status).toBe(200);
    expect((await http(p.url, 'POST', '/put', v2, signedHeaders(TOKEN, v2))).status).toBe(200);
    // Replaying the captured v1 inside the window would roll the record back.
    const replay = await http(p.url, 'POST', '/put', v1, captured);
    expect(replay).toMatchObject({ status: 401, body: { error: 'Unauthorized' } });
    expect(replay.headers['x-error-code']).toBe('GUNPROXY_SIGNATURE_REPLAYED');
    // Signed long ago (or in the future) is refused even though the signature is valid.
    for (const at of [Date.now() - 61_000, Date.now() + 61_000]) {
      const old = await http(p.url, 'POST', '/put', v1, signedHeaders(TOKEN, v1, at));
      expect(old.status).toBe(401);
      expect(old.headers['x-error-code']).toBe('GUNPROXY_SIGNATURE_EXPIRED');
    }
    expect((await http(p.url, 'GET', '/get?soul=abc:rollback')).body).toEqual({ success: true, data: { v: 2 } });
    // A malformed timestamp is a plain 401.
    expect(
      (
        await http(p.url, 'POST', '/put', v1, {
          'x-oip-timestamp': 'yesterday',
          'x-oip-signature': signBody(TOKEN, v1, 'yesterday'),
        })
      ).status,
    ).toBe(401);
  });

  it('hmac mode: with the replay set full of live signatures, new writes wait (503) rather than forget one', async () => {
    const p = await start({ authMode: 'hmac', authToken: TOKEN, hmacNonceMax: 100 });
    const bodies = Array.from({ length: 101 }, (_, i) => JSON.stringify({ soul: `abc:n${i}`, data: { i } }));
    for (const b of bodies.slice(0, 100))
      expect((await http(p.url, 'POST', '/put', b, signedHeaders(TOKEN, b))).status).toBe(200);
    const full = await http(p.url, 'POST', '/put', bodies[100]!, signedHeaders(TOKEN, bodies[100]!));
    expect(full.status).toBe(503);
    expect(full.headers['x-error-code']).toBe('GUNPROXY_REPLAY_SET_FULL');
  });
});
