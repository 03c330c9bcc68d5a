import { describe, expect, it } from 'vitest';
import { intFlag, parseCommandLine, UsageError } from '../src/index.js';

const options = { code: { type: 'string' }, limit: { type: 'string' }, all: { type: 'boolean' } } as const;

describe('parseCommandLine', () => {
  it('parses known flags and positionals', () => {
    const { values, positionals } = parseCommandLine(['list', '--code', 'X', '--limit=2', '--all'], options);
    expect(values).toEqual({ code: 'X', limit: '2', all: true });
    expect(positionals).toEqual(['list']);
  });

  it('turns unknown flags and a bare string flag into usage errors with exit code 2', () => {
    for (const argv of [['--nope'], ['list', '--code']]) {
      let caught: unknown;
      try {
        parseCommandLine(argv, options);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(UsageError);
      expect(caught).toMatchObject({ code: 'USAGE', exitCode: 2 });
    }
  });

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
