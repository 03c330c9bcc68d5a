import { describe, expect, it, vi } from 'vitest';
import { printResult, printTable } from '../src/benchmark.js';

describe('benchmark output', () => {
  it('prints the RESULT line with goal verdict', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((l: string) => void lines.push(l));
    printResult('x', { a: 1, b: 'two' }, false);
    expect(lines).toEqual(['RESULT x a=1 b=two goal=missed']);
  });

  it('aligns table columns to the widest cell', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((l: string) => void lines.push(l));
    printTable(['name', 'v'], [['long-name', 1]]);
    expect(lines[0]).toBe('name       v');
    expect(lines[2]).toBe('long-name  1');
  });
});

describe('numberFlag', () => {
  it('takes the fallback when absent and refuses a value out of range or not a number', async () => {
    const { numberFlag } = await import('../src/benchmark.js');
    expect(numberFlag({}, 'records', 5, 1, 10)).toBe(5);
    expect(numberFlag({ records: '7' }, 'records', 5, 1, 10)).toBe(7);
    expect(() => numberFlag({ records: 'many' }, 'records', 5, 1, 10)).toThrow('--records');
    expect(() => numberFlag({ records: '11' }, 'records', 5, 1, 10)).toThrow('--records');
  });
});
