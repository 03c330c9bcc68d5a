// A child process in its own process group, for tests and benchmarks that start servers and
// workers: signals go to the whole group (a worker's or redis-server's own children included), the
// last bytes of its output are kept for failure messages, and stop() is SIGTERM then SIGKILL.
// Also a free loopback port to give such a child.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

/** A free loopback port (bound, then released; the child binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Sends `signal` to the process group led by `pid`; a group already gone is not an error. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

export interface GroupProcessOptions {
  /** The whole environment of the child. */
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Keep the last bytes of stdout (as well as stderr) for tail(). @defaultValue false */
  keepStdout?: boolean;
  /** Bytes of output kept for tail(). @defaultValue 8192 */
  tailBytes?: number;
}

export interface GroupProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  alive(): boolean;
  /** The last bytes of its output (stderr, and stdout when kept). */
  tail(): string;
  /** Sends `signal` to its process group. */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `command args` detached in its own process group. */
export function spawnGroup(command: string, args: readonly string[], opts: GroupProcessOptions): GroupProcess {
  const stdio: StdioOptions = ['ignore', opts.keepStdout ? 'pipe' : 'ignore', 'pipe'];
  const child = spawn(command, [...args], {
    stdio,
    detached: true,
    env: opts.env,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  const max = opts.tailBytes ?? 8192;
  let tail = '';
  const keep = (b: Buffer) => (tail = (tail + b.toString()).slice(-max));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.once('error', () => undefined);
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signal = (s: NodeJS.Signals) => killGroup(child.pid, s);
  return {
    child,
    pid: child.pid ?? -1,
    exited,
    alive,
    tail: () => tail,
    signal,
    async stop(graceMs = 15_000) {
      if (!alive()) return;
      signal('SIGTERM');
      const t = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}
