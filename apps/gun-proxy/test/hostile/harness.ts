// A REAL gun-proxy for the hostile suite: `node dist/server.js` as a child process (built once per
// run), configured through its environment only, on a free loopback port, with a preload that
// reports Object.prototype from inside the process over IPC. Tests attack it over HTTP (and
// websocket) and then ask the process itself whether it is still clean.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const appDir = path.resolve(here, '../..');

/** Builds dist/ from the current sources (tsc emits even when another file has a type error). */
export function buildGunProxy(): void {
  const res = spawnSync(path.join(appDir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: appDir,
    encoding: 'utf8',
  });
  if (!existsSync(path.join(appDir, 'dist/server.js')))
    throw new Error(`gun-proxy build failed:\n${res.stdout}${res.stderr}`);
}

export interface PrototypeReport {
  /** Own names Object.prototype gained. */
  added: string[];
  /** Own members whose value/getter/setter changed. */
  changed: string[];
  /** Attacker-chosen names a fresh `{}` inherits. */
  inherited: string[];
  /** Object.prototype's own prototype is still null. */
  prototypeOfObject: boolean;
}

export interface HostileProxy {
  url: string;
  wsUrl: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout/stderr (pino JSON lines). */
  output(): string;
  alive(): boolean;
  /** Object.prototype as seen inside the process. */
  prototype(): Promise<PrototypeReport>;
  /** SIGTERM, wait for exit (SIGKILL after 10 s), remove the data dir; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const running = new Set<HostileProxy>();

/** Stops every proxy still running (for afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** Starts gun-proxy from dist with `env` (PORT=0, HOST=127.0.0.1, a temp data dir unless given). */
export async function startHostileProxy(env: Record<string, string> = {}, startMs = 15_000): Promise<HostileProxy> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gun-proxy-hostile-'));
  const child = spawn(process.execPath, ['--import', path.join(here, 'prototype-probe.mjs'), 'dist/server.js'], {
    cwd: appDir,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      GUNPROXY_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-1_000_000)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-1_000_000)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`gun-proxy did not listen within ${startMs} ms:\n${out}`)), startMs);
    const poll = setInterval(() => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) done(null, m[1]);
      else if (child.exitCode !== null) done(new Error(`gun-proxy exited ${child.exitCode}:\n${out}`));
    }, 20);
    function done(err: Error | null, u?: string): void {
      clearTimeout(timer);
      clearInterval(poll);
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else resolve(u!);
    }
  });
  let seq = 0;
  let stopped: Promise<number | null> | undefined;
  const proxy: HostileProxy = {
    url,
    wsUrl: `${url.replace('http', 'ws')}/gun`,
    child,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    prototype: () =>
      new Promise((resolve, reject) => {
        const id = ++seq;
        const timer = setTimeout(() => {
          child.off('message', onMessage);
          reject(new Error('the gun-proxy process did not answer the prototype probe within 3 s'));
        }, 3000);
        const onMessage = (m: { id?: number; report?: PrototypeReport }): void => {
          if (m.id !== id) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(m.report!);
        };
        child.on('message', onMessage);
        child.send({ type: 'prototype', id });
      }),
    stop: () =>
      (stopped ??= (async () => {
        running.delete(proxy);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const code = await exited;
        clearTimeout(timer);
        await rm(dataDir, { recursive: true, force: true });
        return code;
      })()),
  };
  running.add(proxy);
  return proxy;
}
