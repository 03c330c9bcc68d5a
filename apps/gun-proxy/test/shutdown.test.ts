import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import { startGunProxy } from '../src/testing.js';
import { http, sleep } from './helpers.js';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const h of process.getActiveResourcesInfo()) out[h] = (out[h] ?? 0) + 1;
  return out;
}

describe('graceful shutdown', () => {
  beforeAll(() => {
    // server.ts runs from dist, as `pnpm start` does.
    execFileSync(path.join(appDir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], {
      cwd: appDir,
      stdio: 'inherit',
    });
  }, 60_000);

  it('close() leaves no sockets, servers or timers behind (with a peer connected both ways)', async () => {
    const before = handles();
    const a = await startGunProxy();
    const b = await startGunProxy({ peers: [a.wsUrl] });
    const end = Date.now() + 5000;
    while (a.app.gunPeer.inboundPeers() === 0 && Date.now() < end) await sleep(20);
    expect(a.app.gunPeer.inboundPeers()).toBe(1);
    await http(b.url, 'POST', '/put', { soul: 'abc:bye', data: { v: 1 } });
    await http(a.url, 'GET', '/get?soul=nobody:here');
    await b.close();
    await a.close();
    await sleep(100);
    const after = handles();
    for (const kind of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout', 'Immediate']) {
      expect({ kind, n: Math.min(after[kind] ?? 0, before[kind] ?? 0) }).toEqual({ kind, n: after[kind] ?? 0 });
    }
  });

  it('SIGTERM closes HTTP, peer sockets and storage, and the process exits 0', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gun-proxy-sigterm-'));
    try {
      const child = spawn(process.execPath, ['dist/server.js'], {
        cwd: appDir,
        env: { PATH: process.env.PATH, PORT: '0', GUNPROXY_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const end = Date.now() + 10_000;
      let url: string | undefined;
      while (!url && Date.now() < end) {
        url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
        await sleep(25);
      }
      expect(url, out).toBeDefined();
      expect((await http(url!, 'POST', '/put', { soul: 'abc:durable', data: { kept: 'yes' } })).status).toBe(200);
      const ws = new WebSocket(`${url!.replace('http', 'ws')}/gun`);
      await new Promise((r, j) => ws.once('open', r).once('error', j));
      const wsClosed = new Promise((r) => ws.once('close', r));

      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(8000).then(() => 'timeout' as const)]);
      expect(code, out).toBe(0);
      await wsClosed;

      // What was acknowledged is on disk.
      const again = await startGunProxy({ dataDir });
      try {
        expect((await http(again.url, 'GET', '/get?soul=abc:durable')).body).toEqual({
          success: true,
          data: { kept: 'yes' },
        });
      } finally {
        await again.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
