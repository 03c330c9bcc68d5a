// Entry point: load config (invalid → one line naming the variable, exit 1), build, listen, close
// gracefully on SIGTERM/SIGINT (the kit's runServer).
import { runServer } from '@oip/service-kit/fastify';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

await runServer({ name: 'media', loadConfig: () => loadConfig(), buildApp: (config) => buildApp(config) });
