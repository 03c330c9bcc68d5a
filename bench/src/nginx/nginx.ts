// Debian nginx as a benchmark baseline: a child process (master + one worker) with its own config
// file, prefix, temp dirs and logs in a temp dir, on a loopback port. Each benchmark gives the
// http-level and server-level directives it needs. stop() ends the whole process group.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { baseChildEnv } from '../relay/config.js';
import { freePort } from '@oip/fake-relay/process-group';

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

export interface NginxSite {
  /** Directives inside `http { }` besides the common ones (upstreams, sendfile…). */
  http?: string;
  /** Directives inside `server { }` after `listen` (locations). */
  server: string;
  /** Path probed until nginx answers. */
  probePath: string;
  /** Whether a probe's status means ready (e.g. not 502 while the upstream is unreachable). @defaultValue any status */
  ready?: (status: number) => boolean;
}

export interface NginxProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function config(dir: string, port: number, site: NginxSite): string {
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
${site.http ?? ''}
  server {
    listen 127.0.0.1:${port};
${site.server}
  }
}
`;
}

/** Starts nginx and waits until the probe path answers as `site.ready` wants (10 s at most). */
export async function startNginx(bin: string, site: NginxSite): Promise<NginxProcess> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-nginx-'));
  // A root master hands the worker to an unprivileged user, which must reach the temp dirs.
  await chmod(dir, 0o755);
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(conf, config(dir, port, site));
  const child = spawn(bin, ['-p', `${dir}/`, '-c', conf, '-e', path.join(dir, 'error.log')], {
    env: baseChildEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
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
  const ready = site.ready ?? (() => true);
  const end = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await request(`${url}${site.probePath}`);
      await res.body.dump();
      if (ready(res.statusCode)) break;
    } catch (err) {
      if (child.exitCode !== null || Date.now() > end) {
        const log = await readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
        await stop();
        throw new Error(`nginx did not start: ${(err as Error).message}\n${stderr}${log}`);
      }
    }
    if (Date.now() > end) {
      await stop();
      throw new Error(`nginx did not answer ${site.probePath} as expected within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, child, stop };
}
