// `oip --help` and `oip <command> --help` as an operator runs them (node scripts/oip.mjs, what
// `pnpm oip` runs): the list names every command; each command of the bootstrap answers from its
// table with its usage, options and an example, before anything is installed or read; an app's
// command answers with that app's commander help; an unknown command is exit 2 with the list.
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runNode } from '@oip/test-kit';

const repo = resolve(import.meta.dirname, '..', '..');
const oip = (...args: string[]) =>
  runNode([join(repo, 'scripts', 'oip.mjs'), ...args], {
    cwd: repo,
    env: { PATH: process.env.PATH ?? '' },
    timeoutMs: 30_000,
  });

const COMMANDS = [
  'up',
  'test',
  'elasticsearch',
  'redis-ping',
  'pnpm',
  'backup',
  'restore',
  'admin',
  'account',
  'migrate',
  'dlq',
  'store',
];

describe('oip --help', () => {
  it('lists every command with its line; `oip`, `oip help` and `oip -h` say the same', async () => {
    const r = await oip('--help');
    expect([r.code, r.stderr]).toEqual([0, '']);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`\\n {2}${c} +\\S`, 'u'));
    for (const args of [[], ['help'], ['-h']]) expect((await oip(...args)).stdout).toBe(r.stdout);
    // Help reads no settings: a REDIS_URL that `up` would refuse does not matter to it.
    const badRedis = await runNode([join(repo, 'scripts', 'oip.mjs'), 'up', '--help'], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? '', REDIS_URL: 'not a url' },
      timeoutMs: 30_000,
    });
    expect([badRedis.code, badRedis.stdout]).toEqual([0, (await oip('up', '--help')).stdout]);
  });

  it.each(['up', 'test', 'elasticsearch', 'redis-ping', 'backup', 'restore'])(
    '%s --help: its usage and an example, exit 0, nothing run',
    async (cmd) => {
      const r = await oip(cmd, '--help');
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toMatch(new RegExp(`^Usage: oip ${cmd}\\b[\\s\\S]*\\nExamples?:\\n {2}oip ${cmd}\\b`, 'u'));
      // `oip help <cmd>` is the same page.
      expect((await oip('help', cmd)).stdout).toBe(r.stdout);
    },
  );

  it('elasticsearch --help names its options', async () => {
    const r = await oip('elasticsearch', 'up', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--nodes N[\s\S]*--port P[\s\S]*--heap SIZE[\s\S]*--version X\.Y\.Z/u);
  });

  it.each([
    [['dlq', 'replay'], 'apps/sync-worker/dist/cli.js', /^Usage: oip dlq replay \[options\] \[did\][\s\S]*Examples:/u],
    [['store', 'fields'], 'apps/sync-worker/dist/cli.js', /^Usage: oip store fields \[options\] \[command\]/u],
    [['admin', 'grant'], 'apps/api/dist/cli.js', /^Usage: oip admin grant \[options\] <email>[\s\S]*Example:/u],
    [['account'], 'apps/api/dist/cli.js', /^Usage: oip account \[options\] \[command\][\s\S]*reset-password/u],
  ])('%j --help is the app’s own (commander) help', async (args, cli, help) => {
    expect(existsSync(join(repo, cli)), `${cli} is built`).toBe(true);
    const r = await oip(...args, '--help');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(help);
  });

  it('migrate --help: the umbrella’s options, its parts and examples (commander)', async () => {
    const r = await oip('migrate', '--help');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^Usage: oip migrate \[options\]/u);
    expect(r.stdout).toMatch(/--from-elasticsearch <url>[\s\S]*--from-media <dir>[\s\S]*--follow[\s\S]*--no-build/u);
    expect(r.stdout).toMatch(/Parts:\n {2}accounts[\s\S]*Examples:\n {2}oip migrate --from-elasticsearch/u);
  });

  it('an unknown command is exit 2, with the list on stderr', async () => {
    const r = await oip('frobnicate');
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^oip: unknown command "frobnicate"\nUsage: oip <command>/u);
  });
});
