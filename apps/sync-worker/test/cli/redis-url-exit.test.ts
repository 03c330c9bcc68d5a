// REDIS_URL that is not a redis:// URL: the worker, the CLI and the bootstrap script each stop at
// once with one line naming REDIS_URL and exit code 2 (ioredis would read it as a unix socket
// path and retry for ever). Runs the built dist (built in beforeAll) as real processes.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const repo = join(root, '../..');

beforeAll(() => {
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}, 120_000);

async function runProcess(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdout.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stderr, ms: Date.now() - started };
}

describe('REDIS_URL that is not a URL', () => {
  it.each([
    ['the worker', [join(root, 'dist/main.js')]],
    ['the oip CLI', [join(root, 'dist/cli.js'), 'dlq', 'list']],
    ['scripts/oip.mjs', [join(repo, 'scripts/oip.mjs'), 'redis-ping']],
  ])('%s exits 2 with one line', async (_name, args) => {
    const r = await runProcess(args, { REDIS_URL: 'not a url', SYNC_HEALTH_PORT: '-1' });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/REDIS_URL.*redis:\/\/ or rediss:\/\/ URL, got "not a url"/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.ms).toBeLessThan(5000);
  });

  it('a URL with credentials is not echoed', async () => {
    const r = await runProcess([join(root, 'dist/cli.js'), 'dlq', 'list'], {
      REDIS_URL: 'http://user:secret@host:6379',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/REDIS_URL/);
    expect(r.stderr).not.toContain('secret');
  });
});
