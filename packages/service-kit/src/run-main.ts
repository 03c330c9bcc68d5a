// The entry file of every service: load config (an invalid one stops the process with one line
// naming the variable), start, and close gracefully on SIGTERM/SIGINT or a fatal error.
import closeWithGrace from 'close-with-grace';
import { CONFIG_ERROR_CODE } from './config-error.js';

export interface Closable {
  close(): Promise<void>;
}

export interface RunMainOptions<C, S extends Closable> {
  /** Service name, the first word of every line printed here. */
  name: string;
  loadConfig(): C;
  start(config: C): Promise<S>;
  /** How long close() may take before the process exits anyway. @defaultValue 10000 */
  closeDelayMs?: (config: C) => number;
  /** Exit code for an invalid configuration. @defaultValue 1 */
  configExitCode?: number;
  /** @defaultValue console.error */
  printError?: (line: string) => void;
  /** @defaultValue process.exit */
  exit?: (code: number) => void;
}

/** Runs a service; resolves once it has started (and returns it), or exits on invalid config. */
export async function runMain<C, S extends Closable>(opts: RunMainOptions<C, S>): Promise<S | undefined> {
  const print = opts.printError ?? ((line: string) => console.error(line));
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let config: C;
  try {
    config = opts.loadConfig();
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code !== CONFIG_ERROR_CODE) throw err;
    print(`${opts.name}: ${(err as Error).message}`);
    exit(opts.configExitCode ?? 1);
    return undefined;
  }
  const service = await opts.start(config);
  closeWithGrace({ delay: opts.closeDelayMs?.(config) ?? 10_000 }, async ({ signal, err }) => {
    if (err) print(`${opts.name}: closing after error: ${(err as Error).stack ?? String(err)}`);
    else if (signal) print(`${opts.name}: received ${signal}, closing`);
    await service.close();
  });
  return service;
}
