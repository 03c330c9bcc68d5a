// A server in its own process, so a benchmark's load generator is not charged to it. The parent
// forks a child script and waits for `{ kind: 'ready', url }`; 'close' (or the parent going away)
// closes the child's server and exits; other IPC requests get `{ kind: <request>, ... }` answers.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface ForkedServer {
  url: string;
  child: ChildProcess;
  /** Sends `kind` and resolves with the child's `{ kind, ... }` answer (rejects after 5 s). */
  ask<T>(kind: string): Promise<T>;
  /** Asks the child to close; SIGKILL after 5 s. */
  close(): Promise<void>;
}

/** Forks `script` (a file beside the caller, as a URL) with `args` and waits until it is ready. */
export async function forkServer(
  script: URL,
  args: string[],
  opts: { name: string; readyMs?: number; execArgv?: string[] },
): Promise<ForkedServer> {
  const child = fork(fileURLToPath(script), args, {
    stdio: 'inherit',
    ...(opts.execArgv ? { execArgv: opts.execArgv } : {}),
  });
  const exited = once(child, 'exit');
  const readyMs = opts.readyMs ?? 60_000;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${opts.name} child not ready within ${readyMs / 1000} s`)),
      readyMs,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} child exited (${code}) before it was ready`));
    });
    child.on('message', (m: { kind?: string; url?: string }) => {
      if (m?.kind !== 'ready' || !m.url) return;
      clearTimeout(timer);
      resolve(m.url);
    });
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    url,
    child,
    ask: <T>(kind: string) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.off('message', onMessage);
          reject(new Error(`${opts.name} child did not answer ${kind} within 5 s`));
        }, 5000);
        const onMessage = (m: { kind?: string }) => {
          if (m?.kind !== kind) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(m as T);
        };
        child.on('message', onMessage);
        child.send(kind);
      }),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send('close');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** In the child: announces `port` when listening, closes on 'close' or when the parent goes away, and answers `handlers`. */
export function serveInChild(
  port: number,
  close: () => Promise<void>,
  handlers: Record<string, () => Promise<Record<string, unknown>>> = {},
): void {
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await close();
    process.exit(0);
  };
  process.on('message', (msg: unknown) => {
    if (msg === 'close') void stop();
    else if (typeof msg === 'string' && handlers[msg])
      void handlers[msg]().then((answer) => process.send?.({ ...answer, kind: msg }));
  });
  process.on('disconnect', () => void stop());
  process.send?.({ kind: 'ready', url: `http://127.0.0.1:${port}` });
}
