import { describe, expect, it } from 'vitest';
import { percentEncode, ref, resolveRefs, targetOf, type FuzzFixtures, type FuzzRequest } from '../src/fuzz-request.js';
import { jsonObject, toJsonText } from '../src/json-text.js';

const fixtures: FuzzFixtures = {
  did: ['did:gun:aa:1', 'did:gun:aa:2'],
  deletable: [],
  media: ['m'],
  creator: [],
  pubkey: [],
  email: [],
  soul: [],
  handle: [],
};

describe('requests as data', () => {
  it('resolves fixture references modulo the fixtures there are, and leaves a kind with none as written', () => {
    expect(resolveRefs(`${ref('did', 3)}|${ref('media', 0)}|${ref('email', 1)}`, fixtures)).toBe(
      `did:gun:aa:2|m|${ref('email', 1)}`,
    );
  });

  it('encodes the UTF-8 of every segment and query value, lone surrogates included, raw query verbatim', () => {
    expect(percentEncode('a b/\u0000é\uD800')).toBe('a%20b%2F%00%C3%A9%EF%BF%BD');
    const r: FuzzRequest = {
      route: 'x',
      kind: 'valid',
      method: 'GET',
      segments: ['api', 'records', ref('did', 0)],
      query: [
        ['tags', 'a,b'],
        ['tags', '&'],
      ],
      rawQuery: '%zz',
      identity: 'anonymous',
      headers: {},
    };
    expect(targetOf(r, fixtures)).toBe('/api/records/did%3Agun%3Aaa%3A1?tags=a%2Cb&tags=%26&%zz');
  });

  it('writes repeated keys, prototype keys and raw tokens into the JSON text', () => {
    expect(
      toJsonText(
        jsonObject([
          ['a', 1],
          ['a', { raw: '1e400' }],
          ['__proto__', [null, 'x']],
        ]),
      ),
    ).toBe('{"a":1,"a":1e400,"__proto__":[null,"x"]}');
  });
});
