import { describe, expect, it } from 'vitest';
import { ConfigError, runMain } from '../src/index.js';

describe('runMain', () => {
  it('prints one line naming the variable and exits with the config exit code on invalid config', async () => {
    const lines: string[] = [];
    const codes: number[] = [];
    let started = false;
    const result = await runMain({
      name: 'svc',
      loadConfig: () => {
        throw new ConfigError('invalid REDIS_URL: not a url', { variable: 'REDIS_URL' });
      },
      start: async () => {
        started = true;
        return { close: async () => {} };
      },
      configExitCode: 2,
      printError: (l) => lines.push(l),
      exit: (c) => codes.push(c),
    });
    expect(result).toBeUndefined();
    expect(started).toBe(false);
    expect(lines).toEqual(['svc: invalid REDIS_URL: not a url']);
    expect(codes).toEqual([2]);
  });

  it('rethrows errors that are not configuration errors', async () => {
    await expect(
      runMain({
        name: 'svc',
        loadConfig: () => {
          throw new TypeError('boom');
        },
        start: async () => ({ close: async () => {} }),
        exit: () => {},
      }),
    ).rejects.toThrow('boom');
  });
});
