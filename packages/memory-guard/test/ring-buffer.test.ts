import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../src/index.js';

describe('RingBuffer', () => {
  it('keeps the newest `capacity` items, oldest first', () => {
    const rb = new RingBuffer<number>(3);
    expect(rb.toArray()).toEqual([]);
    expect(rb.last()).toBeUndefined();
    for (let i = 1; i <= 7; i++) rb.push(i);
    expect(rb.size).toBe(3);
    expect(rb.toArray()).toEqual([5, 6, 7]);
    expect(rb.last()).toBe(7);
    rb.clear();
    expect(rb.size).toBe(0);
  });

  it('rejects a non-positive capacity with MEMGUARD_INVALID_OPTIONS', () => {
    expect(() => new RingBuffer(0)).toThrow(expect.objectContaining({ code: 'MEMGUARD_INVALID_OPTIONS' }));
    expect(() => new RingBuffer(1.5)).toThrow(expect.objectContaining({ code: 'MEMGUARD_INVALID_OPTIONS' }));
  });
});
