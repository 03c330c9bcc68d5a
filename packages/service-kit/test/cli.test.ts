import { describe, expect, it } from 'vitest';
import { intFlag, UsageError } from '../src/index.js';

describe('intFlag', () => {
  it('checks integer flags with their bounds', () => {
    expect(intFlag('limit', undefined)).toBeUndefined();
    expect(intFlag('limit', '5', { min: 1 })).toBe(5);
    expect(() => intFlag('limit', '0', { min: 1 })).toThrow('--limit must be an integer ≥ 1, got "0"');
    expect(() => intFlag('limit', '2.5')).toThrow(UsageError);
    expect(() => intFlag('limit', '11', { min: 1, max: 10 })).toThrow(
      '--limit must be an integer from 1 to 10, got "11"',
    );
  });
});
