// Process entry: load config, start the worker, drain on SIGTERM/SIGINT.
import closeWithGrace from 'close-with-grace';
import { loadConfig } from './config.js';
import { startSyncWorker } from './worker.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

const worker = await startSyncWorker(config, { processMetrics: true });
closeWithGrace({ delay: config.shutdownTimeoutMs + 5000 }, async ({ err, signal }) => {
  if (err) console.error('sync worker failing:', err);
  else if (signal) console.error(`sync worker received ${signal}, draining`);
  await worker.close();
});
