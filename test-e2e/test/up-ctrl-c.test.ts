// `node scripts/oip.mjs up` as a person runs it: typed into a shell in a tmux pane, stopped with one
// Ctrl-C (SIGINT to the terminal's foreground process group). Every app logs its close, the
// redis-server `up` started (REDIS_URL on a closed port) stops with it, no process of the tree is
// left, SQLite leaves no `-wal` file, `up` exits 0, and a second `up` lists the record published
// in the first. Ports, data and Redis are the test's own, never a developer's stack's defaults.
// About 15 s when the apps are built (turbo's cache answers up's build); a tree with changes
// rebuilds first, which can take minutes on a small machine.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@oip/fake-relay/process-group';
import { giveUp, until } from '@oip/test-kit';
import { e2eConfig } from '../src/config.js';
import { NodeApi } from '../src/node-api.js';
import { descendants, stillAlive } from '../src/process-tree.js';
import { TmuxSession, tmuxInstalled } from '../src/tmux-session.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const APPS = ['api', 'gun-proxy', 'media', 'sync-worker'] as const;
/** Outside CI a machine without tmux skips this file; in CI (.ci/run installs tmux) it fails. */
const tmuxMissing = !tmuxInstalled() && !e2eConfig.ci;
/** `up` installs and builds first: minutes on a cold, loaded machine. */
const READY_TIMEOUT_MS = 240_000;
/** The sync-worker may take its shutdown timeout (default 30 s) to drain; then the rest. */
const STOP_TIMEOUT_MS = 60_000;

let dir: string;
let session: TmuxSession | undefined;
let api: NodeApi;
let redisPort: number;
const seen = new Set<number>();

function walFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('-wal'));
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });
}

/** Types `up` into the pane; resolves with the output it printed until all four ready lines. */
async function runUp(): Promise<{ from: number }> {
  const from = session!.output().length;
  session!.type('node scripts/oip.mjs up; echo "UP-EXIT=$?"');
  await until(
    () => {
      const out = session!.output().slice(from);
      if (/UP-EXIT=\d+/.test(out)) giveUp(`up exited before it was ready:\n${out.slice(-4000)}`);
      return APPS.every((a) => new RegExp(`\\[oip\\] ${a}\\s+ready:`).test(out));
    },
    { what: 'the four ready lines of up', timeoutMs: READY_TIMEOUT_MS, intervalMs: 500 },
  );
  return { from };
}

/** Sends one Ctrl-C; resolves with up's exit code and what it printed since `from`. */
async function ctrlC(from: number): Promise<{ code: number; out: string }> {
  session!.key('C-c');
  const code = await until(
    () => {
      const m = /UP-EXIT=(\d+)/.exec(session!.output().slice(from));
      return m ? Number(m[1]) + 1 : null;
    },
    { what: 'up to exit after one Ctrl-C', timeoutMs: STOP_TIMEOUT_MS, intervalMs: 200 },
  );
  return { code: code - 1, out: session!.output().slice(from) };
}

/** The processes under the pane's shell: up, its apps and its redis-server (remembered for the cleanup). */
function stackProcesses(): Array<{ pid: number; command: string }> {
  const procs = descendants(session!.shellPid());
  for (const p of procs) seen.add(p.pid);
  return procs;
}

describe.skipIf(tmuxMissing)('oip up in a terminal: one Ctrl-C stops everything cleanly', () => {
  beforeAll(async () => {
    expect(tmuxInstalled(), 'tmux is missing: apt-get install tmux').toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'oip-e2e-up-'));
    const [apiPort, mediaPort, gunPort, healthPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    redisPort = await freePort();
    const data = join(dir, 'data');
    const env: Record<string, string> = {
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      API_PORT: String(apiPort),
      MEDIA_PORT: String(mediaPort),
      GUNPROXY_PORT: String(gunPort),
      SYNC_HEALTH_PORT: String(healthPort),
      API_RELAY_URL: `http://127.0.0.1:${gunPort}`,
      MEDIA_RELAY_URL: `http://127.0.0.1:${gunPort}`,
      SYNC_RELAYS: `http://127.0.0.1:${gunPort}`,
      API_MEDIA_URL: `http://127.0.0.1:${mediaPort}`,
      STORE_DATA_DIR: join(data, 'records'),
      GUNPROXY_DATA_DIR: join(data, 'gun-proxy'),
      MEDIA_DIR: join(data, 'media'),
      JWT_SECRET: `e2e-up-${randomUUID()}`,
      // The sync-worker drains for at most this long on the stop.
      SYNC_SHUTDOWN_TIMEOUT_MS: '10000',
    };
    const envFile = join(dir, 'env.sh');
    writeFileSync(
      envFile,
      Object.entries(env)
        .map(([k, v]) => `export ${k}='${v}'\n`)
        .join(''),
    );
    session = TmuxSession.start({
      socket: join(dir, 'tmux.sock'),
      logFile: join(dir, 'pane.log'),
      cwd: REPO,
      env: {
        ...e2eConfig.baseEnv,
        TERM: 'xterm-256color',
        ...(e2eConfig.ci ? { CI: 'true' } : {}),
      },
    });
    session.type(`. '${envFile}'`);
    api = new NodeApi(`http://127.0.0.1:${apiPort}`, 'up');
  });

  afterAll(() => {
    session?.kill();
    // Whatever a failed run left behind.
    for (const p of stillAlive([...seen])) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    // OIP_E2E_KEEP=1 keeps the data and the pane's output (pane.log).
    if (dir && !e2eConfig.keepDir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'stops every app and its redis-server on one Ctrl-C, leaves no process and no -wal file, and a second up keeps the data',
    { timeout: 600_000 },
    async () => {
      // First run: publish one record.
      const first = await runUp();
      const running = stackProcesses();
      expect(running.map((p) => p.command).join('\n')).toMatch(/redis-server/);
      for (const a of APPS)
        expect(
          running.some((p) => p.command.includes(`apps/${a}/dist/`)),
          a,
        ).toBe(true);
      const alice = await api.account('alice@example.org');
      const did = await api.publish(alice.token, 'post', 'kept-across-restarts', {
        basic: { name: 'kept across restarts', tagItems: ['e2e'] },
        post: { articleText: 'published before the Ctrl-C' },
      });
      expect(await api.allDids()).toContain(did);

      const stop1 = await ctrlC(first.from);
      expect(stop1.code, stop1.out.slice(-4000)).toBe(0);
      for (const a of APPS) expect(stop1.out, `${a} logged its close`).toMatch(new RegExp(`\\b${a}: closed\\b`));
      expect(stop1.out).toMatch(/\[oip\] redis-server stopped/);
      expect(stillAlive(running.map((p) => p.pid))).toEqual([]);
      expect(descendants(session!.shellPid())).toEqual([]);
      expect(walFiles(join(dir, 'data'))).toEqual([]);
      expect(await portOpen(redisPort)).toBe(false);

      // Second run: the record is still listed; the same clean stop.
      const second = await runUp();
      const runningAgain = stackProcesses();
      expect(await api.allDids()).toContain(did);
      const stop2 = await ctrlC(second.from);
      expect(stop2.code, stop2.out.slice(-4000)).toBe(0);
      for (const a of APPS) expect(stop2.out, `${a} logged its close`).toMatch(new RegExp(`\\b${a}: closed\\b`));
      expect(stillAlive(runningAgain.map((p) => p.pid))).toEqual([]);
      expect(walFiles(join(dir, 'data'))).toEqual([]);
    },
  );
});
