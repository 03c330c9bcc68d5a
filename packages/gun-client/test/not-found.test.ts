import { describe, expect, it } from 'vitest';
import type { GunClient } from '../src/index.js';
import { sampleRecord, useFakeRelay } from './helpers.js';

const fx = useFakeRelay();
let client: GunClient;
describe('a 404 is an answer', () => {
  it('sends exactly one request for a missing soul, then none while cached', async () => {
    client = fx.client();
    expect(await client.getRecord('647f79c2a338:missing')).toBeNull();
    expect(fx.relay.countBySoul('647f79c2a338:missing')).toBe(1);
    for (let i = 0; i < 5; i++) expect(await client.getRecord('647f79c2a338:missing')).toBeNull();
    expect(fx.relay.countBySoul('647f79c2a338:missing')).toBe(1);
    const s = client.stats();
    expect(s.retries).toBe(0);
    expect(s.notFound).toBe(1);
    expect(s.negativeCache).toMatchObject({ size: 1, hits: 5, misses: 1 });
  });

  it('coalesces 50 concurrent lookups of one missing soul into one request', async () => {
    client = fx.client();
    fx.relay.addFault({ path: '/get', delayMs: 50 }); // keep the first request in flight while the others arrive
    const results = await Promise.all(Array.from({ length: 50 }, () => client.getRecord('abc:missing')));
    expect(results.every((r) => r === null)).toBe(true);
    expect(fx.relay.countByPath('/get')).toBe(1);
    expect(client.stats().coalesced).toBe(49);
  });

  it('treats a 200 { success: false } body as not found too', async () => {
    client = fx.client();
    fx.relay.addFault({ path: '/get', status: 200, body: { success: false, error: 'Not found' } });
    expect(await client.getSoul('x:y')).toBeNull();
    expect(await client.getSoul('x:y')).toBeNull();
    expect(fx.relay.countByPath('/get')).toBe(1);
  });

  it('forgets the miss when the soul is put through the client', async () => {
    client = fx.client();
    expect(await client.getRecord('abc:later')).toBeNull();
    await client.putRecord('abc:later', sampleRecord);
    const got = await client.getRecord('abc:later');
    expect(got?.oip).toEqual(sampleRecord.oip);
    expect(fx.relay.countBySoul('abc:later')).toBe(3); // get, put, get
  });

  it('expires entries after the TTL and bounds the cache with LRU eviction', async () => {
    client = fx.client({ negativeCache: { max: 3, ttlMs: 60 } });
    for (const s of ['a:1', 'a:2', 'a:3', 'a:4']) await client.getSoul(s);
    expect(client.stats().negativeCache).toMatchObject({ size: 3, evictions: 1 });
    await client.getSoul('a:1'); // evicted: asks again
    expect(fx.relay.countBySoul('a:1')).toBe(2);
    await new Promise((r) => setTimeout(r, 80));
    await client.getSoul('a:4'); // expired: asks again
    expect(fx.relay.countBySoul('a:4')).toBe(2);
  });

  it('can be disabled', async () => {
    client = fx.client({ negativeCache: false });
    await client.getSoul('a:1');
    await client.getSoul('a:1');
    expect(fx.relay.countBySoul('a:1')).toBe(2);
    expect(client.stats().negativeCache).toBeNull();
  });
});
