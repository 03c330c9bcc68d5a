import { describe, expect, it } from 'vitest';
import { sameMatches } from '../src/records/store-compare.js';

describe('sameMatches', () => {
  it('agrees on equal counts and on a lower bound at or below an exact count', () => {
    expect(sameMatches('82', '82')).toBe(true);
    expect(sameMatches('60000', '1000+')).toBe(true);
    expect(sameMatches('1000+', '1000')).toBe(true);
    expect(sameMatches('1000+', '1000+')).toBe(true);
  });
  it('disagrees on different exact counts and on a bound above the exact count', () => {
    expect(sameMatches('82', '81')).toBe(false);
    expect(sameMatches('500', '1000+')).toBe(false);
    expect(sameMatches('1000+', '2000+')).toBe(false);
  });
});
