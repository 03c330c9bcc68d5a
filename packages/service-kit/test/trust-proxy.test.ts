import { describe, expect, it } from 'vitest';
import { checkTrustProxy, parseTrustProxy, type ConfigError } from '../src/index.js';

const thrown = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('did not throw');
};

describe('parseTrustProxy', () => {
  it('reads true/false and a list of addresses', () => {
    expect(parseTrustProxy('X', 'true')).toBe(true);
    expect(parseTrustProxy('X', ' False ')).toBe(false);
    expect(parseTrustProxy('X', '10.0.0.0/8, 127.0.0.1,::1,fd00::/8,loopback')).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses what is none of those, naming the variable', () => {
    for (const bad of ['proxy.example.org', '10.0.0.0/33', '::1/129', '300.1.1.1', '2', '0', '10.0.0.1/x', ',']) {
      const err = thrown(() => parseTrustProxy('API_TRUST_PROXY', bad));
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.variable).toBe('API_TRUST_PROXY');
      expect(err.message).toMatch(/^API_TRUST_PROXY /);
    }
  });

  it('checks the addresses of a config object too', () => {
    expect(() => checkTrustProxy(['192.168.0.0/16'], 'X')).not.toThrow();
    expect(() => checkTrustProxy(true, 'X')).not.toThrow();
    expect(thrown(() => checkTrustProxy(['192.168.0.0/16', 'nope'], 'API_TRUST_PROXY')).message).toContain('"nope"');
  });
});
