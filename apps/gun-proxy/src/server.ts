// Entry point: load config (invalid → one line naming the variable, exit 1), build, listen, close
// gracefully on SIGTERM/SIGINT through the kit's runMain.
import { runMain } from '@oip/service-kit';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

await runMain({
  name: 'gun-proxy',
  loadConfig: () => loadConfig(),
  start: async (config) => {
    const app = buildApp(config);
    await app.listen({ port: config.port, host: config.host });
    return app;
  },
});
