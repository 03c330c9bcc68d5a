import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigError, portInUseLine, runMain } from '../src/index.js';

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

describe('runMain env files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'svc-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    delete process.env.SVC_TEST_FROM_FILE;
    delete process.env.SVC_TEST_SET;
    delete process.env.SVC_TEST_SECOND;
  });

  it('reads the files into the environment before the config; a variable already set wins, and so does the first file', async () => {
    const first = path.join(dir, 'first.env');
    const second = path.join(dir, 'second.env');
    writeFileSync(first, 'SVC_TEST_FROM_FILE=first\nSVC_TEST_SET=file\n');
    writeFileSync(second, 'SVC_TEST_FROM_FILE=second\nSVC_TEST_SECOND=second\n');
    process.env.SVC_TEST_SET = 'real';
    let seen: Record<string, string | undefined> = {};
    const svc = await runMain({
      name: 'svc',
      envFiles: [first, path.join(dir, 'missing.env'), second],
      loadConfig: () => ({
        fromFile: process.env.SVC_TEST_FROM_FILE,
        set: process.env.SVC_TEST_SET,
        second: process.env.SVC_TEST_SECOND,
      }),
      start: async (config) => {
        seen = config;
        return { close: async () => {} };
      },
      exit: () => {},
    });
    expect(svc).toBeDefined();
    expect(seen).toEqual({ fromFile: 'first', set: 'real', second: 'second' });
  });
});

describe('runMain start failures', () => {
  it('a failure with an error code is one line with the code, exit 1', async () => {
    const lines: string[] = [];
    const codes: number[] = [];
    const svc = await runMain({
      name: 'svc',
      loadConfig: () => ({}),
      start: async () => {
        throw Object.assign(new Error('cannot open the store at /nowhere'), { code: 'STORE_OPEN_FAILED' });
      },
      printError: (l) => lines.push(l),
      exit: (c) => codes.push(c),
    });
    expect({ svc, lines, codes }).toEqual({
      svc: undefined,
      lines: ['svc: could not start: cannot open the store at /nowhere (STORE_OPEN_FAILED)'],
      codes: [1],
    });
  });

  it('a port in use names the variable of that port among several', () => {
    expect(portInUseLine('svc', 9465, { SVC_PORT: 3000, SVC_HEALTH_PORT: 9465 })).toBe(
      'svc: SVC_HEALTH_PORT 9465 is in use: set SVC_HEALTH_PORT to a free port',
    );
    expect(portInUseLine('svc', 1234, {})).toBe('svc: port 1234 is in use: stop what holds it or choose another port');
  });
});
