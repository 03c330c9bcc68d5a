// One OS process the harness runs (redis-server, an app's dist entry), in its own process group so
// a signal reaches its whole tree, with stdout and stderr appended to a log file. Started inside
// a network namespace with `ip netns exec <ns> <cmd>` (which execs the command in place, so the
// child's pid is the command's). Every group still running at process exit is SIGKILLed.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { killGroup } from '@oip/fake-relay/process-group';
import { onExit } from './cleanup.js';

export interface ProcessSpec {
  /** Shown in errors and the harness log, e.g. `b/sync-worker-2`. */
  name: string;
  command: string;
  args: readonly string[];
  /** The whole environment (nothing of the test process's is inherited). */
  env: Record<string, string>;
  cwd: string;
  logFile: string;
  /** Network namespace to run in; null = the test process's own. */
  netns: string | null;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ManagedProcess {
  readonly spec: ProcessSpec;
  #child: ChildProcess | null = null;
  #exited: Promise<ExitInfo> | null = null;
  #running = false;
  #removeHook: (() => void) | null = null;
  /** How many times it was started. */
  starts = 0;

  constructor(spec: ProcessSpec) {
    this.spec = spec;
  }

  get running(): boolean {
    return this.#running;
  }

  get pid(): number {
    if (!this.#child?.pid) throw new Error(`${this.spec.name} is not started`);
    return this.#child.pid;
  }

  start(): void {
    if (this.#running) throw new Error(`${this.spec.name} is already running`);
    const { command, args, netns } = this.spec;
    const [cmd, argv] = netns === null ? [command, [...args]] : ['ip', ['netns', 'exec', netns, command, ...args]];
    const fd = openSync(this.spec.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(cmd, argv, { cwd: this.spec.cwd, env: this.spec.env, detached: true, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    if (child.pid === undefined) throw new Error(`${this.spec.name}: spawn failed`);
    const pid = child.pid;
    this.#child = child;
    this.#running = true;
    this.starts++;
    this.#removeHook = onExit(() => killGroup(pid, 'SIGKILL'));
    this.#exited = new Promise<ExitInfo>((resolve) => {
      child.once('error', () => undefined);
      child.once('exit', (code, signal) => {
        this.#running = false;
        // Anything the process left in its group goes with it.
        killGroup(pid, 'SIGKILL');
        this.#removeHook?.();
        this.#removeHook = null;
        resolve({ code, signal });
      });
    });
  }

  /** Resolves when the current run has exited. */
  exited(): Promise<ExitInfo> {
    if (!this.#exited) throw new Error(`${this.spec.name} was never started`);
    return this.#exited;
  }

  /** Sends `signal` to the process group. */
  signal(signal: NodeJS.Signals): void {
    if (this.#running) killGroup(this.pid, signal);
  }

  /** Sends `signal` and waits (bounded) for the exit; throws when it does not exit in time. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 10_000): Promise<ExitInfo> {
    const exited = this.exited();
    if (!this.#running) return exited;
    this.signal(signal);
    return withTimeout(exited, timeoutMs, `${this.spec.name} did not exit ${timeoutMs} ms after ${signal}`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; always leaves the group stopped. */
  async stop(graceMs = 15_000): Promise<ExitInfo | null> {
    if (!this.#running) return this.#exited ? this.#exited : null;
    try {
      return await this.kill('SIGTERM', graceMs);
    } catch {
      return this.kill('SIGKILL', 10_000);
    }
  }

  /** The last `lines` lines of its log. */
  tail(lines = 30): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8')
        .split('\n')
        .slice(-lines - 1)
        .join('\n');
    } catch {
      return '(no log)';
    }
  }
}

/**
 * Runs a command to its end in its own process group, output collected; past `timeoutMs` the
 * whole group is SIGKILLed and this throws. The group is SIGKILLed after the exit in any case,
 * so nothing it started outlives it.
 */
export async function runToEnd(
  command: string,
  args: readonly string[],
  opts: { cwd: string; env: Record<string, string | undefined>; timeoutMs: number; netns?: string | null },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [cmd, argv] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, command, ...args]] : [command, [...args]];
  const child = spawn(cmd, argv, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${command}: spawn failed`);
  const removeHook = onExit(() => killGroup(pid, 'SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  try {
    const code = await withTimeout(
      done,
      opts.timeoutMs,
      `${command} ${args.join(' ')}: no exit in ${opts.timeoutMs} ms`,
    );
    return { code, stdout, stderr };
  } finally {
    killGroup(pid, 'SIGKILL');
    removeHook();
  }
}

export async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
