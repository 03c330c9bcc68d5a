// Sync-worker processes for the scaling benchmark: `node apps/sync-worker/dist/main.js`, each in
// its own process group, configured through the environment, with its health port on loopback
// (readiness and /metrics). The stage timings each worker exports are summed over the workers.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { freePort, spawnGroup } from '@oip/fake-relay/process-group';
import { processCpuMs } from '@oip/fake-relay/redis-cluster';

export interface WorkerProcess {
  pid: number;
  healthUrl: string;
  /** CPU the process has used so far (user + system), ms. */
  cpuMs(): number;
  /** The worker's /metrics text. */
  metrics(): Promise<string>;
  /** SIGTERM to its process group, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** The built worker entry beside the package's main export (dist/app.js, or src/app.ts under vitest). */
function workerMain(): string {
  return join(dirname(fileURLToPath(import.meta.resolve('@oip/sync-worker'))), '..', 'dist', 'main.js');
}

/** Starts a worker with `env` (plus its health port) and waits until /health answers (bounded). */
export async function startWorkerProcess(env: Record<string, string>, readyMs = 60_000): Promise<WorkerProcess> {
  const port = await freePort();
  const p = spawnGroup(process.execPath, [workerMain()], {
    env: { ...env, SYNC_HEALTH_PORT: String(port), SYNC_HEALTH_HOST: '127.0.0.1' },
    tailBytes: 4096,
  });
  const { alive, signal } = p;
  const healthUrl = `http://127.0.0.1:${port}`;
  const end = Date.now() + readyMs;
  for (;;) {
    if (!alive()) throw new Error(`sync worker exited before it was ready: ${p.tail()}`);
    const ok = await request(`${healthUrl}/health`, { headersTimeout: 2000, bodyTimeout: 2000 }).then(
      async (r) => {
        await r.body.dump();
        return r.statusCode === 200;
      },
      () => false,
    );
    if (ok) break;
    if (Date.now() > end) {
      signal('SIGKILL');
      throw new Error(`sync worker not healthy within ${readyMs} ms: ${p.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid: p.pid,
    healthUrl,
    cpuMs: () => processCpuMs(p.pid),
    async metrics() {
      const r = await request(`${healthUrl}/metrics`, { headersTimeout: 10_000, bodyTimeout: 10_000 });
      return r.body.text();
    },
    stop: (graceMs = 20_000) => p.stop(graceMs),
  };
}

/** Sum and count of oip_sync_stage_seconds per stage over several /metrics texts. */
export function stageTotals(texts: readonly string[]): Map<string, { seconds: number; count: number }> {
  const out = new Map<string, { seconds: number; count: number }>();
  for (const text of texts) {
    for (const m of text.matchAll(/^oip_sync_stage_seconds_(sum|count)\{stage="([a-z_]+)"\} ([\d.e+-]+)$/gm)) {
      const t = out.get(m[2]!) ?? { seconds: 0, count: 0 };
      if (m[1] === 'sum') t.seconds += Number(m[3]);
      else t.count += Number(m[3]);
      out.set(m[2]!, t);
    }
  }
  return out;
}
