// The supervisor `oip up` runs the apps under (scripts/supervisor.mjs), driven over fixture apps,
// its SIGINTs sent to its whole process group as a terminal's Ctrl-C is: one asks each app to stop
// exactly once (one SIGTERM, no SIGINT reaches it) and exits 0 when all closed; a second one while
// an app is still closing kills what is left (its helper processes too) and exits 1; an app that
// stops on its own stops the others and its exit code is the supervisor's; a SIGHUP (the terminal
// closed) stops them as a Ctrl-C does. No process is left.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { e2eConfig } from '../src/config.js';
import { descendants, stillAlive } from '../src/process-tree.js';

const DRIVER = resolve(import.meta.dirname, '..', 'fixtures', 'supervisor', 'driver.mjs');

interface Run {
  child: ChildProcess;
  output(): string;
  /** Set once the supervisor exited: its code. */
  exit: { code: number | null } | null;
  seen: Set<number>;
}

const runs: Run[] = [];
afterEach(() => {
  for (const r of runs.splice(0)) {
    const tree = [...r.seen, ...descendants(r.child.pid!).map((p) => p.pid), r.child.pid!];
    for (const p of stillAlive(tree)) process.kill(p.pid, 'SIGKILL');
  }
});

/** Ctrl-C at a terminal: SIGINT to the foreground process group (the supervisor's). */
const ctrlC = (run: Run) => process.kill(-run.child.pid!, 'SIGINT');

function supervise(...apps: string[]): Run {
  const child = spawn(process.execPath, [DRIVER, ...apps], {
    cwd: join(DRIVER, '..'),
    env: e2eConfig.baseEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A group of its own, as the foreground job of a terminal is.
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const run: Run = { child, output: () => out, exit: null, seen: new Set<number>() };
  child.on('close', (code) => (run.exit = { code }));
  runs.push(run);
  return run;
}

/** Waits until every app printed `ready`; remembers the processes under the supervisor. */
async function ready(run: Run, names: string[]): Promise<number[]> {
  await until(() => names.every((n) => run.output().includes(`${n}: ready\n`)), {
    what: `${names.join(', ')} ready`,
    timeoutMs: 10_000,
  });
  const pids = descendants(run.child.pid!).map((p) => p.pid);
  pids.forEach((p) => run.seen.add(p));
  return pids;
}

async function exitCode(run: Run): Promise<number | null> {
  return (await until(() => run.exit, { what: 'the supervisor to exit', timeoutMs: 15_000 })).code;
}

describe('the supervisor of oip up', () => {
  it('one Ctrl-C: each app gets one SIGTERM and no SIGINT, closes, and the supervisor exits 0 with nothing left', async () => {
    const run = supervise('a=quick', 'b=quick');
    const pids = await ready(run, ['a', 'b']);
    expect(pids.length).toBe(2);
    ctrlC(run);
    expect(await exitCode(run)).toBe(0);
    for (const app of ['a', 'b']) {
      expect(run.output().match(new RegExp(`^${app}: closing$`, 'gm')), app).toHaveLength(1);
      expect(run.output(), app).toMatch(new RegExp(`^${app}: closed$`, 'm'));
    }
    expect(run.output()).not.toMatch(/sigint/);
    expect(stillAlive(pids)).toEqual([]);
  });

  it('a second Ctrl-C while an app is still closing kills it and its helper processes, exit 1', async () => {
    const run = supervise('a=quick', 'slow=slow');
    const pids = await ready(run, ['a', 'slow']);
    // The slow app's helper (`sleep`) is in the tree too.
    expect(pids.length).toBe(3);
    ctrlC(run);
    await until(() => run.output().includes('slow: closing\n'), { what: 'the slow app closing', timeoutMs: 10_000 });
    ctrlC(run);
    expect(await exitCode(run)).toBe(1);
    expect(run.output()).toMatch(/\[sup\] SIGINT again: killing (a, )?slow\n/);
    expect(stillAlive(pids)).toEqual([]);
  });

  it('a SIGHUP (the terminal closed) stops the apps as a Ctrl-C does, exit 0', async () => {
    const run = supervise('a=quick');
    const pids = await ready(run, ['a']);
    process.kill(-run.child.pid!, 'SIGHUP');
    expect(await exitCode(run)).toBe(0);
    expect(run.output()).toMatch(/^a: closed$/m);
    expect(stillAlive(pids)).toEqual([]);
  });

  it("an app that stops on its own stops the others; its exit code is the supervisor's", async () => {
    const run = supervise('a=quick', 'failing=failing');
    expect(await exitCode(run)).toBe(2);
    expect(run.output()).toMatch(/failing: failing: FAILING_PORT 1 is in use/);
    expect(run.output()).toMatch(/\[sup\] failing exited with code 2/);
    expect(run.output()).toMatch(/a: closed\n/);
    expect(descendants(run.child.pid!)).toEqual([]);
  });
});
