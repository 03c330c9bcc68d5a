import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, redisUrl } from './config.js';
import { freePort } from '@oip/fake-relay/process-group';
import type { AppSpec } from './processes.js';
import { WORKER_NODE_ID } from './record-feed.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const entry = (app: string, file: string) => path.join(repo, 'apps', app, 'dist', file);

/** Sockets the sync-worker may hold: relay pool + Redis connections (client, BullMQ blocking ones). */
const SYNC_RELAY_CONNECTIONS = 16;
const SYNC_REDIS_CONNECTIONS = 8;

export interface AppPlan {
  name: string;
  /** Present when the app is built; null when it has not landed yet. */
  spec: AppSpec | null;
  note: string;
}

export interface PlanContext {
  relayUrl: string;
  queuePrefix: string;
  concurrency: number;
  tempRoot: string;
}

/** The stack: every app that exists, configured against the fake relay, Redis and temp dirs. */
export async function planApps(ctx: PlanContext): Promise<AppPlan[]> {
  const plans: AppPlan[] = [];

  const gp = entry('gun-proxy', 'server.js');
  if (await exists(gp)) {
    const port = await freePort();
    plans.push({
      name: 'gun-proxy',
      note: 'relay API under load',
      spec: {
        name: 'gun-proxy',
        entry: gp,
        baseUrl: `http://127.0.0.1:${port}`,
        readyPath: '/health',
        env: childEnv({
          PORT: String(port),
          HOST: '127.0.0.1',
          GUNPROXY_DATA_DIR: await mkdtemp(path.join(ctx.tempRoot, 'gun-proxy-')),
          GUNPROXY_GET_MISS_WAIT_MS: '100',
          LOG_LEVEL: 'warn',
        }),
        // load pool + listener + probe, and 4 for sockets of abandoned requests still closing
        socketBound: ctx.concurrency + 6,
        socketBoundWhy: `load pool ${ctx.concurrency} + listener + probe + 4 closing`,
      },
    });
  } else plans.push({ name: 'gun-proxy', spec: null, note: 'not built (pnpm --filter @oip/gun-proxy build)' });

  const sw = entry('sync-worker', 'main.js');
  if (await exists(sw)) {
    const port = await freePort();
    plans.push({
      name: 'sync-worker',
      note: 'syncs from the fake relay',
      spec: {
        name: 'sync-worker',
        entry: sw,
        baseUrl: `http://127.0.0.1:${port}`,
        readyPath: '/health',
        env: childEnv({
          SYNC_RELAYS: ctx.relayUrl,
          // The fake relay serves legacy-style unsigned records.
          SYNC_UNSIGNED_RECORDS: 'accept',
          REDIS_URL: redisUrl(),
          SYNC_QUEUE_PREFIX: ctx.queuePrefix,
          SYNC_INTERVAL_MS: '5000',
          SYNC_RECORD_TYPES: 'post',
          SYNC_NODE_ID: WORKER_NODE_ID,
          STORE_KIND: 'sqlite',
          STORE_DATA_DIR: await mkdtemp(path.join(ctx.tempRoot, 'sync-store-')),
          SYNC_HEALTH_PORT: String(port),
          SYNC_HEALTH_HOST: '127.0.0.1',
          SYNC_RELAY_CONNECTIONS: String(SYNC_RELAY_CONNECTIONS),
          SYNC_BACKOFF_MS: '1000',
          SYNC_BACKOFF_CAP_MS: '10000',
          SYNC_SHUTDOWN_TIMEOUT_MS: '3000',
          LOG_LEVEL: 'warn',
        }),
        socketBound: SYNC_RELAY_CONNECTIONS + SYNC_REDIS_CONNECTIONS + 2,
        socketBoundWhy: `relay pool ${SYNC_RELAY_CONNECTIONS} + Redis ${SYNC_REDIS_CONNECTIONS} + listener + probe`,
      },
    });
  } else plans.push({ name: 'sync-worker', spec: null, note: 'not built (pnpm --filter @oip/sync-worker build)' });

  // api and media join when they land: add their spec here (env names from their config.ts).
  for (const name of ['api', 'media']) {
    const built = await exists(entry(name, 'server.js'));
    plans.push({
      name,
      spec: null,
      note: built ? 'built, but no soak spec yet (add one in bench/src/soak/apps.ts)' : 'not built yet',
    });
  }
  return plans;
}

async function exists(p: string): Promise<boolean> {
  const { access } = await import('node:fs/promises');
  return access(p).then(
    () => true,
    () => false,
  );
}

export function tempRootDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'oip-soak-'));
}
