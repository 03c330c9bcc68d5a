// REDIS_CLUSTER_NODES: seeds parsed and checked, and on a cluster the queue prefix must carry a
// hash tag (every key of the prefix in one slot), or the worker and the CLI refuse to start with
// one line naming SYNC_QUEUE_PREFIX and exit code 2 (the built dist, run as real processes).
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_ERROR_CODE } from '@oip/service-kit';
import { loadConfig, parseConfig } from '../src/config.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function configError(fn: () => unknown): { code?: string; variable?: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code?: string; variable?: string; message: string };
  }
  throw new Error('the config was accepted');
}

describe('REDIS_CLUSTER_NODES', () => {
  it('is off by default (one Redis at REDIS_URL) and reads host:port seeds when set', () => {
    expect(loadConfig({}).redisClusterNodes).toEqual([]);
    expect(loadConfig({ REDIS_CLUSTER_NODES: '  ' }).redisClusterNodes).toEqual([]);
    const c = loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000, 127.0.0.1:7001', SYNC_QUEUE_PREFIX: '{oip}' });
    expect(c.redisClusterNodes).toEqual(['127.0.0.1:7000', '127.0.0.1:7001']);
    expect(c.queuePrefix).toBe('{oip}');
  });

  it('refuses a prefix without a hash tag on a cluster, naming SYNC_QUEUE_PREFIX', () => {
    for (const prefix of [undefined, 'oip', '{}oip', '{oip']) {
      const err = configError(() =>
        loadConfig({
          REDIS_CLUSTER_NODES: '127.0.0.1:7000',
          ...(prefix === undefined ? {} : { SYNC_QUEUE_PREFIX: prefix }),
        }),
      );
      expect(err.code).toBe(CONFIG_ERROR_CODE);
      expect(err.variable).toBe('SYNC_QUEUE_PREFIX');
      expect(err.message).toMatch(/hash tag/);
    }
    // The same rule for configs built in code (tests, the bench).
    expect(
      configError(() =>
        parseConfig({
          relays: ['http://127.0.0.1:1'],
          recordTypes: ['workout'],
          store: { kind: 'sqlite', dataDir: '/tmp/x' },
          redisClusterNodes: ['127.0.0.1:7000'],
          queuePrefix: 'oip',
        }),
      ).variable,
    ).toBe('SYNC_QUEUE_PREFIX');
    // A hash-tagged prefix on one Redis is fine (the tag is just text there).
    expect(loadConfig({ SYNC_QUEUE_PREFIX: '{oip}' }).queuePrefix).toBe('{oip}');
  });

  it('refuses seeds that are not host:port, naming REDIS_CLUSTER_NODES', () => {
    for (const v of ['127.0.0.1', 'redis://127.0.0.1:7000', '127.0.0.1:0', 'a:1,,b']) {
      const err = configError(() => loadConfig({ REDIS_CLUSTER_NODES: v, SYNC_QUEUE_PREFIX: '{oip}' }));
      expect(err.variable).toBe('REDIS_CLUSTER_NODES');
    }
  });
});

describe('the built worker and CLI on a cluster without a hash-tagged prefix', () => {
  beforeAll(() => {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  }, 120_000);

  it.each([
    ['the worker', [join(root, 'dist/main.js')]],
    ['the oip CLI', [join(root, 'dist/cli.js'), 'dlq', 'list']],
  ])('%s exits 2 with one line naming SYNC_QUEUE_PREFIX', async (_name, args) => {
    // Port 1: nothing listens there, and nothing may be connected to before the config is checked.
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        REDIS_CLUSTER_NODES: '127.0.0.1:1',
        SYNC_QUEUE_PREFIX: 'oip',
        SYNC_HEALTH_PORT: '-1',
      },
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    expect(code).toBe(2);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/SYNC_QUEUE_PREFIX.*hash tag.*"\{oip\}"/);
  });
});
