// The sync-worker's built entry with REDIS_URL on a closed port: its health port answers 503 while
// it waits for Redis, and a SIGTERM then stops it at once (not after its close timeout): it says it
// is closing and closed, exits 0, and leaves no SQLite -wal file.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@oip/fake-relay/process-group';
import { until } from '@oip/test-kit';
import { e2eConfig } from '../src/config.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'oip-e2e-stop-starting-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sync-worker stopped while it waits for Redis', () => {
  it('answers 503 on its health port, then stops at once on SIGTERM with its close logged', async () => {
    const [redisPort, healthPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [join(REPO, 'apps/sync-worker/dist/main.js')], {
      cwd: REPO,
      env: {
        ...e2eConfig.baseEnv,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        SYNC_HEALTH_PORT: String(healthPort),
        STORE_DATA_DIR: join(dir, 'records'),
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let exit: { code: number | null } | null = null;
    child.on('close', (code) => (exit = { code }));
    try {
      const health = await until(
        () =>
          fetch(`http://127.0.0.1:${healthPort}/health`).then(
            async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }),
            () => null,
          ),
        { what: 'the health port open', timeoutMs: 20_000 },
      );
      expect(health).toMatchObject({ status: 503, body: { status: 'starting', redis: 'down' } });
      const t0 = Date.now();
      child.kill('SIGTERM');
      const { code } = await until(() => exit, { what: 'the worker to exit', timeoutMs: 10_000 });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect({ code, stderr }).toEqual({
        code: 0,
        stderr: 'sync-worker: received SIGTERM, closing\nsync-worker: closed\n',
      });
      const files: string[] = readdirSync(dir, { recursive: true, encoding: 'utf8' });
      expect(files.filter((f) => f.endsWith('-wal'))).toEqual([]);
    } finally {
      if (!exit) child.kill('SIGKILL');
    }
  });
});
