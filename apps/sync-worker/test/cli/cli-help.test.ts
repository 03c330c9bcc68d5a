// The built `oip` CLI of the sync-worker as a process: --help on each command answers before any
// config is read (an invalid REDIS_URL does not matter) and a usage mistake is found before Redis
// or the store is opened (exit 2, the usage, no config line).
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from '@oip/test-kit';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

beforeAll(() => {
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}, 120_000);

const cli = (...args: string[]) =>
  runNode([join(root, 'dist/cli.js'), ...args], {
    cwd: root,
    // Not a Redis URL: a command that read the config would stop on it.
    env: { PATH: process.env.PATH ?? '', REDIS_URL: 'not-a-url' },
    timeoutMs: 20_000,
  });

describe('oip (sync-worker) --help', () => {
  it.each([
    [[], /Commands:\n {2}dlq\s+the sync-worker's dead letters[\s\S]*\n {2}store\s+the record store/u],
    [['dlq'], /Commands:\n {2}list \[options\][\s\S]*show[\s\S]*replay[\s\S]*discard/u],
    [['dlq', 'list'], /Usage: oip dlq list \[options\][\s\S]*--code <code>[\s\S]*Examples:\n {2}oip dlq list/u],
    [['dlq', 'show'], /Usage: oip dlq show \[options\] <did>[\s\S]*Example:\n {2}oip dlq show/u],
    [['dlq', 'replay'], /Usage: oip dlq replay \[options\] \[did\][\s\S]*--all[\s\S]*Examples:/u],
    [['dlq', 'discard'], /Usage: oip dlq discard \[options\] <did>[\s\S]*Example:/u],
    [['store', 'fields'], /Usage: oip store fields \[options\] \[command\][\s\S]*--prefix <path>[\s\S]*Example:/u],
    [['store', 'fields', 'widen'], /Usage: oip store fields widen \[options\] <path> <type>[\s\S]*--reindex/u],
    [
      ['migrate', 'records'],
      /Usage: oip migrate records \[options\][\s\S]*--from-elasticsearch <url>[\s\S]*--templates-index[\s\S]*--replay-dead-letters[\s\S]*Example:/u,
    ],
  ])('%j --help: exit 0, its usage, options and example', async (argv, help) => {
    const r = await cli(...argv, '--help');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(help);
  });

  it('migrate records: a bad flag value is exit 2 with the usage, before the config is read', async () => {
    const r = await cli('migrate', 'records', '--batch', '0', '--from-elasticsearch', 'http://legacy.invalid:9200');
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^oip: --batch must be an integer from 1 to 5000, got "0"\nusage: oip migrate records /u);
  });

  it('a usage mistake is exit 2 with the usage, before the config is read', async () => {
    const r = await cli('dlq', 'list', '--limt', '2');
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      "oip: unknown option '--limt'\nusage: oip dlq list [options]\n(oip dlq list --help says more)\n",
    );
  });
});
