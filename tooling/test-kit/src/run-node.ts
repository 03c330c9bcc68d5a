// `node …args` run to its end with only the given variables as its environment (pass PATH), its
// stdout and stderr kept; SIGKILLed (code null) when it outlives `timeoutMs`. For CLIs and scripts
// whose exit code and output a test checks.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface NodeRunOptions {
  cwd: string;
  /** The whole environment of the process (nothing is inherited). */
  env: Record<string, string>;
  timeoutMs: number;
}

export interface NodeRun {
  /** The exit code; null when it was killed (by the timeout or a signal). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runNode(args: string[], o: NodeRunOptions): Promise<NodeRun> {
  const child = spawn(process.execPath, args, {
    cwd: o.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: o.env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
  try {
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}
