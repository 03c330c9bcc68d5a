// Array restoring and link following on their own, against a real legacy-mode fake relay.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { hasLink, recordFromNode, resolveLinks, restoreGunArrays } from '../src/index.js';
import { httpLinkSource } from './helpers/http-link-source.js';

describe('restoreGunArrays (the legacy consumer rule)', () => {
  it('turns JSON-array strings back into arrays at any object depth and leaves everything else', () => {
    const data = {
      basic: { tagItems: '["fitness","ex0"]', description: '[bracketed] step', name: '[x]', empty: '[]' },
      workout: { exercise: '["did:gun:a:b"]', nested: { deep: '[1,[2]]' }, obj: '{"a":1}', num: 3, nul: null },
      list: ['["kept as is"]'],
      padded: ' ["a"]',
    };
    expect(restoreGunArrays(data)).toEqual({
      basic: { tagItems: ['fitness', 'ex0'], description: '[bracketed] step', name: '[x]', empty: [] },
      workout: { exercise: ['did:gun:a:b'], nested: { deep: [1, [2]] }, obj: '{"a":1}', num: 3, nul: null },
      list: ['["kept as is"]'],
      padded: ' ["a"]',
    });
    expect(data.basic.tagItems).toBe('["fitness","ex0"]'); // input untouched
  });

  it('keeps an own __proto__ key as a key, not as the prototype of the restored object', () => {
    const data = JSON.parse('{"basic":{"__proto__":{"name":"forged","tagItems":"[\\"a\\"]"},"description":"d"}}') as {
      basic: Record<string, unknown>;
    };
    const basic = restoreGunArrays(data).basic;
    expect(Object.hasOwn(basic, '__proto__')).toBe(true);
    expect(basic['name']).toBeUndefined();
    expect(Object.keys(basic)).toEqual(['__proto__', 'description']);
    expect(basic['__proto__']).toEqual({ name: 'forged', tagItems: ['a'] });
  });
});

describe('resolveLinks', () => {
  let relay: FakeRelay | undefined;
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });

  /** A legacy-mode relay, a link source reading it over HTTP, and its records as a relay client reads them. */
  const setup = async () => {
    relay = await startFakeRelay({ mode: 'legacy', missDelayMs: 5 });
    const client = httpLinkSource(relay.url);
    const getRecord = async (soul: string) => {
      const node = await client.getSoul(soul);
      return node ? recordFromNode(node) : null;
    };
    return { relay, client, getRecord };
  };

  it('replaces links at every level by their nodes, without GUN metadata, and returns link-free input as is', async () => {
    const { relay, client, getRecord } = await setup();
    relay.store.put('abcabcabcabc:r', { data: '{}', meta: { created: 1, inner: { k: 'v', deeper: { z: true } } } });
    const record = await getRecord('abcabcabcabc:r');
    expect(hasLink(record)).toBe(true);
    const out = await resolveLinks(record!, client);
    expect(out.meta).toEqual({ created: 1, inner: { k: 'v', deeper: { z: true } } });
    expect(hasLink(out)).toBe(false);
    const plain = { data: { basic: {} }, oip: {} };
    expect(await resolveLinks(plain, client)).toBe(plain);
  });

  it('throws the bound error past maxLinks, maxDepth or maxBytes, and the unresolved error for a missing node', async () => {
    const { relay, client, getRecord } = await setup();
    relay.store.put('abcabcabcabc:wide', {
      meta: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, { v: i }])),
    });
    relay.store.put('abcabcabcabc:deep', { meta: { a: { b: { c: { d: { e: 1 } } } } } });
    relay.store.put('abcabcabcabc:big', { meta: { blob: 'x'.repeat(5000) } });
    relay.store.put('abcabcabcabc:gone', { meta: { a: 1 } });
    relay.store.delete('abcabcabcabc:gone/meta');
    const code = async (soul: string, bounds = {}) => {
      const r = await getRecord(soul);
      return resolveLinks(r!, client, bounds).then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
    };
    expect(await code('abcabcabcabc:wide')).toBe('RECORDS_ERR_LINK_BOUND'); // 1 + 40 links > 32
    expect(await code('abcabcabcabc:wide', { maxLinks: 41 })).toBe('ok');
    expect(await code('abcabcabcabc:deep')).toBe('RECORDS_ERR_LINK_BOUND'); // 5 levels > 4
    expect(await code('abcabcabcabc:big', { maxBytes: 1000 })).toBe('RECORDS_ERR_LINK_BOUND');
    expect(await code('abcabcabcabc:gone')).toBe('RECORDS_ERR_LINK_UNRESOLVED');
  });
});
