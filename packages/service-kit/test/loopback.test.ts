import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../src/index.js';

describe('isLoopbackHost', () => {
  it('accepts only literal loopback addresses and localhost', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of [
      '127.evil.example',
      '127.0.0.1.nip.io',
      '0.0.0.0',
      '::',
      '10.0.0.1',
      'localhost.evil',
      '::ffff:10.0.0.1',
      '',
    ]) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });
});
