import { describe, expect, it } from 'vitest';
import { SAFE_WIDENINGS, checkWidening } from '../src/index.js';

describe('checkWidening', () => {
  it.each([
    ['long', 'double'],
    ['long', 'float'],
    ['integer', 'long'],
    ['short', 'integer'],
    ['byte', 'double'],
    ['float', 'double'],
    ['half_float', 'float'],
    ['keyword', 'text'],
  ])('%s → %s is a widening', (from, to) => {
    expect(checkWidening('p', from, to)).toBe('widen');
  });

  it.each([
    ['text', 'object', 'object_mismatch'],
    ['object', 'text', 'object_mismatch'],
    ['long', 'nested', 'object_mismatch'],
    ['double', 'long', 'narrowing'],
    ['long', 'integer', 'narrowing'],
    ['float', 'half_float', 'narrowing'],
    ['text', 'keyword', 'narrowing'],
    ['long', 'text', 'not_a_widening'],
    ['date', 'long', 'not_a_widening'],
    ['boolean', 'keyword', 'not_a_widening'],
  ])('%s → %s is refused (%s) with a coded error naming the path', (from, to, reason) => {
    let err: unknown;
    try {
      checkWidening('data.x', from, to);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      code: 'STORE_ERR_WIDENING_REFUSED',
      permanent: true,
      details: { path: 'data.x', from, to, reason },
    });
    expect((err as Error).message).toContain('data.x');
  });

  it('the same type is unchanged; an unknown target type is invalid', () => {
    expect(checkWidening('p', 'long', 'long')).toBe('unchanged');
    expect(() => checkWidening('p', 'long', 'bigdecimal')).toThrow(
      expect.objectContaining({ code: 'STORE_ERR_INVALID' }),
    );
    // Every documented target is a type ES knows.
    for (const targets of Object.values(SAFE_WIDENINGS))
      for (const t of targets) expect(() => checkWidening('p', t, t)).not.toThrow();
  });
});
