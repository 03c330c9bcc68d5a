// Legacy mode against what a real legacy relay (GUN behind gun-relay-server) answers.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { LegacyPublisher, convertArraysForGUN, startFakeRelay, type FakeRelay } from '../src/index.js';

let relay: FakeRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

async function get(url: string) {
  const res = await request(url);
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

const put = async (url: string, soul: string, data: unknown) => {
  const res = await request(`${url}/put`, { method: 'POST', body: JSON.stringify({ soul, data }) });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
};

describe('fake relay, legacy mode', () => {
  it('stores nested objects as child nodes and answers them as links', async () => {
    relay = await startFakeRelay({ mode: 'legacy', missDelayMs: 10 });
    expect(
      (await put(relay.url, 'a1b2c3d4e5f6:rec', { data: '{"x":1}', meta: { created: 5, deep: { k: 'v' } } })).status,
    ).toBe(200);
    const top = await get(`${relay.url}/get?soul=a1b2c3d4e5f6:rec`);
    expect(top.status).toBe(200);
    const node = top.json.data as Record<string, unknown>;
    expect(node.data).toBe('{"x":1}');
    expect(node.meta).toEqual({ '#': 'a1b2c3d4e5f6:rec/meta' });
    expect(node._).toMatchObject({ '#': 'a1b2c3d4e5f6:rec' });
    const meta = (await get(`${relay.url}/get?soul=${encodeURIComponent('a1b2c3d4e5f6:rec/meta')}`)).json
      .data as Record<string, unknown>;
    expect(meta).toMatchObject({ created: 5, deep: { '#': 'a1b2c3d4e5f6:rec/meta/deep' } });
    // a later put merges into the child node, as GUN does
    await put(relay.url, 'a1b2c3d4e5f6:rec', { meta: { encrypted: true } });
    const merged = (await get(`${relay.url}/get?soul=${encodeURIComponent('a1b2c3d4e5f6:rec/meta')}`)).json
      .data as Record<string, unknown>;
    expect(merged).toMatchObject({ created: 5, encrypted: true });
  });

  it('refuses arrays with a 500 as GUN does; the default mode still accepts them', async () => {
    relay = await startFakeRelay({ mode: 'legacy', missDelayMs: 10 });
    const r = await put(relay.url, 'a1b2c3d4e5f6:arr', { data: { basic: { tagItems: ['a'] } } });
    expect(r.status).toBe(500);
    expect(String(r.json.error)).toContain('Invalid data: Array');
    expect(relay.store.has('a1b2c3d4e5f6:arr')).toBe(false);
    await relay.close();
    relay = await startFakeRelay();
    expect(
      (await put(relay.url, 'a1b2c3d4e5f6:arr', { data: { basic: { tagItems: ['a'] } }, oip: { recordType: 'post' } }))
        .status,
    ).toBe(200);
  });

  it('answers legacy-registered index entries as links, flat, and ignores limit/after', async () => {
    relay = await startFakeRelay({ mode: 'legacy', missDelayMs: 10 });
    const pub = new LegacyPublisher({ baseUrl: relay.url, publicKey: 'pk-legacy', nodeId: 'node000000000001' });
    const a = await pub.publish({
      localId: 'w1',
      recordType: 'workout',
      data: { basic: { name: 'W', tagItems: ['fitness'] } },
      timestamp: 111,
    });
    await pub.publish({ localId: 'w2', recordType: 'workout', data: { basic: { name: 'W2' } }, timestamp: 222 });
    const idx = await get(`${relay.url}/get?soul=oip:registry:index:workout&limit=1&after=zzz`);
    expect(idx.status).toBe(200);
    expect(idx.json).not.toHaveProperty('next');
    const entries = idx.json.data as Record<string, unknown>;
    expect(Object.keys(entries).sort()).toEqual([a.soul, pub.soulFor('w2')].sort()); // flat: no `_`, no paging
    expect(entries[a.soul]).toEqual({ '#': `oip:registry:index:workout/${a.soul}` });
    const entry = await get(`${relay.url}/get?soul=${encodeURIComponent(`oip:registry:index:workout/${a.soul}`)}`);
    expect(entry.json.data).toMatchObject({ soul: a.soul, nodeId: 'node000000000001', timestamp: 111 });

    const rec = (await get(`${relay.url}/get?soul=${encodeURIComponent(a.soul)}`)).json.data as Record<string, unknown>;
    expect(rec.meta).toEqual({ '#': `${a.soul}/meta` });
    expect(JSON.parse(rec.data as string)).toEqual({ basic: { name: 'W', tagItems: '["fitness"]' } });
    expect(JSON.parse(rec.oip as string)).toMatchObject({
      recordType: 'workout',
      ver: '0.8.0',
      did: a.did,
      indexedAt: expect.any(String),
    });
  });

  it('puts an encrypted record with data and meta behind links', async () => {
    relay = await startFakeRelay({ mode: 'legacy', missDelayMs: 10 });
    const pub = new LegacyPublisher({ baseUrl: relay.url, publicKey: 'pk-legacy' });
    const { soul } = await pub.publish({
      localId: 'secret',
      recordType: 'post',
      data: { basic: { name: 'S' } },
      encrypted: true,
    });
    const rec = (await get(`${relay.url}/get?soul=${encodeURIComponent(soul)}`)).json.data as Record<string, unknown>;
    expect(rec.data).toEqual({ '#': `${soul}/data` });
    const meta = (await get(`${relay.url}/get?soul=${encodeURIComponent(`${soul}/meta`)}`)).json.data;
    expect(meta).toMatchObject({ encrypted: true, encryptionMethod: 'aes-256-gcm' });
  });

  it('writes the deletion registry the legacy way', async () => {
    relay = await startFakeRelay({ mode: 'legacy', missDelayMs: 10 });
    const pub = new LegacyPublisher({ baseUrl: relay.url, publicKey: 'pk-legacy' });
    await pub.markDeleted('did:gun:abc:x');
    expect(relay.store.get('oip:deleted:records:index')).toMatchObject({ 'did:gun:abc:x': true });
    expect(relay.store.get('oip:deleted:records:did:gun:abc:x')).toMatchObject({
      did: 'did:gun:abc:x',
      timestamp: expect.stringMatching(/Z$/),
    });
  });

  it('waits missDelayMs before a 404 (3 s unless configured)', async () => {
    relay = await startFakeRelay({ mode: 'legacy', missDelayMs: 150 });
    const t = performance.now();
    expect((await get(`${relay.url}/get?soul=nope`)).status).toBe(404);
    expect(performance.now() - t).toBeGreaterThanOrEqual(140);
  });

  it('convertArraysForGUN turns arrays at any depth into their JSON text', () => {
    expect(convertArraysForGUN({ a: [1, 2], b: { c: ['x'], d: 'y' }, e: null })).toEqual({
      a: '[1,2]',
      b: { c: '["x"]', d: 'y' },
      e: null,
    });
  });
});
