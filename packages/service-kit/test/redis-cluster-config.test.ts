import { describe, expect, it } from 'vitest';
import { CONFIG_ERROR_CODE, checkClusterPrefix, hashTagOf, parseRedisClusterNodes } from '../src/index.js';

const thrown = (fn: () => unknown): { code?: string; variable?: string; message: string } => {
  try {
    fn();
  } catch (err) {
    return err as { code?: string; variable?: string; message: string };
  }
  throw new Error('did not throw');
};

describe('parseRedisClusterNodes', () => {
  it('reads comma-separated host:port seeds, blanks dropped, IPv6 in brackets', () => {
    expect(parseRedisClusterNodes(' 127.0.0.1:7000, ,redis-a:7001,[::1]:7002 ')).toEqual([
      '127.0.0.1:7000',
      'redis-a:7001',
      '[::1]:7002',
    ]);
  });

  it.each(['', ' , ', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', 'redis://127.0.0.1:7000', 'a b:1'])(
    'refuses %j naming the variable',
    (v) => {
      const err = thrown(() => parseRedisClusterNodes(v, 'API_REDIS_CLUSTER_NODES'));
      expect(err.code).toBe(CONFIG_ERROR_CODE);
      expect(err.variable).toBe('API_REDIS_CLUSTER_NODES');
      expect(err.message).toMatch(/^invalid config API_REDIS_CLUSTER_NODES: /);
    },
  );
});

describe('hash tags', () => {
  it('finds the tag Redis hashes', () => {
    expect(hashTagOf('{oip}')).toBe('oip');
    expect(hashTagOf('node-a{oip}x')).toBe('oip');
    expect(hashTagOf('oip')).toBeNull();
    expect(hashTagOf('{}oip')).toBeNull(); // empty tag: Redis hashes the whole key
    expect(hashTagOf('{oip')).toBeNull();
    expect(hashTagOf('}x{y')).toBeNull();
  });

  it('refuses a prefix without one, naming the prefix variable and suggesting a tagged one', () => {
    const err = thrown(() => checkClusterPrefix('oip', 'SYNC_QUEUE_PREFIX'));
    expect(err.code).toBe(CONFIG_ERROR_CODE);
    expect(err.variable).toBe('SYNC_QUEUE_PREFIX');
    expect(err.message).toContain('"{oip}"');
    expect(() => checkClusterPrefix('{oip}', 'SYNC_QUEUE_PREFIX')).not.toThrow();
  });
});
