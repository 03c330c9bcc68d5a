import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startFakeRelay, type FakeRelay } from '../src/index.js';

let relay: FakeRelay;
afterEach(async () => relay?.close());

async function get(url: string) {
  const res = await request(url);
  const text = await res.body.text();
  return { status: res.statusCode, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

describe('fake relay, legacy wire format', () => {
  it('stores records with data/oip as JSON strings and parses them back on /get', async () => {
    relay = await startFakeRelay();
    const record = { data: { basic: { name: 'A', tagItems: ['x'] } }, oip: { recordType: 'post', ver: '0.8.0' } };
    const put = await request(`${relay.url}/put`, {
      method: 'POST',
      body: JSON.stringify({ soul: '647f79c2a338:a', data: record }),
    });
    expect(put.statusCode).toBe(200);
    expect(await put.body.json()).toEqual({ success: true, soul: '647f79c2a338:a' });
    const res = await get(`${relay.url}/get?soul=647f79c2a338:a`);
    expect(res.json()).toMatchObject({ success: true, data: record });
    const list = await get(`${relay.url}/list?publisherHash=647f79c2a338&recordType=post`);
    expect((list.json().records as unknown[]).length).toBe(1);
  });

  it('answers the legacy errors', async () => {
    relay = await startFakeRelay();
    expect((await get(`${relay.url}/get`)).json()).toEqual({ error: 'Soul parameter required' });
    const miss = await get(`${relay.url}/get?soul=nope`);
    expect(miss.status).toBe(404);
    expect(miss.json()).toEqual({ error: 'Not found' });
    const bad = await request(`${relay.url}/put`, { method: 'POST', body: '{bad' });
    expect(bad.statusCode).toBe(400);
    expect(await bad.body.json()).toEqual({ error: 'Invalid JSON' });
    expect(relay.countByPath('/get')).toBe(2);
    expect(relay.countBySoul('nope')).toBe(1);
  });

  it('applies scripted faults a bounded number of times', async () => {
    relay = await startFakeRelay();
    relay.store.put('s1', { a: 1 });
    relay.addFault({ path: '/get', status: 503, times: 2, retryAfter: '1' });
    expect((await get(`${relay.url}/get?soul=s1`)).status).toBe(503);
    expect((await get(`${relay.url}/get?soul=s1`)).status).toBe(503);
    expect((await get(`${relay.url}/get?soul=s1`)).status).toBe(200);
    relay.addFault({ soul: /^s/, reset: true });
    await expect(get(`${relay.url}/get?soul=s1`)).rejects.toThrow();
    relay.addFault({ garbage: true });
    await expect(get(`${relay.url}/get?soul=s1`).then((r) => r.json())).rejects.toThrow(SyntaxError);
    relay.addFault({ bytes: 200_000 });
    expect((await get(`${relay.url}/get?soul=s1`)).text.length).toBeGreaterThanOrEqual(199_000);
  });
});
