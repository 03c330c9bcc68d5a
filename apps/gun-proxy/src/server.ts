// Entry point: load config, build, listen, close gracefully on SIGTERM/SIGINT.
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig } from './config.js';
import { buildApp } from './app.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`gun-proxy: ${err.message}`);
    process.exit(1);
  }
  throw err;
}

const app = buildApp(config);
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after error');
  else app.log.info({ signal }, 'closing');
  await app.close();
});
await app.listen({ port: config.port, host: config.host });
