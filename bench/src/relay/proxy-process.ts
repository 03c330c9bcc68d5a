// gun-proxy as a child process (its own RSS, its own core), started from apps/gun-proxy/dist.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { freePort } from '@oip/fake-relay/process-group';
import { baseChildEnv } from './config.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** Path of a built gun-proxy file, or an error telling how to build it. */
export function gunProxyDist(file: string): string {
  const p = path.join(repo, 'apps', 'gun-proxy', 'dist', file);
  if (!existsSync(p)) throw new Error(`${p} missing: run pnpm --filter @oip/gun-proxy build`);
  return p;
}

export interface ProxyHealth {
  memory: { rssBytes: number; heapUsedBytes: number; externalBytes: number };
  gun: { graphNodes: number; chains: number; dupEntries: number };
  index: { lruEntries: number };
  storage: { pendingWrites: number; writes: number };
}

export interface ProxyProcess {
  url: string;
  child: ChildProcess;
  health(): Promise<ProxyHealth>;
  stop(): Promise<number | null>;
}

/** Spawns `dist/server.js` with `env` on a free loopback port in a temp data dir; waits for /health. */
export async function startProxyProcess(
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ProxyProcess> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-gun-proxy-'));
  const child = spawn(process.execPath, [...nodeArgs, gunProxyDist('server.js')], {
    env: {
      ...baseChildEnv(),
      PORT: String(port),
      HOST: '127.0.0.1',
      GUNPROXY_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  const health = async (): Promise<ProxyHealth> => {
    const res = await request(`${url}/health`);
    return (await res.body.json()) as ProxyHealth;
  };
  const end = Date.now() + 15_000;
  for (;;) {
    try {
      await health();
      break;
    } catch (err) {
      if (Date.now() > end || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`gun-proxy did not start: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    child,
    health,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
