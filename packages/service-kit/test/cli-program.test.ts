import { describe, expect, it } from 'vitest';
import { createCli, UsageError, withExample } from '../src/index.js';

/** A two-level program like ours: `demo things list [--limit N] [--json]`, `demo things show <id>`. */
function demo() {
  const out: string[] = [];
  const err: string[] = [];
  const cli = createCli('demo', 'a demo program', { out: (l) => out.push(l), err: (l) => err.push(l) });
  const seen: unknown[] = [];
  const things = cli.program.command('things').description('the things');
  withExample(
    things
      .command('list')
      .description('lists the things')
      .option('--limit <n>', 'at most N')
      .option('--json', 'one JSON line')
      .action(
        cli.action((opts: { limit?: string; json?: boolean }) => {
          if (opts.limit === 'bad') throw new UsageError('--limit must be a number, got "bad"');
          seen.push(opts);
          return 0;
        }),
      ),
    'demo things list --limit 5',
  );
  things
    .command('show')
    .description('shows one thing')
    .argument('<id>', 'its id')
    .action(
      cli.action((id: string) => {
        seen.push(id);
        return id === 'missing' ? 1 : 0;
      }),
    );
  return { cli, out, err, seen };
}

describe('createCli', () => {
  it('runs an action and answers its exit code', async () => {
    const d = demo();
    expect(await d.cli.run(['things', 'list', '--limit', '5', '--json'])).toBe(0);
    expect(await d.cli.run(['things', 'show', 'missing'])).toBe(1);
    expect(d.seen).toEqual([{ limit: '5', json: true }, 'missing']);
    expect(d.err).toEqual([]);
  });

  it('--help on every level: description, options, example; exit 0, nothing run', async () => {
    const d = demo();
    expect(await d.cli.run(['--help'])).toBe(0);
    expect(d.out.join('\n')).toMatch(/Usage: demo \[options\] \[command\][\s\S]*things\s+the things/u);
    d.out.length = 0;
    expect(await d.cli.run(['things', 'list', '--help'])).toBe(0);
    const help = d.out.join('\n');
    expect(help).toMatch(/Usage: demo things list \[options\]/u);
    expect(help).toMatch(/lists the things/u);
    expect(help).toMatch(/--limit <n>\s+at most N/u);
    expect(help).toMatch(/Example:\n {2}demo things list --limit 5/u);
    expect(d.seen).toEqual([]);
  });

  it.each([
    [['things', 'list', '--limt', '2'], /^demo: unknown option '--limt'/u, 'demo things list'],
    [['things', 'list', '--limit'], /^demo: option '--limit <n>' argument missing/u, 'demo things list'],
    [['things', 'show'], /^demo: missing required argument 'id'/u, 'demo things show'],
    [['things', 'show', 'a', 'b'], /^demo: too many arguments/u, 'demo things show'],
    [['things', 'frob'], /^demo: unknown command 'frob'/u, 'demo things'],
    [['things', 'list', '--limit', 'bad'], /^demo: --limit must be a number, got "bad"$/u, 'demo things list'],
  ])('%j is a usage error: one line, the usage, exit 2', async (argv, message, path) => {
    const d = demo();
    expect(await d.cli.run(argv)).toBe(2);
    expect(d.err[0]).toMatch(message);
    expect(d.err[1]).toMatch(new RegExp(`^usage: ${path} `, 'u'));
    expect(d.err[2]).toBe(`(${path} --help says more)`);
    expect(d.out).toEqual([]);
    expect(d.seen).toEqual([]);
  });

  it('a group without its sub-command prints its help to stderr, exit 2', async () => {
    const d = demo();
    expect(await d.cli.run(['things'])).toBe(2);
    expect(d.err.join('\n')).toMatch(/list \[options\]\s+lists the things/u);
  });

  it('errors that are not usage errors go to the caller', async () => {
    const cli = createCli('demo', 'd', { out: () => {}, err: () => {} });
    cli.program.command('boom').action(
      cli.action(() => {
        throw new Error('store down');
      }),
    );
    await expect(cli.run(['boom'])).rejects.toThrow('store down');
  });
});
