// Process entry: load config, start the worker, drain on SIGTERM/SIGINT.
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig } from './config.js';
import { startSyncWorker } from './worker.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  // One line naming the variable, exit 2 (a usage error, as the CLI reports it).
  console.error(`sync-worker: ${(err as Error).message}`);
  process.exit(err instanceof ConfigError ? 2 : 1);
}

const worker = await startSyncWorker(config, { processMetrics: true });
closeWithGrace({ delay: config.shutdownTimeoutMs + 5000 }, async ({ err, signal }) => {
  if (err) console.error('sync worker failing:', err);
  else if (signal) console.error(`sync worker received ${signal}, draining`);
  await worker.close();
});
