import { describe, expect, it } from 'vitest';
import { dropNulls } from '../../src/services/hide-nulls.js';

describe('dropNulls', () => {
  it('drops null fields at any depth and keeps the rest', () => {
    expect(dropNulls({ a: null, b: { c: null, d: [1, null, { e: null, f: 'x' }] } })).toEqual({
      b: { d: [1, null, { f: 'x' }] },
    });
  });

  it('keeps an own __proto__ key of a stored record as a key, not as the prototype', () => {
    const record = JSON.parse('{"data":{"basic":{"__proto__":{"name":"forged"},"note":null}}}') as {
      data: { basic: object };
    };
    const basic = dropNulls(record).data.basic as Record<string, unknown>;
    expect(Object.keys(basic)).toEqual(['__proto__']);
    expect(basic['name']).toBeUndefined();
    expect(JSON.stringify(basic)).toBe('{"__proto__":{"name":"forged"}}');
  });
});
