// Process entry: read apps/sync-worker/.env (a variable already set in the environment wins), load
// config, start the worker, drain on SIGTERM/SIGINT (@oip/service-kit runMain). An invalid config is
// one line naming the variable and exit code 2, as the CLI reports it; so is a health port in use.
import { fileURLToPath } from 'node:url';
import { runMain } from '@oip/service-kit';
import { loadConfig } from './config.js';
import { startSyncWorker } from './worker.js';

await runMain({
  name: 'sync-worker',
  envFiles: [fileURLToPath(new URL('../.env', import.meta.url))],
  loadConfig: () => loadConfig(),
  // A stop while it waits for Redis closes what it opened at once.
  start: (config, signal) => startSyncWorker(config, { processMetrics: true, signal }),
  ports: (config) => ({ SYNC_HEALTH_PORT: config.healthPort }),
  // In-flight jobs get shutdownTimeoutMs inside close(); the extra 5 s covers closing Redis and the store.
  closeDelayMs: (config) => config.shutdownTimeoutMs + 5000,
  configExitCode: 2,
});
