import { describe, expect, it } from 'vitest';
import { originKey, parseAllowedOrigin } from '../../src/services/peer-origin.js';

describe('peer origins', () => {
  it('the default port is filled in from the scheme, so http://x and http://x:80 are one origin', () => {
    expect(originKey(new URL('http://Peer.Example'))).toBe('http://peer.example:80');
    expect(originKey(new URL('http://peer.example:80/any/path'))).toBe('http://peer.example:80');
    expect(originKey(new URL('https://peer.example'))).toBe('https://peer.example:443');
    expect(originKey(new URL('https://peer.example:80'))).toBe('https://peer.example:80');
    expect(originKey(new URL('http://[::1]:3006/'))).toBe('http://[::1]:3006');
    expect(originKey(new URL('file:///etc/passwd'))).toBeNull();
    expect(originKey(new URL('ws://peer.example:8765'))).toBeNull();
  });

  it('an allowlist entry is scheme://host[:port] and nothing else', () => {
    expect(parseAllowedOrigin('https://peer.example/')).toEqual({ origin: 'https://peer.example:443' });
    expect(parseAllowedOrigin(' http://10.0.0.2:3005 ')).toEqual({ origin: 'http://10.0.0.2:3005' });
    for (const bad of [
      'peer.example',
      'peer.example:3005',
      '',
      '//peer.example',
      'http://peer.example/api',
      'http://peer.example/#x',
      'http://a:b@peer.example',
      'http://',
    ]) {
      expect(parseAllowedOrigin(bad), bad).toHaveProperty('problem');
    }
  });
});
