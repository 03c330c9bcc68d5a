// Entry point: read apps/api/.env (a variable already set in the environment wins), load config
// (invalid → one line naming the variable, exit 1), build, listen (port in use → one line naming
// API_PORT, exit 2), close gracefully on SIGTERM/SIGINT (the kit's runServer).
import { fileURLToPath } from 'node:url';
import { runServer } from '@oip/service-kit/fastify';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

await runServer({
  name: 'api',
  envFiles: [fileURLToPath(new URL('../.env', import.meta.url))],
  loadConfig: () => loadConfig(),
  buildApp: (config) => buildApp(config),
  portVariable: 'API_PORT',
});
