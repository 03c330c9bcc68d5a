// Every app, started from its built entry as `up` and the compose files run it, on a port another
// process holds: one line on stderr naming the variable to change, exit code 2, no stack trace,
// and nothing of its store left open (no -wal file).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eConfig } from '../src/config.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const APPS = [
  { name: 'api', entry: 'apps/api/dist/server.js', variable: 'API_PORT' },
  { name: 'gun-proxy', entry: 'apps/gun-proxy/dist/server.js', variable: 'GUNPROXY_PORT' },
  { name: 'media', entry: 'apps/media/dist/server.js', variable: 'MEDIA_PORT' },
  { name: 'sync-worker', entry: 'apps/sync-worker/dist/main.js', variable: 'SYNC_HEALTH_PORT' },
] as const;

let holder: net.Server;
let port: number;
let dir: string;

beforeAll(async () => {
  holder = net.createServer();
  await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
  port = (holder.address() as net.AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'oip-e2e-port-'));
});

afterAll(async () => {
  await new Promise((done) => holder.close(done));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `entry` to its exit (bounded: 30 s, then killed); its exit code and stderr. */
function runToExit(entry: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(REPO, entry)], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${entry} still running after 30 s with its port in use; stderr: ${stderr}`));
    }, 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

describe('a port in use', () => {
  it.each(APPS)('$name: one line naming $variable, exit 2', async ({ name, entry, variable }) => {
    const data = join(dir, name);
    const { code, stderr } = await runToExit(entry, {
      ...e2eConfig.baseEnv,
      [variable]: String(port),
      LOG_LEVEL: 'silent',
      REDIS_URL: 'redis://127.0.0.1:6379',
      JWT_SECRET: 'e2e-port-in-use-secret-0123456789',
      STORE_DATA_DIR: join(data, 'records'),
      GUNPROXY_DATA_DIR: join(data, 'gun-proxy'),
      MEDIA_DIR: join(data, 'media'),
    });
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr: `${name}: ${variable} ${port} is in use: set ${variable} to a free port\n`,
    });
    const files: string[] = readdirSync(dir, { recursive: true, encoding: 'utf8' });
    expect(files.filter((f) => f.endsWith('-wal'))).toEqual([]);
  });
});
