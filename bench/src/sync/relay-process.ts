// Starts relay-child.ts as a child process and talks to it over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface RelayCounts {
  total: number;
  get: number;
}

export interface RelayProcess {
  url: string;
  /** The child's pid (its CPU is read from /proc by the scaling benchmark). */
  pid: number;
  counts(): Promise<RelayCounts>;
  resetCounts(): Promise<void>;
  close(): Promise<void>;
}

function request<T>(child: ChildProcess, msg: string, kind: string, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`relay child did not answer "${msg}"`));
    }, timeoutMs);
    const onMessage = (m: { kind?: string }) => {
      if (m?.kind !== kind) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
    if (msg) child.send(msg);
  });
}

export async function startRelayProcess(records: number, conflict: 'all' | 'none'): Promise<RelayProcess> {
  const child = fork(fileURLToPath(new URL('./relay-child.js', import.meta.url)), [String(records), conflict], {
    stdio: 'inherit',
  });
  const exited = once(child, 'exit');
  const ready = await request<{ url: string }>(child, '', 'ready', 120_000);
  return {
    url: ready.url,
    pid: child.pid ?? -1,
    counts: () => request<RelayCounts>(child, 'counts', 'counts'),
    resetCounts: async () => {
      await request(child, 'reset', 'reset');
    },
    async close() {
      if (child.exitCode !== null) return;
      child.send('close');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
