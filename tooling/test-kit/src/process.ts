// A service process for a test: started in its own process group, its output kept (the last
// 64 KiB), ready once a line of its output matches; stopped as a whole group (the process and
// anything it started), so no child outlives the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { giveUp, until } from './until.js';

const KEPT_OUTPUT = 64 * 1024;

export interface StartProcessOptions {
  /** What the process is, for messages ("api process"). */
  what: string;
  /** Arguments of `node` (process.execPath). */
  args: string[];
  cwd: string;
  /** The whole environment of the process (nothing is inherited). */
  env: Record<string, string>;
  /** Matches the output line that says it is ready; its first group is `StartedProcess.ready`. */
  ready: RegExp;
  /** Longest wait for `ready`. @defaultValue 60000 */
  timeoutMs?: number;
}

export interface StartedProcess {
  child: ChildProcess;
  /** The first group of `ready` (a listening URL, say). */
  ready: string;
  /** Its stdout and stderr so far (the last 64 KiB). */
  output(): string;
  /** Kills the whole process group (SIGKILL) unless it already exited; resolves once it has. */
  stop(): Promise<void>;
}

/**
 * `node ...args` in its own process group, resolved once its output matches `ready`. It throws
 * (with the output) when the process exits first (at once) or `timeoutMs` passes; either way the
 * process group is stopped before it throws.
 */
export async function startProcess(options: StartProcessOptions): Promise<StartedProcess> {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const keep = (b: Buffer) => (out = (out + b.toString()).slice(-KEPT_OUTPUT));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch (err) {
        // The group may have ended between the check and the kill.
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
    }
    if (child.pid !== undefined) await exited;
  };
  try {
    const ready = await until(
      () => {
        if (child.exitCode !== null || child.signalCode !== null)
          giveUp(`exited (${child.exitCode ?? child.signalCode}): ${out}`);
        return options.ready.exec(out)?.[1];
      },
      { what: `${options.what} ready`, timeoutMs: options.timeoutMs ?? 60_000 },
    );
    return { child, ready, output: () => out, stop };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\noutput: ${out}`, { cause: err });
  }
}
