// Entry point: load config, build, listen, close gracefully on SIGTERM/SIGINT.
import { runMain } from '@oip/service-kit';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

await runMain({
  name: 'api',
  loadConfig: () => loadConfig(),
  start: async (config) => {
    const app = buildApp(config);
    await app.listen({ port: config.port, host: config.host });
    return app;
  },
});
