import { describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { http, sampleRecord, useProxies } from '../helpers.js';

const start = useProxies();

describe('relay routes (legacy API) against a running gun-proxy', () => {
  it('round-trips a record: data/oip stored as JSON strings in GUN and parsed back', async () => {
    const p = await start();
    const soul = '647f79c2a338:workout-1';
    const record = sampleRecord(soul, 'workout');
    const put = await http(p.url, 'POST', '/put', { soul, data: record });
    expect(put).toMatchObject({ status: 200, body: { success: true, soul } });

    const get = await http(p.url, 'GET', `/get?soul=${encodeURIComponent(soul)}`);
    expect(get.status).toBe(200);
    expect(get.body).toEqual({ success: true, data: record });

    // The GUN node itself holds strings (GUN cannot hold arrays) and a link to the meta node.
    const node = p.app.gunPeer.store.readNode(soul)!;
    expect(typeof node.data).toBe('string');
    expect(JSON.parse(node.data as string)).toEqual(record.data);
    expect(JSON.parse(node.meta as string)).toEqual(record.meta);
  });

  it('accepts data/oip already stringified by a legacy client and answers them parsed', async () => {
    const p = await start();
    const soul = '647f79c2a338:legacy-1';
    const record = sampleRecord(soul);
    const legacy = { ...record, data: JSON.stringify(record.data), oip: JSON.stringify(record.oip) };
    expect((await http(p.url, 'POST', '/put', { soul, data: legacy })).status).toBe(200);
    const get = await http(p.url, 'GET', `/get?soul=${soul}`);
    expect(get.body).toEqual({ success: true, data: record });
  });

  it('merges simple souls: concurrent registry-index registrations keep every entry', async () => {
    const p = await start();
    const soul = 'oip:registry:index:post';
    const entries = Array.from({ length: 20 }, (_, i) => ({
      soul: `647f79c2a338:p${i}`,
      nodeId: 'aaaabbbbccccdddd',
      timestamp: 1000 + i,
    }));
    const results = await Promise.all(entries.map((e) => http(p.url, 'POST', '/put', { soul, data: { [e.soul]: e } })));
    expect(results.map((r) => r.status)).toEqual(entries.map(() => 200));
    const get = await http(p.url, 'GET', `/get?soul=${encodeURIComponent(soul)}`);
    expect(get.status).toBe(200);
    const data = (get.body as { data: Record<string, unknown> }).data;
    expect(Object.keys(data).sort()).toEqual(entries.map((e) => e.soul).sort());
    expect(data['647f79c2a338:p3']).toEqual(entries[3]);
  });

  it('answers a missing soul 404 with the legacy body within the configured wait', async () => {
    const p = await start({ getMissWaitMs: 300 });
    const res = await http(p.url, 'GET', '/get?soul=647f79c2a338:nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Not found' });
    expect(res.headers['x-error-code']).toBe('GUNPROXY_NOT_FOUND');
    expect(res.ms).toBeLessThan(300 + 200);
  });

  it('waits at most getMissWaitMs for a connected peer that does not answer with data', async () => {
    const a = await start();
    const b = await start({ peers: [a.wsUrl], getMissWaitMs: 400 });
    await waitForPeer(b.url);
    const res = await http(b.url, 'GET', '/get?soul=647f79c2a338:absent');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Not found' });
    expect(res.ms).toBeLessThan(400 + 250);
  });

  it('rejects bad input with legacy bodies: missing/invalid soul, bad JSON, oversized body, bad put body', async () => {
    const p = await start({ bodyLimitBytes: 4096 });
    expect(await http(p.url, 'GET', '/get')).toMatchObject({ status: 400, body: { error: 'Soul parameter required' } });
    const ctl = await http(p.url, 'GET', `/get?soul=${encodeURIComponent('abc\u0001def')}`);
    expect(ctl).toMatchObject({ status: 400, body: { error: 'Invalid soul' } });
    expect(ctl.headers['x-error-code']).toBe('GUNPROXY_INVALID_SOUL');
    expect((await http(p.url, 'GET', `/get?soul=${'a'.repeat(513)}`)).status).toBe(400);
    expect((await http(p.url, 'POST', '/put', { soul: 'has space', data: { a: 1 } })).status).toBe(400);
    expect(await http(p.url, 'POST', '/put', '{"soul": "x", "data": {')).toMatchObject({
      status: 400,
      body: { error: 'Invalid JSON' },
    });
    expect(await http(p.url, 'POST', '/put', { soul: 'x:1' })).toMatchObject({
      status: 400,
      body: { error: 'soul and data required' },
    });
    expect(await http(p.url, 'POST', '/put', { soul: 'x:1', data: 'str' })).toMatchObject({ status: 400 });
    const big = await http(p.url, 'POST', '/put', { soul: 'x:big', data: { blob: 'y'.repeat(8000) } });
    expect(big).toMatchObject({ status: 413, body: { error: 'Payload too large' } });
    expect(big.headers['x-error-code']).toBe('GUNPROXY_BODY_TOO_LARGE');
    // Nothing was stored by the refused writes.
    expect(p.app.gunPeer.store.readNode('x:1')).toBeUndefined();
    expect(p.app.gunPeer.store.readNode('x:big')).toBeUndefined();
  });

  it('answers unknown routes with the house error shape and OPTIONS with 200 + CORS', async () => {
    const p = await start();
    const res = await http(p.url, 'GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'GUNPROXY_ROUTE_NOT_FOUND' }, requestId: expect.any(String) });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    // Legacy answered any OPTIONS with 200, a bare one too.
    const opt = await http(p.url, 'OPTIONS', '/put');
    expect(opt.status).toBe(200);
    expect(opt.headers['access-control-allow-origin']).toBe('*');
    const pre = await http(p.url, 'OPTIONS', '/put', undefined, {
      origin: 'https://app.example',
      'access-control-request-method': 'POST',
    });
    expect(pre.status).toBe(200);
    expect(pre.headers['access-control-allow-headers']).toBe(
      'Content-Type, Authorization, X-OIP-Signature, X-OIP-Timestamp',
    );
  });

  it("/list pages a publisher's records, filters by recordType, and follows type changes", async () => {
    const p = await start();
    const ph = 'aaaaaaaaaaaa';
    for (let i = 0; i < 12; i++) {
      const soul = `${ph}:r${String(i).padStart(2, '0')}`;
      const res = await http(p.url, 'POST', '/put', { soul, data: sampleRecord(soul, i % 3 === 0 ? 'image' : 'post') });
      expect(res.status).toBe(200);
    }
    // another publisher's record must not show up
    await http(p.url, 'POST', '/put', { soul: 'bbbbbbbbbbbb:r00', data: sampleRecord('bbbbbbbbbbbb:r00') });

    const page1 = await http(p.url, 'GET', `/list?publisherHash=${ph}&limit=5&offset=0`);
    const page3 = await http(p.url, 'GET', `/list?publisherHash=${ph}&limit=5&offset=10`);
    type ListBody = {
      success: boolean;
      records: Array<{ soul: string; data: { oip: { recordType: string } }; recordType: string; storedAt: number }>;
    };
    const b1 = page1.body as ListBody;
    expect(b1.success).toBe(true);
    expect(b1.records.map((r) => r.soul)).toEqual(['r00', 'r01', 'r02', 'r03', 'r04'].map((s) => `${ph}:${s}`));
    expect(b1.records[1]).toMatchObject({
      recordType: 'post',
      storedAt: expect.any(Number),
      data: { oip: { recordType: 'post' } },
    });
    expect((page3.body as ListBody).records.map((r) => r.soul)).toEqual([`${ph}:r10`, `${ph}:r11`]);

    const images = (await http(p.url, 'GET', `/list?publisherHash=${ph}&recordType=image&limit=50`)).body as ListBody;
    expect(images.records.map((r) => r.soul)).toEqual(['r00', 'r03', 'r06', 'r09'].map((s) => `${ph}:${s}`));
    expect(images.records.every((r) => r.recordType === 'image' && r.data.oip.recordType === 'image')).toBe(true);
    const images2 = (await http(p.url, 'GET', `/list?publisherHash=${ph}&recordType=image&limit=2&offset=2`))
      .body as ListBody;
    expect(images2.records.map((r) => r.soul)).toEqual([`${ph}:r06`, `${ph}:r09`]);

    // r03 becomes a post: it leaves the image list and joins the post list
    await http(p.url, 'POST', '/put', { soul: `${ph}:r03`, data: sampleRecord(`${ph}:r03`, 'post') });
    const after = (await http(p.url, 'GET', `/list?publisherHash=${ph}&recordType=image`)).body as ListBody;
    expect(after.records.map((r) => r.soul)).toEqual(['r00', 'r06', 'r09'].map((s) => `${ph}:${s}`));
    const posts = (await http(p.url, 'GET', `/list?publisherHash=${ph}&recordType=post&limit=100`)).body as ListBody;
    expect(posts.records).toHaveLength(9);

    expect(await http(p.url, 'GET', '/list')).toMatchObject({
      status: 400,
      body: { error: 'publisherHash parameter required' },
    });
    expect((await http(p.url, 'GET', `/list?publisherHash=${ph}&limit=-1`)).status).toBe(400);
    expect(((await http(p.url, 'GET', '/list?publisherHash=cccccccccccc')).body as ListBody).records).toEqual([]);
  });
});

async function waitForPeer(url: string): Promise<void> {
  await until(
    async () => ((await http(url, 'GET', '/peers/status')).body as { connectedPeers: number }).connectedPeers > 0,
    { what: 'the peer to connect', intervalMs: 25 },
  );
}
