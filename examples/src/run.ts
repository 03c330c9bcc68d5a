// Runs an example's main: its failure is one line on stderr (with the api's error code) and exit 1;
// a configuration problem exits 2.
import { ConfigError, loadConfig, type ExampleConfig } from './config.js';

export function runExample(main: (config: ExampleConfig) => Promise<void>): void {
  let config: ExampleConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`config: ${err.message}`);
    process.exitCode = 2;
    return;
  }
  main(config).then(
    () => undefined,
    (err: unknown) => {
      const code = (err as { code?: unknown }).code;
      console.error(`failed${typeof code === 'string' ? ` (${code})` : ''}: ${(err as Error).message ?? String(err)}`);
      process.exitCode = 1;
    },
  );
}
