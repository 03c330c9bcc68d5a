// Debian nginx as the gateway benchmark's baseline: a child process (master + one worker) with its
// own config file, prefix, temp dirs and logs in a temp dir, on a loopback port, proxying
// /gun-relay/ to an upstream over keep-alive connections. stop() ends the whole process group.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { baseChildEnv } from '../relay/config.js';
import { freePort } from '../relay/proxy-process.js';

/** `explicit` if executable, else nginx on PATH or in the sbin dirs Debian installs it to; undefined when missing. */
export function findNginx(explicit?: string): string | undefined {
  if (explicit !== undefined) {
    try {
      accessSync(explicit, constants.X_OK);
      return explicit;
    } catch {
      return undefined;
    }
  }
  const dirs = [...(baseChildEnv().PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, 'nginx');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface NginxOptions {
  /** Upstream origin's port on 127.0.0.1 (gun-proxy). */
  upstreamPort: number;
  /** Idle keep-alive connections nginx keeps to the upstream. @defaultValue 64 */
  keepalive?: number;
}

export interface NginxProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function config(dir: string, port: number, opts: NginxOptions): string {
  const p = (name: string): string => path.join(dir, name);
  return `worker_processes 1;
daemon off;
master_process on;
pid ${p('nginx.pid')};
error_log ${p('error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${p('client_body')};
  proxy_temp_path ${p('proxy')};
  fastcgi_temp_path ${p('fastcgi')};
  uwsgi_temp_path ${p('uwsgi')};
  scgi_temp_path ${p('scgi')};
  keepalive_requests 100000;
  upstream relay {
    server 127.0.0.1:${opts.upstreamPort};
    keepalive ${opts.keepalive ?? 64};
    keepalive_requests 100000;
  }
  server {
    listen 127.0.0.1:${port};
    location /gun-relay/ {
      proxy_pass http://relay/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
    }
  }
}
`;
}

/** Starts nginx and waits until it proxies (any answer from the upstream through it). */
export async function startNginx(bin: string, opts: NginxOptions): Promise<NginxProcess> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-nginx-'));
  // A root master hands the worker to an unprivileged user, which must reach the temp dirs.
  await chmod(dir, 0o755);
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(conf, config(dir, port, opts));
  const child = spawn(bin, ['-p', `${dir}/`, '-c', conf, '-e', path.join(dir, 'error.log')], { env: baseChildEnv(), stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      // SIGTERM to the group: master and worker both, whatever state they are in.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const end = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await request(`${url}/gun-relay/health`);
      await res.body.dump();
      if (res.statusCode !== 502) break;
    } catch (err) {
      if (child.exitCode !== null || Date.now() > end) {
        const log = await readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
        await stop();
        throw new Error(`nginx did not start: ${(err as Error).message}\n${stderr}${log}`);
      }
    }
    if (Date.now() > end) {
      await stop();
      throw new Error('nginx did not reach the upstream within 10 s');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, child, stop };
}
