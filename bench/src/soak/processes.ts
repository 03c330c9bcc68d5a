import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'undici';

/** One app to run as a child process. */
export interface AppSpec {
  name: string;
  /** Absolute path of the built entry (dist/server.js, dist/main.js). */
  entry: string;
  env: Record<string, string>;
  /** Base URL of its HTTP port (health/metrics). */
  baseUrl: string;
  /** GET path that answers 200 once the app is up. */
  readyPath: string;
  /** Sockets the app may hold by configuration (pools + listeners + our probe). */
  socketBound: number;
  socketBoundWhy: string;
}

export interface RunningApp {
  spec: AppSpec;
  pid: number;
  /** Last lines of its stdout/stderr (bounded), for the report when something fails. */
  tail(): string[];
  exited(): boolean;
  stop(): Promise<void>;
}

const TAIL_LINES = 40;

/** Spawns the app and waits (≤ 30 s) until its ready path answers 200. */
export async function startApp(spec: AppSpec): Promise<RunningApp> {
  if (!existsSync(spec.entry)) throw new Error(`${spec.entry} is not built`);
  const child: ChildProcess = spawn(process.execPath, [spec.entry], {
    env: spec.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const l of chunk.toString('utf8').split('\n')) {
      if (!l.trim()) continue;
      lines.push(l.slice(0, 500));
      if (lines.length > TAIL_LINES) lines.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const app: RunningApp = {
    spec,
    pid: child.pid ?? -1,
    tail: () => [...lines],
    exited: () => exited,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    },
  };

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${spec.name} exited during start:\n${lines.join('\n')}`);
    try {
      const res = await request(`${spec.baseUrl}${spec.readyPath}`, { headersTimeout: 2_000, bodyTimeout: 2_000 });
      await res.body.dump();
      if (res.statusCode === 200) return app;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await app.stop();
  throw new Error(`${spec.name} did not answer ${spec.readyPath} within 30 s:\n${lines.join('\n')}`);
}
